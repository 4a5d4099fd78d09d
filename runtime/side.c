/*
 * side.c: the side table and the provenance channel (abi.h, design.md §5).
 *
 * Instrumented code calls __leakcc_side_store for a store whose value
 * derives from pointers through a transform a shadow byte cannot describe:
 * XOR with a key or another pointer, base- and self-relative offsets, split
 * halves, unaligned pointers, pointers below their block.  The entry records
 * where the value was written, the value, and the pointers it derives from;
 * the granules written become SIDE.  At the leak check, an entry counts only
 * while its granule's shadow is still SIDE and memory still holds the value,
 * so nothing is removed when memory is overwritten or freed: a later store
 * or free changes the shadow or the value and the entry is dead.
 *
 *   table: open addressing keyed by granule (addr & ~7)
 *   +------+-------+-------+------+-------+------+-----+
 *   | addr | value | base0 | base1| width | kind | seq |   one entry
 *   +------+-------+-------+------+-------+------+-----+
 *
 * A granule keeps at most MAX_PER_GRANULE entries: the newest, since an
 * older value may still be wanted briefly (a swap copies an entry whose
 * source has already been overwritten).  Rebuilding the table drops the
 * entries of granules that are no longer SIDE.
 *
 * A full table (half its slots used) is replaced by one sized for the
 * entries that are still live: twice as large when more than a quarter of
 * the slots survive, as large or smaller otherwise, so a program that keeps
 * rewriting a few thousand encoded words does not grow the table forever.
 * When no memory is left for a new table, the old one fills up to 7/8,
 * then an entry that cannot be recorded pins the blocks it refers to
 * (pin_bases): losing metadata makes the check more conservative, never
 * less (docs/reliability.md, "Resource limits").
 *
 * Concurrency: writers take a spinlock; the table is replaced, never
 * resized in place, and an entry's key is published last, so the scanner
 * (world stopped, no lock: a stopped thread may hold it) always sees a
 * consistent table.  A replaced table is unmapped at once, or, when the
 * replacement happens inside lk_side_copy's walk of that very table, at the
 * end of the copy.
 *
 * The provenance channel is a thread-local array (abi.h); the pass reads and
 * writes it inline; __leakcc_chan_derive fills a slot from memory.
 */
#include "lk.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#define GRANULE 8u
#define MAX_PER_GRANULE 4u
#define INITIAL_CAP 1024u
/* An address no granule matches: a slot being rewritten in place stays
 * non-empty, so an unlocked reader probing past it is not cut short. */
#define TOMBSTONE ((uintptr_t)1)

typedef struct side_entry {
  _Atomic uintptr_t addr; /* 0: empty, TOMBSTONE: being rewritten; published
                             last */
  uint64_t value;
  uintptr_t base[2];
  uint32_t seq;
  uint8_t width, kind;
} side_entry;

typedef struct side_table {
  side_entry *slots;
  size_t cap, used;
  struct side_table *retired; /* replaced while a copy walked it */
} side_table;

static struct {
  _Atomic(side_table *) table;
  atomic_flag lock;
  uint32_t seq;
  /* Copies between lk_side_copy and lk_side_copy_done: entries they
   * recorded since inflight_seq survive a growth although their granules
   * are not SIDE yet. */
  unsigned inflight;
  uint32_t inflight_seq;
  /* lk_side_copy is walking the current table: a replaced table must stay
   * mapped until it is done (kept on the new table's retired list). */
  bool walking;
  bool atfork_registered;
} st = {.lock = ATOMIC_FLAG_INIT};

LK_EXPORT __thread struct __leakcc_chan __leakcc_chan[LEAKCC_CHAN_SLOTS]
    __attribute__((tls_model("initial-exec")));

static void unlock(void) {
  atomic_flag_clear_explicit(&st.lock, memory_order_release);
}

static void lock_only(void) {
  while (atomic_flag_test_and_set_explicit(&st.lock, memory_order_acquire))
    __builtin_ia32_pause();
}

/* A fork while another thread holds the lock must not leave the child's
 * table locked.  Registered before the lock is first taken (pthread_atfork
 * may allocate, and realloc may copy shadow, which takes the lock); the
 * table lives in its own mappings, so no other runtime lock is ever taken
 * under this one. */
static void lock(void) {
  if (!__atomic_exchange_n(&st.atfork_registered, true, __ATOMIC_ACQ_REL))
    pthread_atfork(lock_only, unlock, unlock);
  lock_only();
}

static inline uintptr_t granule(uintptr_t a) { return a & ~(uintptr_t)(GRANULE - 1); }

static inline size_t slot_of(const side_table *t, uintptr_t g) {
  return (size_t)((g >> 3) * 0x9e3779b97f4a7c15ull >> 20) & (t->cap - 1);
}

static inline uint8_t shadow(uintptr_t a) { return *(const uint8_t *)LK_SHADOW_OF(a); }

/* Whether memory at E's address still holds its value (the caller checked
 * that E's first granule is SIDE, so the memory is the program's). */
static bool holds(const side_entry *e, uintptr_t addr) {
  if (e->width == 4) {
    uint32_t v;
    memcpy(&v, (const void *)addr, 4);
    return v == (uint32_t)e->value;
  }
  if (granule(addr + 7) != granule(addr) &&
      !(shadow(addr + 7) & LEAKCC_SHADOW_SIDE))
    return false; /* the second granule was rewritten (or unmapped) */
  uint64_t v;
  memcpy(&v, (const void *)addr, 8);
  return v == e->value;
}

/* ------------------------------------------------------------- the table */

/* A table of CAP slots, or NULL when the kernel refuses the memory. */
static side_table *new_table(size_t cap) {
  size_t bytes = sizeof(side_table) + cap * sizeof(side_entry);
  void *m = lk_sys_mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return NULL;
  side_table *t = m;
  t->slots = (side_entry *)(t + 1);
  t->cap = cap;
  return t;
}

/* Writes E's contents to slot S and publishes it at ADDR. */
static void publish(side_entry *s, const side_entry *e, uintptr_t addr) {
  s->value = e->value;
  s->base[0] = e->base[0];
  s->base[1] = e->base[1];
  s->seq = e->seq;
  s->width = e->width;
  s->kind = e->kind;
  atomic_store_explicit(&s->addr, addr, memory_order_release);
}

/* Adds E to T, which has room; caller holds the lock. */
static void put(side_table *t, const side_entry *e, uintptr_t addr) {
  size_t i = slot_of(t, granule(addr));
  while (atomic_load_explicit(&t->slots[i].addr, memory_order_relaxed))
    i = (i + 1) & (t->cap - 1);
  publish(&t->slots[i], e, addr);
  t->used++;
}

/* Whether entry S must survive a rebuild: its granule is SIDE, or a copy in
 * flight recorded it before marking the granule.  (Its memory is not read:
 * it may have been unmapped without the shadow being cleared, as a dead
 * thread's stack.) */
static bool keep(const side_entry *s, uintptr_t a) {
  return (shadow(a) & LEAKCC_SHADOW_SIDE) ||
         (st.inflight && (int32_t)(s->seq - st.inflight_seq) >= 0);
}

/* Unmaps T and the tables retired before it. */
static void unmap_tables(side_table *t) {
  while (t) {
    side_table *next = t->retired;
    lk_sys_munmap(t, sizeof(side_table) + t->cap * sizeof(side_entry));
    t = next;
  }
}

/* A table holding T's entries that must survive, with at most a quarter of
 * its slots used (so at least cap / 4 inserts until the next rebuild), or
 * NULL when there is no memory for it. */
static side_table *rebuilt(side_table *t) {
  size_t live = 0, cap = INITIAL_CAP;
  for (size_t i = 0; t && i < t->cap; i++) {
    uintptr_t a = atomic_load_explicit(&t->slots[i].addr, memory_order_relaxed);
    live += a > TOMBSTONE && keep(&t->slots[i], a);
  }
  while (4 * (live + 1) > cap)
    cap *= 2;
  side_table *n = new_table(cap);
  for (size_t i = 0; n && t && i < t->cap; i++) {
    uintptr_t a = atomic_load_explicit(&t->slots[i].addr, memory_order_relaxed);
    if (a > TOMBSTONE && keep(&t->slots[i], a))
      put(n, &t->slots[i], a);
  }
  return n;
}

/* The next entry of granule G in T from slot *I on (which it advances), with
 * its address in *ADDR, or NULL at the end of G's probe sequence.  Start
 * with *I = slot_of(T, G). */
static side_entry *next_entry(const side_table *t, uintptr_t g, size_t *i,
                              uintptr_t *addr) {
  for (;;) {
    side_entry *s = &t->slots[*i];
    uintptr_t a = atomic_load_explicit(&s->addr, memory_order_acquire);
    if (!a)
      return NULL;
    *i = (*i + 1) & (t->cap - 1);
    if (granule(a) == g) {
      *addr = a;
      return s;
    }
  }
}

#define FOR_ENTRIES(t, g, s, a)                                                \
  for (size_t i_ = slot_of(t, g); ((s) = next_entry(t, g, &i_, &(a)));)

/* Records E at ADDR; caller holds the lock.  An entry for the same address,
 * width and value is updated; a granule keeps at most MAX_PER_GRANULE
 * entries, replacing first one whose memory no longer holds its value, else
 * the oldest (in place, behind a tombstone, so unlocked readers stay
 * consistent apart from that one entry).  Returns false when E could not be
 * recorded: the table is full and no memory is left for a larger one (the
 * caller pins E's blocks, pin_bases). */
static bool record(side_entry *e, uintptr_t addr) {
  side_table *t = atomic_load_explicit(&st.table, memory_order_relaxed);
  e->seq = ++st.seq;
  uintptr_t g = granule(addr);
  side_entry *victim = NULL, *s;
  bool victim_dead = false;
  unsigned n = 0;
  uintptr_t a;
  if (t)
    FOR_ENTRIES(t, g, s, a) {
      if (a == addr && s->width == e->width && s->value == e->value) {
        s->base[0] = e->base[0];
        s->base[1] = e->base[1];
        s->kind = e->kind;
        s->seq = e->seq;
        return true;
      }
      n++;
      bool dead = !(shadow(a) & LEAKCC_SHADOW_SIDE) || !holds(s, a);
      if (!victim || (dead && !victim_dead) ||
          (dead == victim_dead && (int32_t)(s->seq - victim->seq) < 0)) {
        victim = s;
        victim_dead = dead;
      }
    }
  if (n >= MAX_PER_GRANULE && victim) {
    atomic_store_explicit(&victim->addr, TOMBSTONE, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    publish(victim, e, addr);
    return true;
  }
  if (!t || 2 * (t->used + 1) > t->cap) {
    side_table *old = t, *n = rebuilt(old);
    if (!n) {
      /* No memory for a larger table: fill this one further (linear
       * probing still works up to 7/8), then give up. */
      if (!t || 8 * (t->used + 1) > 7 * t->cap)
        return false;
    } else {
      t = n;
      atomic_store_explicit(&st.table, t, memory_order_release);
      if (st.walking && old)
        t->retired = old; /* lk_side_copy unmaps it when its walk ends */
      else if (old)
        unmap_tables(old);
    }
  }
  put(t, e, addr);
  return true;
}

/* E could not be recorded.  The words it describes are no longer decoded,
 * so the blocks it refers to could look unreferenced: they are made
 * ignored for good (roots, never reported), which may hide a leak but
 * never reports a live block.  One warning per process. */
static void pin_bases(const side_entry *e) {
  static atomic_bool warned;
  for (unsigned i = 0; i < 2; i++) {
    uintptr_t b = e->base[i];
    if (b && !lk_pin_block(b) && b > 1)
      lk_pin_block(b - 1); /* one past its end */
  }
  if (!atomic_exchange(&warned, true))
    lk_warn("out of memory for the side table: blocks referenced only "
            "through encoded pointers that could not be recorded are "
            "never reported as leaks from now on");
}

/* Calls fn for the live entries of granule G (see lk_side_refs). */
static void for_each_live(uintptr_t g, void (*fn)(const side_entry *e, uintptr_t addr, void *arg),
                          void *arg) {
  const side_table *t = atomic_load_explicit(&st.table, memory_order_acquire);
  const side_entry *s;
  uintptr_t a;
  if (t)
    FOR_ENTRIES(t, g, s, a)
      if (holds(s, a))
        fn(s, a, arg);
}

/* ------------------------------------------------------------ bases */

/* Normalises the bases of a new entry: a XOR entry drops a base that
 * appears twice (p ^ p cancels out). */
static void add_base(side_entry *e, unsigned *n, uintptr_t b, bool xor) {
  if (!b)
    return;
  for (unsigned i = 0; i < *n; i++)
    if (e->base[i] == b) {
      if (xor) { /* cancel */
        e->base[i] = e->base[--*n];
        e->base[*n] = 0;
      }
      return;
    }
  if (*n < 2)
    e->base[(*n)++] = b;
}

/* Whether entry E at ADDR agrees with the WIDTH bytes VAL read at SRC on
 * every byte they share, and shares at least one. */
static bool overlaps_consistently(const side_entry *e, uintptr_t addr,
                                  uintptr_t src, uint64_t val, unsigned width) {
  uintptr_t lo = addr > src ? addr : src;
  uintptr_t hi = addr + e->width < src + width ? addr + e->width : src + width;
  if (lo >= hi)
    return false;
  for (uintptr_t x = lo; x < hi; x++)
    if ((uint8_t)(e->value >> 8 * (x - addr)) != (uint8_t)(val >> 8 * (x - src)))
      return false;
  return true;
}

/* The pointers the WIDTH bytes read at SRC derive from, given that they
 * were SRCVAL and SRC's shadow was SH when they were read; returns their
 * number (0..2).  With SIDE shadow, every entry overlapping the bytes read
 * and agreeing with them contributes (a word that holds part of an
 * unaligned pointer still refers to its block). */
static unsigned bases_in_memory(uintptr_t src, uint64_t srcval, uint8_t sh,
                                unsigned width, uintptr_t out[2],
                                unsigned *kind) {
  if (!lk_shadow_reserved() || !lk_in_app_range(src, src + 1))
    return 0;
  *kind = LEAKCC_SIDE_OTHER;
  if (!(sh & LEAKCC_SHADOW_SIDE)) {
    if (src % GRANULE || (sh & LEAKCC_SHADOW_DATA))
      return 0;
    /* RAW, or UNKNOWN (a word scanned by its value): the value itself. */
    bool masked = sh & LEAKCC_SHADOW_MASK;
    out[0] = masked ? srcval & LEAKCC_MASK_BITS : srcval;
    *kind = masked ? LEAKCC_SIDE_MASKED : LEAKCC_SIDE_RAW;
    return 1;
  }
  side_entry acc = {0};
  unsigned n = 0;
  bool exact = false;
  lock();
  const side_table *t = atomic_load_explicit(&st.table, memory_order_relaxed);
  const side_entry *s;
  uintptr_t a;
  for (uintptr_t g = granule(src) - GRANULE; t && g <= granule(src + width - 1);
       g += GRANULE)
    FOR_ENTRIES(t, g, s, a) {
      if (!overlaps_consistently(s, a, src, srcval, width))
        continue;
      if (a == src && s->width == width && !exact) {
        exact = true;
        *kind = s->kind;
      } else if (!exact) {
        *kind = LEAKCC_SIDE_PART;
      }
      add_base(&acc, &n, s->base[0], false);
      add_base(&acc, &n, s->base[1], false);
    }
  unlock();
  out[0] = acc.base[0];
  out[1] = acc.base[1];
  return n;
}

/* ------------------------------------------------------ compiler hooks */

/* Shadow of the granules [addr, addr + width) for a store without entry:
 * whole granules get SH, a partly written one keeps only its SIDE bit, and
 * its DATA bit if SH is DATA. */
static void set_shadow(uintptr_t addr, unsigned width, uint8_t sh) {
  uint8_t keep = sh == LEAKCC_SHADOW_DATA ? LEAKCC_SHADOW_PARTIAL_KEEP_DATA
                                          : LEAKCC_SHADOW_PARTIAL_KEEP;
  for (uintptr_t g = granule(addr); g < addr + width; g += GRANULE) {
    uint8_t *p = (uint8_t *)LK_SHADOW_OF(g);
    bool whole = g >= addr && g + GRANULE <= addr + width;
    *p = whole ? sh : (uint8_t)(*p & keep);
  }
}

/* The shadow byte of granule G that an entry at ADDR of WIDTH bytes makes
 * SIDE: DATA too when the entry covers G's word exactly (the encoded value
 * is no raw pointer), else UNKNOWN besides (the word holds other bytes,
 * or part of a value). */
static uint8_t entry_shadow(uintptr_t addr, unsigned width, uintptr_t g) {
  return addr == g && width == GRANULE
             ? LEAKCC_SHADOW_SIDE | LEAKCC_SHADOW_DATA
             : LEAKCC_SHADOW_SIDE;
}

/* Whether A and B lie in the same allocated block (one past its end
 * counts, as for precise marking). */
static bool same_block(uintptr_t a, uintptr_t b) {
  lk_meta *m;
  void *ba = lk_block_of(a, &m);
  if (!ba && a && (ba = lk_block_of(a - 1, &m)) && a - (uintptr_t)ba != m->size)
    ba = NULL;
  if (!ba)
    return false;
  return b - (uintptr_t)ba <= m->size;
}

static void store_entry(uintptr_t addr, uint64_t value, uint64_t how,
                        const uintptr_t *bases, unsigned nb) {
  unsigned width = (unsigned)(how & 0xff), kind = (unsigned)(how >> 8) & 0xff;
  if ((width != 4 && width != 8) || !lk_shadow_reserved() ||
      !lk_in_app_range(addr, addr + width))
    return;
  side_entry e = {.value = width == 4 ? (uint32_t)value : value,
                  .width = (uint8_t)width, .kind = (uint8_t)kind};
  unsigned n = 0;
  bool given = false;
  for (unsigned i = 0; i < nb; i++) {
    given |= bases[i] != 0;
    add_base(&e, &n, bases[i], kind == LEAKCC_SIDE_XOR);
  }
  /* p - q with both in one block (or computed from one pointer) is a length
   * or an index, no reference; otherwise it leads back to p only.  A
   * pointer "below its block" that turns out inside it is a raw pointer. */
  /* length: the value provably refers to nothing (its pointers cancel
   * out, or lie in one block: a length or an index; or the channel said
   * so). */
  bool length = (given && n == 0) || (kind == LEAKCC_SIDE_DATA && n == 0);
  if (kind == LEAKCC_SIDE_DATA)
    kind = e.kind = LEAKCC_SIDE_OTHER;
  if (kind == LEAKCC_SIDE_OFFSET && nb >= 2 && bases[0] && bases[0] == bases[1]) {
    n = 0;
    length = true;
  } else if (kind == LEAKCC_SIDE_OFFSET && n == 2) {
    length = same_block(e.base[0], e.base[1]);
    n = length ? 0 : 1;
    e.base[1] = 0;
  } else if (kind == LEAKCC_SIDE_BELOW && n == 1 && same_block(value, e.base[0])) {
    kind = LEAKCC_SIDE_RAW;
    e.base[0] = value;
  } else if (kind != LEAKCC_SIDE_XOR && n == 2 && same_block(e.base[0], e.base[1])) {
    /* Arithmetic on two pointers into one block (a length plus an index,
     * raw_len - offset): a pointer only when it lands in that block. */
    if (width == 8 && same_block(value, e.base[0])) {
      kind = LEAKCC_SIDE_RAW;
      e.base[0] = value;
      e.base[1] = 0;
      n = 1;
    } else {
      n = 0;
      length = true;
    }
  }
  /* A zero word refers to nothing, whatever it was computed from; nor
   * does a length.  A value with no base (a channel that had nothing for
   * it, a copy of a word with no record) may still be a pointer: scanned
   * by its value. */
  if (e.value == 0 || (n == 0 && length)) {
    set_shadow(addr, width, LEAKCC_SHADOW_DATA);
    return;
  }
  if (n == 0) {
    set_shadow(addr, width, LEAKCC_SHADOW_UNKNOWN);
    return;
  }
  /* A raw or masked pointer in an aligned word needs no entry. */
  if (width == 8 && addr % GRANULE == 0 && n == 1 &&
      ((kind == LEAKCC_SIDE_RAW && e.base[0] == value) ||
       (kind == LEAKCC_SIDE_MASKED && e.base[0] == (value & LEAKCC_MASK_BITS)))) {
    *(uint8_t *)LK_SHADOW_OF(addr) =
        kind == LEAKCC_SIDE_RAW ? LEAKCC_SHADOW_RAW : LEAKCC_SHADOW_MASK;
    return;
  }
  if (kind == LEAKCC_SIDE_RAW || kind == LEAKCC_SIDE_MASKED)
    e.kind = addr % GRANULE ? LEAKCC_SIDE_UNALIGNED : LEAKCC_SIDE_OTHER;
  lock();
  bool recorded = record(&e, addr);
  if (recorded)
    for (uintptr_t g = granule(addr); g < addr + width; g += GRANULE)
      *(uint8_t *)LK_SHADOW_OF(g) = entry_shadow(addr, width, g);
  unlock();
  if (!recorded) {
    pin_bases(&e);
    set_shadow(addr, width, LEAKCC_SHADOW_UNKNOWN); /* scanned by value */
  }
}

/* The three entry points below are called by instrumented code on cold
 * paths, often inside loops.  The pass calls them with LLVM's preserve_most
 * convention (abi.h), so that the caller keeps its values in caller-saved
 * registers across the call instead of callee-saved registers and spill
 * slots (bench/stack: frames of loops with element copies were 3x plain
 * ones).  The runtime is C (GCC has no preserve_most), so each exported
 * name is a thunk that saves the registers a C function may clobber and
 * calls the C implementation; the thunk is a valid C callee too (it
 * preserves a superset), so C callers (unit tests) work unchanged. */
#define PRESERVE_MOST_THUNK(name, impl)                                        \
  __asm__(".text\n"                                                          \
          ".globl " #name "\n"                                               \
          ".type " #name ",@function\n"                                      \
          ".p2align 4\n" #name ":\n"                                         \
          ".cfi_startproc\n"                                                 \
          "pushq %rbp\n"                                                     \
          ".cfi_def_cfa_offset 16\n"                                         \
          ".cfi_offset %rbp, -16\n"                                          \
          "movq %rsp, %rbp\n"                                                \
          ".cfi_def_cfa_register %rbp\n"                                     \
          "pushq %rax\n pushq %rcx\n pushq %rdx\n pushq %rsi\n"              \
          "pushq %rdi\n pushq %r8\n pushq %r9\n pushq %r10\n"                \
          "call " #impl "\n"                                                 \
          "popq %r10\n popq %r9\n popq %r8\n popq %rdi\n"                    \
          "popq %rsi\n popq %rdx\n popq %rcx\n popq %rax\n"                  \
          "popq %rbp\n"                                                      \
          ".cfi_def_cfa %rsp, 8\n"                                           \
          "ret\n"                                                            \
          ".cfi_endproc\n"                                                   \
          ".size " #name ", .-" #name "\n")

void lk_side_store_impl(void *addr, uint64_t value, uint64_t how,
                        const void *base, const void *base2);
void lk_side_derive_impl(void *addr, uint64_t value, uint64_t how,
                         const void *src, uint64_t srcval, const void *base);
void lk_chan_derive_impl(struct __leakcc_chan *slot, uint64_t value,
                         uint64_t how, const void *src, uint64_t srcval,
                         const void *base);
PRESERVE_MOST_THUNK(__leakcc_side_store, lk_side_store_impl);
PRESERVE_MOST_THUNK(__leakcc_side_derive, lk_side_derive_impl);
PRESERVE_MOST_THUNK(__leakcc_chan_derive, lk_chan_derive_impl);

__attribute__((used)) void lk_side_store_impl(void *addr, uint64_t value,
                                              uint64_t how, const void *base,
                                              const void *base2) {
  uintptr_t b[2] = {(uintptr_t)base, (uintptr_t)base2};
  store_entry((uintptr_t)addr, value, how, b, 2);
}

__attribute__((used)) void lk_side_derive_impl(void *addr, uint64_t value,
                                               uint64_t how, const void *src,
                                               uint64_t srcval,
                                               const void *base) {
  uintptr_t b[3] = {(uintptr_t)base, 0, 0};
  unsigned kind;
  unsigned n = bases_in_memory((uintptr_t)src, srcval, (uint8_t)(how >> 16),
                               (unsigned)(how & 0xff), b + 1, &kind);
  how &= 0xffff;
  /* A copy keeps the source's kind. */
  if (!base && value == srcval && (how >> 8) == LEAKCC_SIDE_COPY)
    how = LEAKCC_SIDE_HOW(how & 0xff, kind);
  else if ((how >> 8) == LEAKCC_SIDE_COPY)
    how = LEAKCC_SIDE_HOW(how & 0xff, LEAKCC_SIDE_OTHER);
  store_entry((uintptr_t)addr, value, how, b, 1 + n);
}

__attribute__((used)) void lk_chan_derive_impl(struct __leakcc_chan *slot,
                                               uint64_t value, uint64_t how,
                                               const void *src, uint64_t srcval,
                                               const void *base) {
  uintptr_t b[3] = {0, 0, 0};
  unsigned kind, n = bases_in_memory((uintptr_t)src, srcval,
                                     (uint8_t)(how >> 16), (unsigned)(how & 0xff),
                                     b, &kind);
  how &= 0xffff;
  side_entry e = {0};
  unsigned nb = 0;
  bool xor = (how >> 8) == LEAKCC_SIDE_XOR;
  add_base(&e, &nb, (uintptr_t)base, xor);
  for (unsigned i = 0; i < n; i++)
    add_base(&e, &nb, b[i], xor);
  slot->value = nb ? value : 0;
  slot->base = (const void *)e.base[0];
  slot->base2 = (const void *)e.base[1];
  slot->kind = (how >> 8) == LEAKCC_SIDE_COPY && !base ? kind : (how >> 8);
}

/* ------------------------------------------------------------- runtime */

struct copy_ctx {
  uintptr_t src, end; /* the copied source range */
  intptr_t delta;     /* dst - src */
};

/* Gives the destination a copy of entry E at ADDR if it was copied whole. */
static void copy_one(const side_entry *e, uintptr_t addr, void *arg) {
  const struct copy_ctx *c = arg;
  if (addr < c->src || addr + e->width > c->end)
    return;
  side_entry copy = *e;
  if (!record(&copy, addr + (uintptr_t)c->delta))
    pin_bases(e); /* the destination's shadow may still say SIDE */
}

/* Whether any granule of [src, src + n) has the SIDE bit (when SIDE_BIT)
 * or, with POINTERS, is RAW or MASK; reads eight shadow bytes at a time. */
static bool any_shadow(uintptr_t src, size_t n, uint8_t side_bit, bool pointers) {
  const uint8_t *sh = (const uint8_t *)LK_SHADOW_OF(src);
  const uint8_t *end = (const uint8_t *)LK_SHADOW_OF(src + n - 1) + 1;
  uint64_t want = 0x0101010101010101ull * (uint64_t)(side_bit | (pointers ? 3 : 0));
  for (; sh + 8 <= end; sh += 8) {
    uint64_t w;
    memcpy(&w, sh, 8);
    if (w & want)
      return true;
  }
  for (; sh < end; sh++)
    if (*sh & (uint8_t)want)
      return true;
  return false;
}

uint32_t lk_side_copy(uintptr_t dst, uintptr_t src, size_t n) {
  struct copy_ctx c = {src, src + n, (intptr_t)(dst - src)};
  bool aligned = c.delta % (intptr_t)GRANULE == 0;
  /* Most copies carry no entry and no pointer that would land unaligned:
   * nothing to record, no lock. */
  if (!n || !any_shadow(src, n, atomic_load_explicit(&st.table, memory_order_relaxed)
                                     ? LEAKCC_SHADOW_SIDE : 0,
                        !aligned))
    return 0;
  lock();
  uint32_t since = st.seq + 1;
  if (!st.inflight++)
    st.inflight_seq = since;
  for (uintptr_t g = granule(src); g < src + n; g += GRANULE) {
    uint8_t sh = shadow(g);
    if (sh & LEAKCC_SHADOW_SIDE) {
      st.walking = true;
      for_each_live(g, copy_one, &c);
      st.walking = false;
      side_table *t = atomic_load_explicit(&st.table, memory_order_relaxed);
      unmap_tables(t->retired);
      t->retired = NULL;
    } else if (!aligned && (sh & (LEAKCC_SHADOW_RAW | LEAKCC_SHADOW_MASK)) &&
               g >= src && g + GRANULE <= src + n) {
      /* A pointer that lands unaligned: an entry for its bytes. */
      uint64_t v = *(const uint64_t *)g;
      side_entry e = {.value = v, .width = 8, .kind = LEAKCC_SIDE_UNALIGNED,
                      .base = {sh & LEAKCC_SHADOW_RAW ? v : v & LEAKCC_MASK_BITS}};
      if (v)
        copy_one(&e, g, &c);
    }
  }
  /* No entry recorded: nothing for lk_side_copy_done to mark. */
  if (st.seq + 1 == since) {
    if (!--st.inflight)
      st.inflight_seq = 0;
    since = 0;
  }
  unlock();
  return since;
}

void lk_side_copy_done(uintptr_t dst, size_t n, uint32_t since) {
  if (!since) /* nothing was recorded */
    return;
  lock();
  const side_table *t = atomic_load_explicit(&st.table, memory_order_relaxed);
  /* Entries start at most 7 bytes before the granule they reach into. */
  const side_entry *e;
  uintptr_t a;
  for (uintptr_t g = granule(dst) - GRANULE; t && g < dst + n; g += GRANULE)
    FOR_ENTRIES(t, g, e, a) {
      if (a < dst || a + e->width > dst + n || (int32_t)(e->seq - since) < 0)
        continue;
      for (uintptr_t h = g; h < a + e->width; h += GRANULE)
        *(uint8_t *)LK_SHADOW_OF(h) = entry_shadow(a, e->width, h);
    }
  if (!--st.inflight)
    st.inflight_seq = 0;
  unlock();
}

struct refs_ctx {
  lk_ref_fn fn;
  void *arg;
};

static void ref_one(const side_entry *e, uintptr_t addr, void *arg) {
  const struct refs_ctx *c = arg;
  for (unsigned i = 0; i < 2; i++)
    if (e->base[i])
      c->fn(addr, e->base[i], LK_HOW_SIDE + e->kind, c->arg);
}

void lk_side_refs(uintptr_t g, lk_ref_fn fn, void *arg) {
  struct refs_ctx c = {fn, arg};
  for_each_live(g, ref_one, &c);
}
