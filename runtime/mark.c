/*
 * The marker (lk.h, mark.c section): conservative, LSan-equivalent marking,
 * plus a classification of leaked blocks that also reports leaked cycles.
 *
 * The scanner (scan_range) is the only place that decides which words of a
 * range refer to which blocks: today every aligned word (every byte offset
 * with use_unaligned=1) whose value falls inside an allocated block,
 * interior pointers included.  The shadow-driven scanner of issue 3 replaces
 * it behind the same signature; the phases below only see (block, meta).
 *
 * Phases, each linear in the blocks and words involved:
 *
 *  1. Reset: every block becomes UNMARKED, or IGNORED when meta->ignored,
 *     when report.c has suppressed its allocation stack in an earlier run of
 *     this check (LSan's rerun: what only a suppressed leak reaches is not
 *     reported as an indirect leak), or when the dynamic loader allocated
 *     it (as LSan on Linux: the DTVs of the stacks glibc caches for reuse
 *     after a thread exits are referenced only from memory no one scans).
 *  2. Roots: a flood from the root ranges (roots.c) and from the contents of
 *     IGNORED blocks (as LSan) tags what it reaches REACHABLE.
 *  3. Leaks: the blocks still UNMARKED form the leaked graph.  A block is
 *     DIRECT (left UNMARKED) when no leaked block outside its strongly
 *     connected component reaches it, and it is the component's first
 *     member in lk_for_each_block order (the lowest address within the
 *     allocator's enumeration); every other leaked block is INDIRECT.  For
 *     acyclic graphs that is exactly LSan's rule (direct = no leaked block
 *     points to it, self-references ignored).  LSan reports a leaked cycle
 *     that nothing else reaches as indirect only; we report one direct
 *     member so that it is not hidden.  Computed Kosaraju-style:
 *       a. a depth-first search over the leaked graph, roots taken in
 *          lk_for_each_block order, records finishing order;
 *       b. in decreasing finishing time, an uncovered block starts a source
 *          component: it is the direct one, and a flood covers everything it
 *          reaches (the first-discovered member of a source component
 *          finishes last in it, and is its first member in block order);
 *       c. tags are set from the list: DIRECT or INDIRECT.
 *
 * Work lists are mmap'd directly, never lk_ialloc'd: the world is stopped
 * and a stopped thread may hold lk_ialloc's lock.  They grow by doubling; a
 * failed growth is recovered from (Boehm GC): the flood sets a flag and
 * afterwards rescans every block carrying its tag, and the classification
 * falls back to LSan's rule, with a warning.
 *
 * Issue 4 (two marker threads): the marker state lives in struct marker, one
 * per marking thread; tag transitions would become compare-and-swap.
 */
#include <link.h>
#include <string.h>
#include <sys/mman.h>

#include "lk.h"

#define WORKLIST_INITIAL_WORDS 4096

/* A growable array of words (block addresses, low bit as a flag). */
typedef struct worklist {
  uintptr_t *items;
  size_t len, cap;
} worklist;

static bool wl_push(worklist *w, uintptr_t v) {
  if (LK_UNLIKELY(w->len == w->cap)) {
    size_t cap = w->cap ? 2 * w->cap : WORKLIST_INITIAL_WORDS;
    void *p = mmap(NULL, cap * sizeof(uintptr_t), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
      return false;
    if (w->items) {
      memcpy(p, w->items, w->len * sizeof(uintptr_t));
      munmap(w->items, w->cap * sizeof(uintptr_t));
    }
    w->items = p;
    w->cap = cap;
  }
  w->items[w->len++] = v;
  return true;
}

static void wl_free(worklist *w) {
  if (w->items)
    munmap(w->items, w->cap * sizeof(uintptr_t));
  *w = (worklist){0};
}

/* ------------------------------------------------------------- scanner */

typedef void (*ref_fn)(void *block, lk_meta *m, void *ctx);

/* What a scanned range is; the conservative scanner treats all alike, the
 * precise one will not. */
enum range_kind { RANGE_ROOT, RANGE_BLOCK };

static inline void resolve(uintptr_t v, ref_fn ref, void *ctx) {
  if (v < lk_heap_lo || v >= lk_heap_hi)
    return;
  lk_meta *m;
  void *b = lk_block_of(v, &m);
  if (b)
    ref(b, m, ctx);
}

/* Calls ref for every allocated block a word of [lo, hi) refers to. */
static void scan_range(uintptr_t lo, uintptr_t hi, enum range_kind kind,
                       ref_fn ref, void *ctx) {
  (void)kind;
  if (hi < lo || hi - lo < sizeof(uintptr_t))
    return;
  if (lk_flags.use_unaligned) {
    for (uintptr_t p = lo; p + sizeof(uintptr_t) <= hi; p++) {
      uintptr_t v;
      memcpy(&v, (const void *)p, sizeof v);
      resolve(v, ref, ctx);
    }
    return;
  }
  for (uintptr_t p = (lo + 7) & ~(uintptr_t)7; p + 8 <= hi; p += 8)
    resolve(*(const uintptr_t *)p, ref, ctx);
}

static void scan_block(void *block, lk_meta *m, ref_fn ref, void *ctx) {
  scan_range((uintptr_t)block, (uintptr_t)block + m->size, RANGE_BLOCK, ref,
             ctx);
}

/* --------------------------------------------------------------- flood */

/* A flood turns every block tagged `from` that it reaches into `to` and
 * scans it.  Blocks already tagged `to` (or `also`) are its sources. */
typedef struct marker {
  worklist work;
  bool overflow;        /* a push failed: rescan sources after draining */
  unsigned from, to;
  unsigned also;        /* a second tag whose blocks are sources (IGNORED) */
} marker;

static void flood_ref(void *block, lk_meta *m, void *ctx) {
  marker *mk = ctx;
  if (m->tag != mk->from)
    return;
  m->tag = mk->to;
  if (!wl_push(&mk->work, (uintptr_t)block))
    mk->overflow = true;
}

static void drain(marker *mk) {
  while (mk->work.len) {
    lk_meta *m;
    void *b = lk_block_of(mk->work.items[--mk->work.len], &m);
    scan_block(b, m, flood_ref, mk);
  }
}

static void rescan_source(void *block, lk_meta *m, void *arg) {
  marker *mk = arg;
  if (m->tag == mk->to || m->tag == mk->also) {
    scan_block(block, m, flood_ref, mk);
    drain(mk);
  }
}

/* Drains, then recovers from dropped pushes by rescanning every source
 * until a full pass drops nothing. */
static void finish_flood(marker *mk) {
  drain(mk);
  while (mk->overflow) {
    mk->overflow = false;
    if (lk_flags.verbosity >= 1)
      lk_printf("leakcc: mark stack overflow; rescanning\n");
    lk_for_each_block(rescan_source, mk);
  }
}

/* ----------------------------------------------------- phases 1 and 2 */

/* Code range of the dynamic loader (ld-linux), found per check. */
static struct {
  uintptr_t lo, hi;
} loader;

static int find_loader(struct dl_phdr_info *info, size_t size, void *arg) {
  if (!info->dlpi_name || !strstr(info->dlpi_name, "/ld-linux"))
    return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
      continue;
    loader.lo = info->dlpi_addr + ph->p_vaddr;
    loader.hi = loader.lo + ph->p_memsz;
  }
  return 1;
}

static bool allocated_by_loader(uint32_t stack_id) {
  const lk_stack *s = lk_stack_get(stack_id);
  return s && s->nframes && s->frames[0] >= loader.lo &&
         s->frames[0] < loader.hi;
}

static void reset_tag(void *block, lk_meta *m, void *arg) {
  marker *mk = arg;
  if (m->ignored || lk_stack_suppressed(m->stack_id) ||
      allocated_by_loader(m->stack_id)) {
    m->tag = LK_TAG_IGNORED;
    if (!wl_push(&mk->work, (uintptr_t)block))
      mk->overflow = true;
  } else {
    m->tag = LK_TAG_UNMARKED;
  }
}

static void scan_root(uintptr_t lo, uintptr_t hi, const char *what,
                      void *arg) {
  marker *mk = arg;
  if (lk_flags.verbosity >= 2)
    lk_printf("leakcc: scanning %s [%p, %p)\n", what, (void *)lo, (void *)hi);
  scan_range(lo, hi, RANGE_ROOT, flood_ref, mk);
  drain(mk);
}

/* ------------------------------------------------------------- phase 3 */

#define FINISHED 1 /* low bit of a DFS work item: the block is finished */

typedef struct classify {
  worklist dfs;      /* blocks to visit, and FINISHED markers */
  worklist order;    /* leaked blocks by finishing time; low bit: direct */
  bool failed;
} classify;

static void dfs_ref(void *block, lk_meta *m, void *ctx) {
  classify *c = ctx;
  if (m->tag == LK_TAG_UNMARKED && !wl_push(&c->dfs, (uintptr_t)block))
    c->failed = true;
}

/* Depth-first search from an unvisited leaked block.  Visited = INDIRECT. */
static void dfs_from(void *root, lk_meta *root_meta, void *arg) {
  classify *c = arg;
  if (c->failed || root_meta->tag != LK_TAG_UNMARKED)
    return;
  if (!wl_push(&c->dfs, (uintptr_t)root)) {
    c->failed = true;
    return;
  }
  while (c->dfs.len && !c->failed) {
    uintptr_t item = c->dfs.items[--c->dfs.len];
    if (item & FINISHED) {
      if (!wl_push(&c->order, item & ~(uintptr_t)FINISHED))
        c->failed = true;
      continue;
    }
    lk_meta *m;
    void *b = lk_block_of(item, &m);
    if (m->tag != LK_TAG_UNMARKED)
      continue;
    m->tag = LK_TAG_INDIRECT;
    if (!wl_push(&c->dfs, item | FINISHED))
      c->failed = true;
    else
      scan_block(b, m, dfs_ref, c);
  }
}

/* Fallback when the work lists cannot grow: LSan's rule. */
static void lsan_reset(void *block, lk_meta *m, void *arg) {
  if (m->tag == LK_TAG_INDIRECT)
    m->tag = LK_TAG_UNMARKED;
}

static void lsan_indirect_ref(void *block, lk_meta *m, void *ctx) {
  if (block != ctx && m->tag == LK_TAG_UNMARKED)
    m->tag = LK_TAG_INDIRECT;
}

static void lsan_classify(void *block, lk_meta *m, void *arg) {
  if (m->tag == LK_TAG_UNMARKED || m->tag == LK_TAG_INDIRECT)
    scan_block(block, m, lsan_indirect_ref, block);
}

static void classify_leaks(marker *mk) {
  classify c = {0};
  lk_for_each_block(dfs_from, &c); /* a: all leaked blocks become INDIRECT */
  if (c.failed) {
    lk_warn("out of memory for leak classification; leaked cycles are "
            "reported as indirect leaks");
    lk_for_each_block(lsan_reset, NULL);
    lk_for_each_block(lsan_classify, NULL);
    wl_free(&c.dfs);
    wl_free(&c.order);
    return;
  }
  /* b: covered = UNMARKED (temporarily); the flood covers INDIRECT. */
  mk->from = LK_TAG_INDIRECT;
  mk->to = LK_TAG_UNMARKED;
  mk->also = LK_TAG_UNMARKED;
  for (size_t i = c.order.len; i-- > 0;) {
    lk_meta *m;
    void *b = lk_block_of(c.order.items[i], &m);
    if (m->tag != LK_TAG_INDIRECT)
      continue;
    c.order.items[i] |= 1; /* direct */
    m->tag = LK_TAG_UNMARKED;
    scan_block(b, m, flood_ref, mk);
    finish_flood(mk);
  }
  /* c: final tags. */
  for (size_t i = 0; i < c.order.len; i++) {
    lk_meta *m;
    lk_block_of(c.order.items[i] & ~(uintptr_t)1, &m);
    m->tag = (c.order.items[i] & 1) ? LK_TAG_UNMARKED : LK_TAG_INDIRECT;
  }
  wl_free(&c.dfs);
  wl_free(&c.order);
}

void lk_mark_all(void) {
  marker mk = {.from = LK_TAG_UNMARKED,
               .to = LK_TAG_REACHABLE,
               .also = LK_TAG_IGNORED};
  loader.lo = loader.hi = 0;
  dl_iterate_phdr(find_loader, NULL);
  lk_for_each_block(reset_tag, &mk);
  finish_flood(&mk); /* contents of ignored blocks */
  lk_for_each_root(scan_root, &mk);
  finish_flood(&mk);
  classify_leaks(&mk);
  wl_free(&mk.work);
}
