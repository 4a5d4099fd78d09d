/*
 * Escapes (abi.h "Escapes"; lk.h, escape.c section): pointers that
 * instrumented code hands to functions that may not be instrumented.
 *
 * A function that a registered module lists keeps shadow up to date, so a
 * call to it changes nothing: __leakcc_escape sets the caller's per-callee
 * byte and the caller stops reporting that callee.  Any other callee may
 * store pointers into the memory it is given without writing shadow, so the
 * heap block (LK_META_CONSERVATIVE) or the instrumented global (roots.c)
 * that the pointer points into is scanned conservatively from then on.  So
 * is every instrumented block that memory references, since the callee may
 * follow a pointer it finds and write into what it points to
 * (LK_META_REACHED_BY_ESCAPE): those of an escaping global or stack window
 * are flagged here (the window is not tracked after the call), those of an
 * escaped block by the marker (mark.c).  One level only: a library that
 * follows two pointers deep into memory it was not given is not covered
 * (docs/precision.md).
 *
 * The function set is an open-addressing hash set of addresses (linear
 * probing, power-of-two capacity, at most half full, so every probe ends at
 * an empty slot).  __leakcc_escape reads it without a lock: a writer fills a
 * slot with one atomic store, so a reader racing with the registration of
 * its callee sees it either known or unknown (unknown is only conservative).
 * A grown table is published with a release store; replaced tables are
 * never freed, since a reader may still be probing one (doubling keeps
 * their total size below the current table's).  The functions of an
 * unloaded object become tombstones, which later inserts reuse.
 */
#include <pthread.h>

#include "lk.h"

#define EMPTY ((uintptr_t)0)
#define TOMBSTONE ((uintptr_t)1) /* no function lives at address 1 */
#define MIN_CAPACITY_LOG2 10

typedef struct fn_table {
  unsigned shift;     /* 64 - log2(capacity): Fibonacci hashing */
  size_t mask;        /* capacity - 1 */
  uintptr_t slots[];  /* EMPTY, TOMBSTONE or a function address */
} fn_table;

/* All module state.  lock serialises the writers. */
static struct {
  fn_table *table;    /* read with acquire; NULL until the first insert */
  size_t used;        /* slots not EMPTY (functions and tombstones) */
  pthread_mutex_t lock;
} fset = {.lock = PTHREAD_MUTEX_INITIALIZER};

static inline size_t slot_of(const fn_table *t, uintptr_t a) {
  return (size_t)((a * 0x9e3779b97f4a7c15ULL) >> t->shift);
}

static size_t table_bytes(size_t capacity) {
  return sizeof(fn_table) + capacity * sizeof(uintptr_t);
}

static bool fset_contains(uintptr_t a) {
  const fn_table *t = __atomic_load_n(&fset.table, __ATOMIC_ACQUIRE);
  if (!t || a == EMPTY || a == TOMBSTONE)
    return false;
  for (size_t i = slot_of(t, a);; i = (i + 1) & t->mask) {
    uintptr_t s = __atomic_load_n(&t->slots[i], __ATOMIC_RELAXED);
    if (s == a)
      return true;
    if (s == EMPTY)
      return false;
  }
}

/* Caller holds fset.lock.  Doubles the table (dropping tombstones) and
 * publishes the new one; the old one stays readable.  False when there is
 * no memory for it. */
static bool fset_grow(void) {
  const fn_table *old = fset.table;
  unsigned bits = old ? 64 - old->shift + 1 : MIN_CAPACITY_LOG2;
  size_t capacity = (size_t)1 << bits;
  fn_table *t = lk_ialloc_try(table_bytes(capacity)); /* zeroed: all EMPTY */
  if (!t)
    return false;
  t->shift = 64 - bits;
  t->mask = capacity - 1;
  fset.used = 0;
  for (size_t i = 0; old && i <= old->mask; i++) {
    uintptr_t a = old->slots[i];
    if (a == EMPTY || a == TOMBSTONE)
      continue;
    size_t j = slot_of(t, a);
    while (t->slots[j] != EMPTY)
      j = (j + 1) & t->mask;
    t->slots[j] = a;
    fset.used++;
  }
  __atomic_store_n(&fset.table, t, __ATOMIC_RELEASE);
  return true;
}

/* Caller holds fset.lock.  Out of memory, the function is left out: a call
 * to it is then an escape, which is only more conservative. */
static void fset_insert(uintptr_t a) {
  fn_table *t = fset.table;
  if (!t || 2 * (fset.used + 1) > t->mask + 1) {
    if (!fset_grow() && (!t || 8 * (fset.used + 1) > 7 * (t->mask + 1)))
      return;
    t = fset.table;
  }
  size_t i = slot_of(t, a), reuse = SIZE_MAX;
  for (;; i = (i + 1) & t->mask) {
    uintptr_t s = t->slots[i];
    if (s == a)
      return;
    if (s == EMPTY)
      break;
    if (s == TOMBSTONE && reuse == SIZE_MAX)
      reuse = i;
  }
  if (reuse != SIZE_MAX)
    i = reuse;
  else
    fset.used++;
  __atomic_store_n(&t->slots[i], a, __ATOMIC_RELAXED);
}

void lk_escape_add_functions(const struct __leakcc_module *m) {
  if (!m->num_functions || !m->functions)
    return;
  pthread_mutex_lock(&fset.lock);
  for (uint64_t i = 0; i < m->num_functions; i++) {
    uintptr_t a = (uintptr_t)m->functions[i];
    if (a != EMPTY && a != TOMBSTONE)
      fset_insert(a);
  }
  pthread_mutex_unlock(&fset.lock);
}

void lk_escape_forget(uintptr_t lo, uintptr_t hi) {
  pthread_mutex_lock(&fset.lock);
  fn_table *t = fset.table;
  for (size_t i = 0; t && i <= t->mask; i++)
    if (t->slots[i] >= lo && t->slots[i] < hi && t->slots[i] != TOMBSTONE)
      __atomic_store_n(&t->slots[i], TOMBSTONE, __ATOMIC_RELAXED);
  pthread_mutex_unlock(&fset.lock);
}

/* ------------------------------------------------------------- escapes */

/* The flags bits within the first 8 bytes of lk_meta (the compiler's
 * bit-field layout; folds to a constant). */
typedef uint64_t __attribute__((may_alias)) meta_word;

static inline uint64_t meta_bits(lk_meta v) {
  uint64_t w;
  __builtin_memcpy(&w, &v, sizeof w);
  return w;
}

/* Sets BITS in m's first word and returns the word before (BITS included
 * when they were all set already).  An atomic OR, since other threads may
 * write the word's other fields (a realloc in place, __lsan_ignore_object,
 * the marker's tag); their plain stores can only drop the bits while the
 * block is being freed or replaced.  Skipped when already set, so that
 * repeated escapes do not bounce the metadata line between cores. */
static uint64_t meta_set(lk_meta *m, uint64_t bits) {
  meta_word *w = (meta_word *)m;
  uint64_t old = __atomic_load_n(w, __ATOMIC_RELAXED);
  if ((old & bits) == bits)
    return old;
  return __atomic_fetch_or(w, bits, __ATOMIC_RELAXED);
}

bool lk_block_escapes(lk_meta *m, unsigned flag) {
  uint64_t old = meta_set(m, meta_bits((lk_meta){.flags = flag}));
  return !(old & meta_bits((lk_meta){.flags = LK_META_UNSHADOWED}));
}

/* The block P points into or one past the end of (buf + len, which the
 * allocator's slack, LK_SLACK, keeps inside the same chunk), with its start
 * in *B; NULL when there is none. */
static lk_meta *block_at_or_end(uintptr_t p, uintptr_t *b) {
  lk_meta *m;
  if (p - lk_heap_lo >= lk_heap_hi - lk_heap_lo ||
      !(*b = (uintptr_t)lk_chunk_of(p, &m)))
    return NULL;
  return m->state == LK_ALLOCATED && p - *b <= m->size ? m : NULL;
}

/* The instrumented blocks the aligned words of [lo, hi) point into (or one
 * past the end of) are flagged LK_META_REACHED_BY_ESCAPE: the callee may
 * write into them through the pointers it finds there. */
static void referents_escape(uintptr_t lo, uintptr_t hi) {
  for (uintptr_t a = (lo + 7) & ~(uintptr_t)7; a + 8 <= hi; a += 8) {
    uintptr_t b;
    lk_meta *m = block_at_or_end(*(const uintptr_t *)a, &b);
    if (m && (m->flags & LK_META_INSTRUMENTED))
      lk_block_escapes(m, LK_META_REACHED_BY_ESCAPE);
  }
}

bool lk_pin_block(uintptr_t p) {
  lk_meta *m;
  if (p - lk_heap_lo >= lk_heap_hi - lk_heap_lo || !lk_block_of(p, &m))
    return false;
  meta_set(m, meta_bits((lk_meta){.ignored = 1}));
  return true;
}

/* Bytes of a stack an out-parameter may cover: P points into a caller's
 * frame (or this thread's stack otherwise), whose object's size the pass
 * did not know. */
#define STACK_WINDOW 256u

/* P was handed to code that may write memory without shadow: the heap block
 * containing it (or ending at it) is scanned conservatively from now on, an
 * instrumented global likewise, and whatever they or the stack around P
 * held as proven plain data (DATA) may be a pointer by the time
 * instrumented code reads it back. */
void lk_memory_written_without_shadow(uintptr_t p, bool conservative) {
  uintptr_t lo, hi;
  if (p - lk_heap_lo < lk_heap_hi - lk_heap_lo) {
    uintptr_t b;
    lk_meta *m = block_at_or_end(p, &b);
    if (m) {
      if (conservative)
        lk_block_escapes(m, LK_META_CONSERVATIVE);
      lk_shadow_forget_data(b, b + m->size);
    }
    return;
  }
  if (conservative ? lk_globals_escape(p, &lo, &hi)
                   : lk_globals_range(p, &lo, &hi)) {
    lk_shadow_forget_data(lo, hi);
    if (conservative)
      referents_escape(lo, hi);
    return;
  }
  const lk_thread *t = lk_current_thread();
  if (t && p >= t->stack_lo && p < t->stack_hi) {
    hi = t->stack_hi - p < STACK_WINDOW ? t->stack_hi : p + STACK_WINDOW;
    lk_shadow_forget_data(p, hi);
    if (conservative)
      referents_escape(p, hi);
  }
}

LK_EXPORT void __leakcc_escape(uint8_t *known, const void *callee,
                               const void *p) {
  if (fset_contains((uintptr_t)callee)) {
    if (known)
      *known = 1;
    return;
  }
  if (p)
    lk_memory_written_without_shadow((uintptr_t)p, true);
}

LK_EXPORT void __leakcc_escape_indirect(const void **last, const void *callee,
                                        const void *p) {
  if (fset_contains((uintptr_t)callee)) {
    *last = callee;
    return;
  }
  if (p)
    lk_memory_written_without_shadow((uintptr_t)p, true);
}

LK_EXPORT void __leakcc_slot_escape(const void *p, uint64_t n) {
  uintptr_t lo = (uintptr_t)p;
  referents_escape(lo, lo + (n < STACK_WINDOW ? n : STACK_WINDOW));
}

LK_EXPORT void __leakcc_unknown_write(const void *p) {
  if (p)
    lk_memory_written_without_shadow((uintptr_t)p, false);
}

/* The x86-64 System V va_list (one element of the va_list array). */
struct va_list_sysv {
  uint32_t gp_offset, fp_offset;
  void *overflow_arg_area, *reg_save_area;
};
#define REG_SAVE_AREA_SIZE 176u /* 6 general registers, 8 SSE registers */

LK_EXPORT void __leakcc_va_start(void *ap) {
  const struct va_list_sysv *va = ap;
  const lk_thread *t = lk_current_thread();
  uintptr_t regs = (uintptr_t)va->reg_save_area;
  uintptr_t over = (uintptr_t)va->overflow_arg_area;
  lk_shadow_forget_data(regs, regs + REG_SAVE_AREA_SIZE);
  /* The caller's outgoing arguments, up to the top of the stack. */
  uintptr_t hi = over + 2 * STACK_WINDOW;
  if (t && over >= t->stack_lo && over < t->stack_hi && hi > t->stack_hi)
    hi = t->stack_hi;
  lk_shadow_forget_data(over, hi);
}
