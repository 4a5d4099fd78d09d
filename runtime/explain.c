/*
 * Explain mode (option explain; lk.h, explain.c section): for every block on
 * which conservative and precise marking disagree, say why.
 *
 *   live only in precise mode        conservative marking (LSan) would
 *                                    report it: it is referenced through a
 *                                    hidden pointer (tagged, NaN-boxed,
 *                                    XOR-encoded, an offset, split halves,
 *                                    unaligned, below the block) or a root
 *                                    only precise marking has (the kernel);
 *   live only in conservative mode   a leak conservative marking misses: a
 *                                    word holds its address but the word's
 *                                    shadow records no reference (stale
 *                                    data, a hash, an integer).
 *
 * With the world stopped, right after the leak check's own marking, the
 * heap is marked four more times by the simple breadth-first marker of this
 * file (speed is secondary here; no helper threads, no pipelining):
 *
 *   1. conservative: C = what lk_mark_all(false) reaches (every aligned
 *      word, every byte offset with use_unaligned=1);
 *   2. precise: P = what lk_mark_all(true) reaches (instrumented blocks not
 *      flagged LK_META_CONSERVATIVE, and roots the root set calls precise,
 *      read through lk_precise_refs; everything else as in 1);
 *   3. precise again, starting from the roots and from every block of C∩P:
 *      the blocks of P\C it reaches first, from a root or from a block of
 *      C∩P, are the entries of P\C, and the reference that reached each is
 *      the link conservative scanning cannot see; every other block of
 *      P\C is "reached through" the entry its breadth-first chain starts at;
 *   4. conservative again from the roots and C∩P: the same for C\P, whose
 *      entry links are words holding an address that precise marking
 *      rightly ignores.
 *
 * Blocks the leak check tagged IGNORED (__lsan_ignore_object, suppressed
 * stacks, the loader's) are sources in every pass, as in mark.c.  Pass 1 or
 * 2, whichever mode the leak check used, is also compared with its tags: a
 * difference means this marker no longer mirrors mark.c, and the output
 * says so instead of silently explaining a different marking.
 *
 * Memory: per-block arrays indexed by lk_for_each_block order and an
 * open-addressing table from block address to index, mapped with
 * lk_sys_mmap (a stopped thread may hold lk_ialloc's lock), released
 * before the world resumes.  What the output needs is copied into notes
 * (mapped the same way), printed after the world resumes (symbolizing
 * allocation sites, naming globals with dladdr) and then released.  A
 * failed mapping skips the explanation with a warning; it never affects the
 * leak check.
 */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "lk.h"

/* link.from values besides block indices (< FROM_ROOT). */
#define FROM_ROOT 0x80000000u /* | index into ex.roots */
#define FROM_SEED 0xffffffffu /* a source of the pass: ignored, or C∩P */
#define MAX_BLOCKS FROM_ROOT
/* link.how of a conservatively scanned word (LK_HOW_* are small). */
#define HOW_WORD 0xffu

/* state bits per block */
#define IN_C 1u    /* pass 1 reached it */
#define IN_P 2u    /* pass 2 reached it */
#define SEEN 4u    /* the current pass 3 or 4 reached it */
#define IN_BOTH (IN_C | IN_P)

/* The reference through which a pass first reached a block. */
typedef struct link {
  uintptr_t where; /* the referring word */
  uint32_t from;   /* holding block, FROM_ROOT | root, or FROM_SEED */
  uint8_t how;     /* LK_HOW_* (precise reference) or HOW_WORD */
} link;

/* A root range of the current pass (lk_for_each_root's arguments). */
typedef struct root_range {
  uintptr_t lo, hi;
  const char *what;
} root_range;

/* One block the markings disagree on, as printed. */
typedef struct note {
  uintptr_t block, size;
  uint32_t stack_id;
  bool precise_only;   /* else live only in conservative mode */
  uintptr_t entry;     /* the chain's entry block; 0: this block is one */
  /* The entry's link (entry == 0). */
  uintptr_t where;
  uintptr_t value;     /* the word at where, for a conservative link */
  uint8_t how;         /* LK_HOW_* or HOW_WORD */
  uint8_t shadow;      /* shadow byte of where's granule */
  bool shadow_known;   /* where has shadow */
  uintptr_t holder, holder_size; /* holder 0: a root */
  uint32_t holder_stack;
  char root[32];       /* the root's kind, when holder is 0 */
} note;

/* A growable array of mapped memory. */
typedef struct array {
  void *items;
  size_t len, cap; /* in elements */
} array;

/* All module state.  LK_STATE: the notes and arrays hold block addresses,
 * and no explanation must keep a block alive in a later check. */
static LK_STATE struct {
  /* One collection (lk_explain_collect), released before it returns. */
  size_t n;                /* blocks */
  uintptr_t *blocks;       /* in lk_for_each_block order */
  uint8_t *state;          /* IN_C, IN_P, SEEN */
  uint32_t *table;         /* block address -> index + 1; 0: empty */
  size_t table_mask;
  uint32_t *queue;         /* breadth-first order of the current pass */
  size_t queue_head, queue_len;
  link *links;             /* how the current pass first reached each */
  uint32_t *entry;         /* entry block of each block's chain */
  array roots;             /* root_range of the current pass */
  bool precise;            /* the current pass reads shadow */
  uint8_t bit;             /* the state bit the current pass sets */
  bool out_of_memory;
  /* The result, kept until lk_explain_print. */
  bool collected, no_shadow;
  array notes;             /* note */
  size_t precise_only, conservative_only;
  size_t mismatched;       /* blocks pass 1/2 marked unlike lk_mark_all */
  bool checked_precise;    /* the mode lk_mark_all used */
} ex;

/* ----------------------------------------------------------- memory */

/* Zeroed memory straight from the system call (lk_sys_mmap: the mmap
 * interceptors must not see it), or NULL: never dies, since explaining is
 * optional and the leak check is not. */
static void *map(size_t bytes) {
  if (bytes == 0)
    bytes = 1;
  void *p = lk_sys_mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    ex.out_of_memory = true;
    return NULL;
  }
  return p;
}

static void unmap(void *p, size_t bytes) {
  if (p)
    lk_sys_munmap(p, bytes ? bytes : 1);
}

/* Room for one more element of elt bytes; NULL when out of memory. */
static void *array_push(array *a, size_t elt) {
  if (a->len == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 64;
    void *p = map(cap * elt);
    if (!p)
      return NULL;
    if (a->items) {
      memcpy(p, a->items, a->len * elt);
      unmap(a->items, a->cap * elt);
    }
    a->items = p;
    a->cap = cap;
  }
  return (char *)a->items + a->len++ * elt;
}

static void array_free(array *a, size_t elt) {
  unmap(a->items, a->cap * elt);
  *a = (array){0};
}

/* ------------------------------------------------------ block index */

static size_t slot_of(uintptr_t block) {
  return (size_t)(((uint64_t)block * 0x9E3779B97F4A7C15ull) >> 24) &
         ex.table_mask;
}

static void count_block(void *block, lk_meta *m, void *arg) { ex.n++; }

static void index_block(void *block, lk_meta *m, void *arg) {
  size_t *i = arg;
  ex.blocks[*i] = (uintptr_t)block;
  size_t h = slot_of((uintptr_t)block);
  while (ex.table[h])
    h = (h + 1) & ex.table_mask;
  ex.table[h] = (uint32_t)(*i + 1);
  ++*i;
}

/* Index of the block starting at block, or UINT32_MAX. */
static uint32_t index_of(uintptr_t block) {
  for (size_t h = slot_of(block); ex.table[h]; h = (h + 1) & ex.table_mask)
    if (ex.blocks[ex.table[h] - 1] == block)
      return ex.table[h] - 1;
  return UINT32_MAX;
}

static size_t table_slots(size_t n) {
  size_t slots = 64;
  while (slots < 2 * n)
    slots *= 2;
  return slots;
}

/* Maps and fills the per-block arrays; false when out of memory. */
static bool index_heap(void) {
  ex.n = 0;
  lk_for_each_block(count_block, NULL);
  if (ex.n >= MAX_BLOCKS) {
    ex.out_of_memory = true;
    ex.n = 0;
    return false;
  }
  size_t slots = table_slots(ex.n);
  ex.table_mask = slots - 1;
  ex.blocks = map(ex.n * sizeof *ex.blocks);
  ex.state = map(ex.n);
  ex.table = map(slots * sizeof *ex.table);
  ex.queue = map(ex.n * sizeof *ex.queue);
  ex.links = map(ex.n * sizeof *ex.links);
  ex.entry = map(ex.n * sizeof *ex.entry);
  if (ex.out_of_memory)
    return false;
  size_t i = 0;
  lk_for_each_block(index_block, &i);
  return true;
}

static void release_heap_index(void) {
  unmap(ex.blocks, ex.n * sizeof *ex.blocks);
  unmap(ex.state, ex.n);
  unmap(ex.table, (ex.table_mask + 1) * sizeof *ex.table);
  unmap(ex.queue, ex.n * sizeof *ex.queue);
  unmap(ex.links, ex.n * sizeof *ex.links);
  unmap(ex.entry, ex.n * sizeof *ex.entry);
  array_free(&ex.roots, sizeof(root_range));
  ex.blocks = NULL;
  ex.state = NULL;
  ex.table = NULL;
  ex.queue = ex.entry = NULL;
  ex.links = NULL;
  ex.n = ex.table_mask = 0;
}

static lk_meta *meta_of(uint32_t i) {
  lk_meta *m;
  lk_block_of(ex.blocks[i], &m);
  return m;
}

/* ------------------------------------------------------------ marker */

/* The current pass reaches the block containing target (if any) from the
 * word at where. */
static void reach(uintptr_t target, uintptr_t where, uint32_t from,
                  unsigned how) {
  lk_meta *m;
  void *b;
  if (target - lk_heap_lo >= lk_heap_hi - lk_heap_lo ||
      !(b = lk_block_of(target, &m)))
    return;
  uint32_t i = index_of((uintptr_t)b);
  if (i == UINT32_MAX || (ex.state[i] & ex.bit))
    return;
  ex.state[i] |= ex.bit;
  ex.links[i] = (link){where, from, (uint8_t)how};
  ex.queue[ex.queue_len++] = i;
}

static void precise_ref(uintptr_t where, uintptr_t target, unsigned how,
                        void *arg) {
  reach(target, where, *(const uint32_t *)arg, how);
}

/* Every candidate word of [lo, hi), as mark.c's scan_words. */
static void scan_words(uintptr_t lo, uintptr_t hi, uint32_t from) {
  if (hi < lo || hi - lo < sizeof(uintptr_t))
    return;
  uintptr_t step = lk_flags.use_unaligned ? 1 : sizeof(uintptr_t);
  uintptr_t p = lk_flags.use_unaligned ? lo : (lo + 7) & ~(uintptr_t)7;
  for (; p + sizeof(uintptr_t) <= hi; p += step) {
    uintptr_t v;
    __builtin_memcpy(&v, (const void *)p, sizeof v);
    reach(v, p, from, HOW_WORD);
  }
}

/* As mark.c's policy: PRECISE ranges by their shadow; others by value,
 * plus (ENCODED, in a precise marking) the encoded pointers their shadow
 * records. */
static void scan_range(uintptr_t lo, uintptr_t hi, bool precise, bool encoded,
                       uint32_t from) {
  if (precise) {
    lk_precise_refs(lo, hi, precise_ref, &from, false);
    return;
  }
  scan_words(lo, hi, from);
  if (encoded && ex.precise)
    lk_precise_refs(lo, hi, precise_ref, &from, true);
}

static void scan_root(uintptr_t lo, uintptr_t hi, const char *what,
                      bool precise, void *arg) {
  root_range *r = array_push(&ex.roots, sizeof *r);
  if (!r)
    return; /* out_of_memory: this collection is dropped */
  *r = (root_range){lo, hi, what};
  scan_range(lo, hi, ex.precise && precise, true,
             FROM_ROOT | (uint32_t)(ex.roots.len - 1));
}

static void scan_block(uint32_t i) {
  const lk_meta *m = meta_of(i);
  bool precise = ex.precise && (m->flags & LK_META_INSTRUMENTED) &&
                 !(m->flags & LK_META_UNSHADOWED);
  scan_range(ex.blocks[i], ex.blocks[i] + m->size, precise,
             m->flags & LK_META_INSTRUMENTED, i);
}

/* One marking: precise or not, setting state bit `bit`.  Its sources are
 * the roots, the blocks the leak check ignored and, with from_common, the
 * blocks both passes 1 and 2 reached.  ex.queue ends up holding the blocks
 * it reached in breadth-first order, ex.links how each was reached. */
static void mark(bool precise, uint8_t bit, bool from_common) {
  ex.precise = precise;
  ex.bit = bit;
  ex.queue_head = ex.queue_len = 0;
  ex.roots.len = 0;
  for (uint32_t i = 0; i < ex.n; i++) {
    ex.state[i] &= (uint8_t)~bit;
    if (meta_of(i)->tag == LK_TAG_IGNORED ||
        (from_common && (ex.state[i] & IN_BOTH) == IN_BOTH)) {
      ex.state[i] |= bit;
      ex.links[i] = (link){0, FROM_SEED, HOW_WORD};
      ex.queue[ex.queue_len++] = i;
    }
  }
  lk_for_each_root(scan_root, NULL, precise);
  while (ex.queue_head < ex.queue_len)
    scan_block(ex.queue[ex.queue_head++]);
}

/* Blocks pass 1 or 2 (bit) treats unlike lk_mark_all's tags. */
static size_t count_mismatches(uint8_t bit) {
  size_t bad = 0;
  for (uint32_t i = 0; i < ex.n; i++) {
    unsigned tag = meta_of(i)->tag;
    bool live = tag == LK_TAG_REACHABLE || tag == LK_TAG_IGNORED;
    bad += live != !!(ex.state[i] & bit);
  }
  return bad;
}

/* ------------------------------------------------------------- notes */

static bool has_shadow(uintptr_t a) {
  return lk_shadow_reserved() &&
         (a < LK_LOW_MEM_HI || (a >= LK_HIGH_MEM_LO && a < LK_HIGH_MEM_HI));
}

static bool common(uint32_t from) {
  return from < MAX_BLOCKS && (ex.state[from] & IN_BOTH) == IN_BOTH;
}

static void add_note(uint32_t i, bool precise_only) {
  note *n = array_push(&ex.notes, sizeof *n);
  if (!n)
    return;
  const lk_meta *m = meta_of(i);
  *n = (note){.block = ex.blocks[i], .size = m->size,
              .stack_id = m->stack_id, .precise_only = precise_only};
  if (ex.entry[i] != i) {
    n->entry = ex.blocks[ex.entry[i]];
    return;
  }
  const link *l = &ex.links[i];
  n->where = l->where;
  n->how = l->how;
  if (l->how == HOW_WORD) /* the scan read these 8 bytes: readable */
    __builtin_memcpy(&n->value, (const void *)l->where, sizeof n->value);
  if (has_shadow(l->where)) {
    n->shadow_known = true;
    n->shadow = *(const uint8_t *)LK_SHADOW_OF(l->where & ~(uintptr_t)7);
  }
  if (l->from & FROM_ROOT) {
    const root_range *r =
        (const root_range *)ex.roots.items + (l->from & ~FROM_ROOT);
    strncpy(n->root, r->what ? r->what : "root", sizeof n->root - 1);
  } else {
    const lk_meta *hm = meta_of(l->from);
    n->holder = ex.blocks[l->from];
    n->holder_size = hm->size;
    n->holder_stack = hm->stack_id;
  }
}

/* After pass 3 (precise_only) or 4: notes for the blocks that pass reached
 * and the other marking did not, in breadth-first order, so that a chain's
 * entry comes before the blocks reached through it. */
static void note_pass(bool precise_only) {
  for (size_t q = 0; q < ex.queue_len; q++) {
    uint32_t i = ex.queue[q];
    if ((ex.state[i] & IN_BOTH) == IN_BOTH)
      continue;
    uint32_t from = ex.links[i].from;
    ex.entry[i] = from < MAX_BLOCKS && !common(from) ? ex.entry[from] : i;
    add_note(i, precise_only);
    if (precise_only)
      ex.precise_only++;
    else
      ex.conservative_only++;
  }
}

static void drop_notes(void) {
  array_free(&ex.notes, sizeof(note));
  ex.precise_only = ex.conservative_only = ex.mismatched = 0;
}

void lk_explain_collect(bool checked_precise) {
  drop_notes(); /* a suppression rerun replaces the first run's result */
  ex.collected = true;
  ex.checked_precise = checked_precise;
  ex.out_of_memory = false;
  ex.no_shadow = !lk_shadow_reserved();
  if (ex.no_shadow)
    return;
  if (index_heap()) {
    mark(false, IN_C, false);
    mark(true, IN_P, false);
    ex.mismatched = count_mismatches(checked_precise ? IN_P : IN_C);
    mark(true, SEEN, true);
    note_pass(true);
    mark(false, SEEN, true);
    note_pass(false);
  }
  release_heap_index();
  if (ex.out_of_memory)
    drop_notes();
}

/* ---------------------------------------------------------- printing */

/* A line built piecewise and written at once. */
typedef struct line {
  char buf[1024];
  size_t len;
} line;

__attribute__((format(printf, 2, 3))) static void put(line *l,
                                                      const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(l->buf + l->len, sizeof l->buf - l->len, fmt, ap);
  va_end(ap);
  size_t room = sizeof l->buf - l->len; /* >= 1: the NUL */
  if (n > 0)
    l->len += (size_t)n < room ? (size_t)n : room - 1;
}

static bool loaded(const void *p) {
  Dl_info di;
  return p && dladdr(p, &di) != 0;
}

/* " (allocated at FILE:LINE:COL)": the pass's site while its module is
 * loaded, else the symbolized first frame; nothing when unknown. */
static void put_site(line *l, uint32_t stack_id) {
  const lk_stack *s = lk_stack_get(stack_id);
  if (!s)
    return;
  const struct __leakcc_site *site = s->site;
  if (site && loaded(site) && site->file && loaded(site->file)) {
    put(l, " (allocated at %s:%u", site->file, site->line);
    if (site->column)
      put(l, ":%u", site->column);
    put(l, ")");
    return;
  }
  if (s->nframes == 0 || !s->frames[0])
    return;
  lk_frame_info f[LK_MAX_FRAMES];
  if (lk_symbolize(s->frames[0] - 1, f, LK_MAX_FRAMES) == 0)
    return;
  if (f[0].file) {
    put(l, " (allocated at %s:%u", f[0].file, f[0].line);
    if (f[0].column)
      put(l, ":%u", f[0].column);
    put(l, ")");
  } else if (f[0].module) {
    put(l, " (allocated at %s+0x%zx)", f[0].module,
        (size_t)f[0].module_offset);
  }
}

static void put_block(line *l, uintptr_t block, size_t size,
                      uint32_t stack_id) {
  put(l, "%zu-byte block %p", size, (void *)block);
  put_site(l, stack_id);
}

/* "at offset K of N-byte block 0x..." or "in ROOT at 0x... (NAME+K in
 * MODULE)". */
static void put_place(line *l, const note *n) {
  if (n->holder) {
    put(l, "at offset %zu of ", (size_t)(n->where - n->holder));
    put_block(l, n->holder, n->holder_size, n->holder_stack);
    return;
  }
  put(l, "in %s at %p", n->root, (void *)n->where);
  Dl_info di;
  const ElfW(Sym) *sym = NULL;
  if (!dladdr1((void *)n->where, &di, (void **)&sym, RTLD_DL_SYMENT) ||
      !di.dli_fname)
    return;
  if (sym && di.dli_sname && di.dli_saddr &&
      n->where - (uintptr_t)di.dli_saddr < (sym->st_size ? sym->st_size : 1))
    put(l, " ('%s'+%zu in %s)", di.dli_sname,
        (size_t)(n->where - (uintptr_t)di.dli_saddr),
        *di.dli_fname ? di.dli_fname : "the executable");
  else
    put(l, " (%s+0x%zx)", *di.dli_fname ? di.dli_fname : "the executable",
        (size_t)(n->where - (uintptr_t)di.dli_fbase));
}

/* ------------------------------------------------------- store sites
 * Explain builds (LEAKCC_STORE_SITES=1 at compile time) call
 * __leakcc_store_site before each store of a computed value the pass
 * proved plain data: a direct-mapped table remembers, per granule, the
 * last such store (a later store to a granule that maps to the same slot
 * evicts it; two racing writers may pair a granule with the other's site,
 * which is only ever printed).  Mapped on first use, never freed. */
#define STORE_SITES_LOG2 20
typedef struct store_site {
  uintptr_t granule;
  const struct __leakcc_site *site;
} store_site;
static store_site *store_sites;

static size_t store_slot(uintptr_t g) {
  return (size_t)((g >> 3) * 0x9e3779b97f4a7c15ull >> (64 - STORE_SITES_LOG2));
}

LK_EXPORT void __leakcc_store_site(void *addr,
                                   const struct __leakcc_site *site) {
  store_site *t = __atomic_load_n(&store_sites, __ATOMIC_ACQUIRE);
  if (!t) {
    store_site *fresh = lk_mmap(sizeof *t << STORE_SITES_LOG2, "store sites");
    if (!__atomic_compare_exchange_n(&store_sites, &t, fresh, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      lk_munmap(fresh, sizeof *t << STORE_SITES_LOG2);
    else
      t = fresh;
  }
  uintptr_t g = (uintptr_t)addr & ~(uintptr_t)7;
  store_site *e = &t[store_slot(g)];
  __atomic_store_n(&e->site, site, __ATOMIC_RELAXED);
  __atomic_store_n(&e->granule, g, __ATOMIC_RELAXED);
}

/* The last plain-data store recorded at WHERE's granule, or NULL. */
static const struct __leakcc_site *store_site_of(uintptr_t where) {
  const store_site *t = __atomic_load_n(&store_sites, __ATOMIC_ACQUIRE);
  uintptr_t g = where & ~(uintptr_t)7;
  if (!t || t[store_slot(g)].granule != g)
    return NULL;
  return t[store_slot(g)].site;
}

/* Why precise marking does not follow a word that holds an address. */
static const char *false_pointer_reason(const note *n) {
  if (n->where & 7)
    return "it is an unaligned word (use_unaligned=1), which precise "
           "marking never reads";
  if (!n->shadow_known)
    return "it has no shadow";
  if (n->shadow & LEAKCC_SHADOW_DATA)
    return "its shadow says it holds no reference (stale data, a hash or "
           "another integer)";
  if (n->shadow & LEAKCC_SHADOW_SIDE)
    return "its side-table entries were recorded for other values (stale)";
  return "its shadow does not make it a reference to this block";
}

static void print_note(const note *n) {
  line l = {.len = 0};
  put(&l, "leakcc: explain: ");
  put_block(&l, n->block, n->size, n->stack_id);
  put(&l, " is live only in %s mode: ",
      n->precise_only ? "precise" : "conservative");
  if (n->entry) {
    put(&l, "reached through block %p", (void *)n->entry);
  } else if (n->precise_only) {
    const char *kind = n->how == HOW_WORD ? "pointer" : lk_how_name(n->how);
    put(&l, "it is referenced by %s %s ", strchr("aeiou", kind[0]) ? "an" : "a",
        kind);
    put_place(&l, n);
  } else {
    put(&l, "its only reference is a false pointer ");
    put_place(&l, n);
    put(&l, ": the word holds %p but %s", (void *)n->value,
        false_pointer_reason(n));
    const struct __leakcc_site *w =
        n->shadow_known && (n->shadow & LEAKCC_SHADOW_DATA)
            ? store_site_of(n->where)
            : NULL;
    if (w && w->file) {
      put(&l, "; written by the store at %s:%u:%u", w->file, w->line,
          w->column);
      if (w->function)
        put(&l, " in %s", w->function);
    }
  }
  lk_printf("%.*s\n", (int)l.len, l.buf);
}

void lk_explain_print(void) {
  if (!ex.collected)
    return;
  if (ex.no_shadow)
    lk_warn("explain=1 needs shadow memory, which could not be reserved; "
            "no explanation");
  else if (ex.out_of_memory)
    lk_warn("explain=1: out of memory; no explanation");
  else if (ex.precise_only + ex.conservative_only == 0)
    lk_printf("leakcc: explain: conservative and precise marking agree on "
              "every block\n");
  else
    lk_printf("leakcc: explain: conservative and precise marking disagree on "
              "%zu block(s): %zu live only in precise mode (conservative "
              "marking reports them as leaks), %zu live only in conservative "
              "mode (leaks it misses)\n",
              ex.precise_only + ex.conservative_only, ex.precise_only,
              ex.conservative_only);
  if (ex.mismatched)
    lk_warn("explain=1: this check's %s marking and explain's differ on %zu "
            "block(s); the explanations may not match the report",
            ex.checked_precise ? "precise" : "conservative", ex.mismatched);
  const note *notes = ex.notes.items;
  for (size_t i = 0; i < ex.notes.len; i++)
    print_note(&notes[i]);
  drop_notes();
  ex.collected = false;
}
