/*
 * The marker (lk.h, mark.c section): precise or conservative
 * (LSan-equivalent) marking, plus a classification of leaked blocks that
 * also reports leaked cycles.
 *
 * Which words of a range are candidate references: scan_words takes every
 * aligned word (every byte offset with use_unaligned=1) whose value falls
 * inside an allocated block, interior pointers included.  With precise
 * marking (mode=precise), a block flagged LK_META_INSTRUMENTED and not
 * LK_META_CONSERVATIVE (handed to code that may not be instrumented), and a
 * root range the root set calls precise (instrumented globals), are read
 * through lk_precise_scan instead: only the references shadow records
 * (precise.c).  Other roots (stacks, registers, TLS, the rest of the
 * segments, root regions, interceptor roots) are scanned conservatively
 * and through lk_precise_scan (encoded pointers written there); other
 * blocks stay conservative.  An instrumented block flagged
 * LK_META_CONSERVATIVE flags every instrumented block it references
 * LK_META_REACHED_BY_ESCAPE (the code it was handed to may have followed
 * those references and written there too, escape.c), which makes them
 * conservative as well, one level deep: the flood flags them before they
 * are scanned, and scans again, conservatively, one it had already scanned
 * precisely.
 * Every block scan goes through scan_block or scan_block_refs, which
 * choose; the phases below only see (block, meta).
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
 *     IGNORED blocks (as LSan) tags what it reaches REACHABLE.  It runs on
 *     up to marker_threads threads (below).
 *  3. Leaks, skipped when phase 2 reached every block: the blocks still
 *     UNMARKED form the leaked graph.  A block is
 *     DIRECT (left UNMARKED) when no leaked block outside its strongly
 *     connected component reaches it, and it is the component's first
 *     member in lk_for_each_block order (the lowest address within the
 *     allocator's enumeration); every other leaked block is INDIRECT.  For
 *     acyclic graphs that is exactly LSan's rule (direct = no leaked block
 *     points to it, self-references ignored).  LSan reports a leaked cycle
 *     that nothing else reaches as indirect only; we report one direct
 *     member so that it is not hidden.  Computed Kosaraju-style, on one
 *     thread (leaks are few):
 *       a. a depth-first search over the leaked graph, roots taken in
 *          lk_for_each_block order, records finishing order;
 *       b. in decreasing finishing time, an uncovered block starts a source
 *          component: it is the direct one, and a flood covers everything it
 *          reaches (the first-discovered member of a source component
 *          finishes last in it, and is its first member in block order);
 *       c. tags are set from the list: DIRECT or INDIRECT.
 *
 * The flood is latency bound (a metadata line and a block's lines per
 * reference, scattered over the heap), so it is pipelined: a candidate word
 * enters a small ring with its metadata prefetched and is resolved when it
 * leaves the ring; a block taken off the mark stack enters a second ring
 * with its contents prefetched and is scanned when it leaves it.
 *
 * Parallel flood: marker 0 is the stopping thread; the others are raw
 * clone(2) threads created inside lk_mark_all, after the world is stopped.
 * clone takes no lock and allocates nothing, the threads share the stopper's
 * thread pointer and touch no TLS, block every signal, are never registered
 * (so the stop never signals them) and have exited when lk_mark_all returns.
 * A block is claimed by compare-and-swap on the first word of its metadata
 * (no other field of that word changes while the world is stopped), so each
 * block is scanned once.  Each marker drains its own stack; a marker with
 * surplus work moves a batch to a shared pool while another marker is idle;
 * the flood ends when every marker is idle and the pool is empty (decided
 * under the pool lock).
 *
 * Work lists are mmap'd directly, never lk_ialloc'd: the world is stopped
 * and a stopped thread may hold lk_ialloc's lock.  They grow by doubling; a
 * failed growth is recovered from (Boehm GC): the flood sets a flag and
 * afterwards rescans every block carrying its tag, on one thread, and the
 * classification falls back to LSan's rule, with a warning.  The marker
 * state lives in LK_STATE memory and mmap'd lists, never on a scanned
 * stack, so that stale entries of one check cannot keep blocks alive in the
 * next.
 */
#include <link.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lk.h"

#define WORKLIST_INITIAL_WORDS 4096
#define MAX_MARKERS 8
#define PARALLEL_MIN_BLOCKS 16384 /* smaller heaps: one marker */
#define HELPER_STACK_SIZE (256u << 10)
#define REF_RING 16    /* candidate references in flight; a power of 2 */
#define SCAN_RING 8    /* blocks in flight; a power of 2 */
#define SHARE_ITEMS 256 /* work items moved to the pool at a time */
#define POOL_ITEMS (64u << 10)
#define IDLE_SPINS 1024 /* pause loops before an idle marker yields */

/* A growable array of words: block addresses (low bit as a flag), or pairs
 * (block, metadata) in the flood's mark stacks. */
typedef struct worklist {
  uintptr_t *items;
  size_t len, cap;
} worklist;

static bool wl_grow(worklist *w) {
  size_t cap = w->cap ? 2 * w->cap : WORKLIST_INITIAL_WORDS;
  void *p = lk_sys_mmap(NULL, cap * sizeof(uintptr_t), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return false;
  if (w->items) {
    memcpy(p, w->items, w->len * sizeof(uintptr_t));
    lk_sys_munmap(w->items, w->cap * sizeof(uintptr_t));
  }
  w->items = p;
  w->cap = cap;
  return true;
}

static bool wl_push(worklist *w, uintptr_t v) {
  if (LK_UNLIKELY(w->len == w->cap) && !wl_grow(w))
    return false;
  w->items[w->len++] = v;
  return true;
}

/* Pushes both or neither (capacities are even). */
static bool wl_push2(worklist *w, uintptr_t a, uintptr_t b) {
  if (LK_UNLIKELY(w->len + 2 > w->cap) && !wl_grow(w))
    return false;
  w->items[w->len++] = a;
  w->items[w->len++] = b;
  return true;
}

static void wl_free(worklist *w) {
  if (w->items)
    lk_sys_munmap(w->items, w->cap * sizeof(uintptr_t));
  *w = (worklist){0};
}

/* ------------------------------------------------------------- scanner */

/* Calls word(v, ctx) for every candidate word v of [lo, hi). */
static inline __attribute__((always_inline)) void
scan_words(uintptr_t lo, uintptr_t hi, void (*word)(uintptr_t v, void *ctx),
           void *ctx) {
  if (hi < lo || hi - lo < sizeof(uintptr_t))
    return;
  if (LK_UNLIKELY(lk_flags.use_unaligned)) {
    for (uintptr_t p = lo; p + sizeof(uintptr_t) <= hi; p++) {
      uintptr_t v;
      __builtin_memcpy(&v, (const void *)p, sizeof v);
      word(v, ctx);
    }
    return;
  }
  for (uintptr_t p = (lo + 7) & ~(uintptr_t)7; p + 8 <= hi; p += 8)
    word(*(const uintptr_t *)p, ctx);
}

static inline bool in_heap(uintptr_t v) {
  return v - lk_heap_lo < lk_heap_hi - lk_heap_lo;
}

/* The unpipelined scanner of the classification: calls ref for every
 * allocated block a word of [lo, hi) refers to. */
typedef void (*ref_fn)(void *block, lk_meta *m, void *ctx);
typedef struct resolve_ctx {
  ref_fn ref;
  void *ctx;
} resolve_ctx;

/* Whether this check marks precisely (lk_mark_all's argument). */
static bool mark_precise;

static void resolve_word(uintptr_t v, void *arg) {
  const resolve_ctx *rc = arg;
  lk_meta *m;
  void *b;
  if (!in_heap(v))
    return;
  if ((b = lk_block_of(v, &m)) ||
      /* one past the end (see take_ref) */
      (mark_precise && (b = lk_block_of(v - 1, &m)) &&
       v - (uintptr_t)b == m->size))
    rc->ref(b, m, rc->ctx);
}

static inline bool scan_precisely(const lk_meta *m) {
  return mark_precise &&
         (m->flags & (LK_META_INSTRUMENTED | LK_META_UNSHADOWED)) ==
             LK_META_INSTRUMENTED;
}

static void scan_block_refs(void *block, lk_meta *m, ref_fn ref, void *ctx) {
  resolve_ctx rc = {ref, ctx};
  uintptr_t lo = (uintptr_t)block, hi = lo + m->size;
  if (scan_precisely(m)) {
    lk_precise_scan(lo, hi, resolve_word, &rc, false);
    return;
  }
  scan_words(lo, hi, resolve_word, &rc);
  if (mark_precise && (m->flags & LK_META_INSTRUMENTED))
    lk_precise_scan(lo, hi, resolve_word, &rc, true);
}

/* ---------------------------------------------------------------- tags */

/* The tag's bits within the first 8 bytes of lk_meta (found from the
 * compiler's bit-field layout, not assumed). */
typedef uint64_t __attribute__((may_alias)) meta_word;
static uint64_t tag_mask;
static unsigned tag_shift;

static void tag_layout_init(void) {
  lk_meta v;
  memset(&v, 0, sizeof v);
  v.tag = 3;
  __builtin_memcpy(&tag_mask, &v, sizeof tag_mask);
  tag_shift = (unsigned)__builtin_ctzll(tag_mask);
}

/* Turns m's tag from `from` into `to`; false when it is not `from`, or
 * another marker changed it first (atomic: with several markers). */
static inline bool claim(lk_meta *m, unsigned from, unsigned to, bool atomic) {
  meta_word *w = (meta_word *)m;
  uint64_t old = __atomic_load_n(w, __ATOMIC_RELAXED);
  if (((old & tag_mask) >> tag_shift) != from)
    return false;
  uint64_t new = (old & ~tag_mask) | ((uint64_t)to << tag_shift);
  if (!atomic) {
    __atomic_store_n(w, new, __ATOMIC_RELAXED);
    return true;
  }
  return __atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED);
}

/* --------------------------------------------------------------- flood */

/* One marking thread's state.  Rings are FIFOs indexed by head and len. */
typedef struct marker {
  worklist work;   /* mark stack: pairs (block, meta) */
  struct {
    uintptr_t v, block;
    lk_meta *m;
    bool escaped;  /* found in a block flagged LK_META_CONSERVATIVE */
  } ref[REF_RING]; /* candidates whose metadata is being prefetched */
  struct {
    uintptr_t block;
    lk_meta *m;
  } scan[SCAN_RING]; /* blocks whose contents are being prefetched */
  unsigned ref_head, ref_len, scan_head, scan_len;
  bool escaped;    /* the block being scanned escaped (LK_META_CONSERVATIVE) */
  size_t reached;  /* blocks this marker tagged `to` */
  bool overflow;   /* a push failed: rescan sources after draining */
  int exited;      /* helper: cleared by the kernel when it exits; futex */
  char *stack;     /* helper: its mmap'd stack */
} __attribute__((aligned(64))) marker;

/* All module state.  A flood turns every block tagged `from` that it
 * reaches into `to` and scans it; blocks already tagged `to` (or `also`)
 * are its sources.  pool_lock guards pool_len, idle and done. */
static LK_STATE struct {
  unsigned from, to, also;
  unsigned nmarkers;   /* markers of this flood (helpers + 1) */
  bool atomic;         /* claims by compare-and-swap (nmarkers may be > 1) */
  int pool_lock;
  uintptr_t *pool;     /* pairs (block, meta), POOL_ITEMS of them */
  size_t pool_len;     /* in words */
  unsigned idle;       /* markers waiting for work */
  bool done;
  marker mk[MAX_MARKERS];
} fl;

/* Handles a candidate whose metadata should now be in cache.  The test
 * below is lk_block_of's contract (lk.h): allocated, and addr inside the
 * block. */
static inline void take_ref(marker *mk, uintptr_t v, uintptr_t block,
                            lk_meta *m, bool escaped) {
  if (m->state != LK_ALLOCATED)
    return;
  /* Precise marking also takes a one-past-the-end pointer (LK_SLACK makes
   * it unambiguous); conservative marking stays LSan's, strictly inside. */
  if (v - block >= m->size + mark_precise)
    return;
  /* Referenced from an escaped block: the code it went to may have
   * written here too (LK_META_REACHED_BY_ESCAPE).  A block this flood
   * already reached was (or is being) scanned precisely: once more. */
  bool rescan = escaped && (m->flags & LK_META_INSTRUMENTED) &&
                lk_block_escapes(m, LK_META_REACHED_BY_ESCAPE);
  if (!claim(m, fl.from, fl.to, fl.atomic)) {
    if (!rescan || (m->tag != fl.to && m->tag != fl.also))
      return;
  } else {
    mk->reached++;
  }
  if (!wl_push2(&mk->work, block, (uintptr_t)m))
    mk->overflow = true;
}

static void add_ref(uintptr_t v, void *arg) {
  marker *mk = arg;
  lk_meta *m;
  void *b;
  if (!in_heap(v) || !(b = lk_chunk_of(v, &m)))
    return;
  __builtin_prefetch(m, 1);
  unsigned i;
  if (mk->ref_len == REF_RING) {
    i = mk->ref_head;
    mk->ref_head = (i + 1) & (REF_RING - 1);
    take_ref(mk, mk->ref[i].v, mk->ref[i].block, mk->ref[i].m,
             mk->ref[i].escaped);
  } else {
    i = (mk->ref_head + mk->ref_len++) & (REF_RING - 1);
  }
  mk->ref[i].v = v;
  mk->ref[i].block = (uintptr_t)b;
  mk->ref[i].m = m;
  mk->ref[i].escaped = mk->escaped;
}

static void flush_refs(marker *mk) {
  while (mk->ref_len) {
    unsigned i = mk->ref_head;
    mk->ref_head = (i + 1) & (REF_RING - 1);
    mk->ref_len--;
    take_ref(mk, mk->ref[i].v, mk->ref[i].block, mk->ref[i].m,
             mk->ref[i].escaped);
  }
}

static void scan_range(marker *mk, uintptr_t lo, uintptr_t hi) {
  scan_words(lo, hi, add_ref, mk);
}

/* The contents of an allocated block. */
static void scan_block(marker *mk, uintptr_t b, const lk_meta *m) {
  if (scan_precisely(m)) {
    lk_precise_scan(b, b + m->size, add_ref, mk, false);
    return;
  }
  /* Handed to code without shadow: by value, plus the encoded pointers
   * instrumented code wrote there (a tag, a side entry); what it
   * references may have been written through. */
  bool instrumented = mark_precise && (m->flags & LK_META_INSTRUMENTED);
  mk->escaped = instrumented && (m->flags & LK_META_CONSERVATIVE);
  scan_range(mk, b, b + m->size);
  if (instrumented)
    lk_precise_scan(b, b + m->size, add_ref, mk, true);
  mk->escaped = false;
}

static void pool_acquire(void) {
  while (__atomic_exchange_n(&fl.pool_lock, 1, __ATOMIC_ACQUIRE))
    while (__atomic_load_n(&fl.pool_lock, __ATOMIC_RELAXED))
      __builtin_ia32_pause();
}

static void pool_release(void) {
  __atomic_store_n(&fl.pool_lock, 0, __ATOMIC_RELEASE);
}

/* Moves the top SHARE_ITEMS items of mk's stack to the pool while another
 * marker waits for work and the pool is empty. */
static void maybe_share(marker *mk) {
  size_t words = 2 * SHARE_ITEMS;
  if (mk->work.len < 2 * words || !__atomic_load_n(&fl.idle, __ATOMIC_RELAXED) ||
      __atomic_load_n(&fl.pool_len, __ATOMIC_RELAXED))
    return;
  pool_acquire();
  if (fl.pool_len + words <= 2 * POOL_ITEMS) {
    mk->work.len -= words;
    memcpy(fl.pool + fl.pool_len, mk->work.items + mk->work.len,
           words * sizeof(uintptr_t));
    fl.pool_len += words;
  }
  pool_release();
}

/* Marks until mk's stack and rings are empty. */
static void flood_local(marker *mk) {
  for (;;) {
    while (mk->scan_len < SCAN_RING && mk->work.len) {
      lk_meta *m = (lk_meta *)mk->work.items[--mk->work.len];
      uintptr_t b = mk->work.items[--mk->work.len];
      unsigned i = (mk->scan_head + mk->scan_len++) & (SCAN_RING - 1);
      mk->scan[i].block = b;
      mk->scan[i].m = m;
      __builtin_prefetch((const void *)b);
      __builtin_prefetch((const void *)(b + 64));
    }
    if (mk->scan_len) {
      unsigned i = mk->scan_head;
      mk->scan_head = (i + 1) & (SCAN_RING - 1);
      mk->scan_len--;
      scan_block(mk, mk->scan[i].block, mk->scan[i].m);
      if (fl.nmarkers > 1)
        maybe_share(mk);
      continue;
    }
    flush_refs(mk);
    if (!mk->work.len)
      return;
  }
}

/* An idle marker waits for pool work.  Returns false when the flood is
 * over: every marker idle and the pool empty. */
static bool wait_for_work(marker *mk) {
  pool_acquire();
  fl.idle++;
  pool_release();
  for (unsigned spins = 0;; spins++) {
    if (__atomic_load_n(&fl.pool_len, __ATOMIC_RELAXED) ||
        __atomic_load_n(&fl.done, __ATOMIC_RELAXED) ||
        __atomic_load_n(&fl.idle, __ATOMIC_RELAXED) == fl.nmarkers) {
      pool_acquire();
      if (fl.pool_len) {
        size_t words = fl.pool_len < 2 * SHARE_ITEMS ? fl.pool_len
                                                     : 2 * SHARE_ITEMS;
        fl.pool_len -= words;
        for (size_t i = 0; i < words; i += 2)
          if (!wl_push2(&mk->work, fl.pool[fl.pool_len + i],
                        fl.pool[fl.pool_len + i + 1]))
            mk->overflow = true;
        fl.idle--;
        pool_release();
        return true;
      }
      if (fl.idle == fl.nmarkers)
        fl.done = true;
      bool done = fl.done;
      pool_release();
      if (done)
        return false;
    }
    __builtin_ia32_pause();
    if (spins % IDLE_SPINS == IDLE_SPINS - 1)
      syscall(SYS_sched_yield);
  }
}

/* Marks until the whole flood is over (every marker's work done). */
static void flood_all(marker *mk) {
  do
    flood_local(mk);
  while (fl.nmarkers > 1 && wait_for_work(mk));
}

static void rescan_source(void *block, lk_meta *m, void *arg) {
  marker *mk = arg;
  if (m->tag == fl.to || m->tag == fl.also) {
    scan_block(mk, (uintptr_t)block, m);
    flood_local(mk);
  }
}

/* On one marker: drains, then recovers from dropped pushes by rescanning
 * every source until a full pass drops nothing. */
static void finish_flood(marker *mk, bool overflow) {
  flood_local(mk);
  overflow |= mk->overflow;
  while (overflow) {
    mk->overflow = false;
    if (lk_flags.verbosity >= 1)
      lk_printf("leakcc: mark stack overflow; rescanning\n");
    lk_for_each_block(rescan_source, mk);
    overflow = mk->overflow;
  }
}

/* ------------------------------------------------------ helper markers */

/* Markers to use for a heap of `blocks` blocks: marker_threads, or one per
 * CPU this process may run on, at most MAX_MARKERS. */
static unsigned markers_wanted(size_t blocks) {
  if (blocks < PARALLEL_MIN_BLOCKS)
    return 1;
  int n = lk_flags.marker_threads;
  if (n <= 0) {
    cpu_set_t set;
    n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  }
  return n < 1 ? 1 : n > MAX_MARKERS ? MAX_MARKERS : (unsigned)n;
}

static int helper_main(void *arg) {
  flood_all(arg);
  return 0;
}

/* Starts markers 1..n-1 (fewer if clone fails); sets fl.nmarkers. */
static void start_helpers(unsigned n) {
  fl.nmarkers = n;
  fl.atomic = n > 1;
  if (n == 1)
    return;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old); /* helpers inherit it */
  for (unsigned i = 1; i < n; i++) {
    marker *mk = &fl.mk[i];
    void *stack = lk_sys_mmap(NULL, HELPER_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    mk->exited = 1;
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
                CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID;
    if (stack == MAP_FAILED ||
        clone(helper_main, (char *)stack + HELPER_STACK_SIZE, flags, mk, NULL,
              NULL, &mk->exited) == -1) {
      if (stack != MAP_FAILED)
        lk_sys_munmap(stack, HELPER_STACK_SIZE);
      mk->exited = 0;
      pool_acquire(); /* the started helpers may be waiting */
      fl.nmarkers--;
      pool_release();
      continue;
    }
    mk->stack = stack;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (fl.nmarkers < n && lk_flags.verbosity >= 1)
    lk_printf("leakcc: could not start marker threads; using %u\n",
              fl.nmarkers);
}

/* Waits for every helper to exit; returns whether any overflowed. */
static bool join_helpers(void) {
  bool overflow = false;
  for (unsigned i = 1; i < MAX_MARKERS; i++) {
    marker *mk = &fl.mk[i];
    if (!mk->stack)
      continue;
    int v;
    while ((v = __atomic_load_n(&mk->exited, __ATOMIC_ACQUIRE)) != 0)
      syscall(SYS_futex, &mk->exited, FUTEX_WAIT, v, NULL, NULL, 0);
    lk_sys_munmap(mk->stack, HELPER_STACK_SIZE);
    mk->stack = NULL;
    overflow |= mk->overflow;
    fl.mk[0].reached += mk->reached;
    wl_free(&mk->work);
    mk->overflow = false;
    mk->reached = 0;
  }
  fl.nmarkers = 1;
  fl.atomic = false;
  return overflow;
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
  return s && (s->from_loader || (s->nframes && s->frames[0] >= loader.lo &&
                                   s->frames[0] < loader.hi));
}

/* Phase 1's counts, and the ignore decision of the last stack id seen
 * (blocks come in runs from one site). */
typedef struct reset_ctx {
  size_t blocks, ignored;
  uint32_t last_id;
  bool last_ignored, have_last;
} reset_ctx;

static void reset_tag(void *block, lk_meta *m, void *arg) {
  reset_ctx *rc = arg;
  rc->blocks++;
  if (!rc->have_last || m->stack_id != rc->last_id) {
    rc->have_last = true;
    rc->last_id = m->stack_id;
    rc->last_ignored = lk_stack_suppressed(m->stack_id) ||
                       allocated_by_loader(m->stack_id);
  }
  if (m->ignored || rc->last_ignored) {
    m->tag = LK_TAG_IGNORED;
    rc->ignored++;
    if (!wl_push2(&fl.mk[0].work, (uintptr_t)block, (uintptr_t)m))
      fl.mk[0].overflow = true;
  } else {
    m->tag = LK_TAG_UNMARKED;
  }
}

static void scan_root(uintptr_t lo, uintptr_t hi, const char *what,
                      bool precise, void *arg) {
  marker *mk = arg;
  precise &= mark_precise;
  if (lk_flags.verbosity >= 2)
    lk_printf("leakcc: scanning %s [%p, %p)%s\n", what, (void *)lo,
              (void *)hi, precise ? " precisely" : "");
  if (precise) {
    lk_precise_scan(lo, hi, add_ref, mk, false);
  } else {
    scan_range(mk, lo, hi);
    /* Stacks, registers' spill slots and TLS written by instrumented code
     * may hold encoded pointers: their side entries and tags count too
     * (design.md §6). */
    if (mark_precise)
      lk_precise_scan(lo, hi, add_ref, mk, true);
  }
  flood_local(mk);
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
      scan_block_refs(b, m, dfs_ref, c);
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
    scan_block_refs(block, m, lsan_indirect_ref, block);
}

/* On marker 0 alone. */
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
  fl.from = LK_TAG_INDIRECT;
  fl.to = LK_TAG_UNMARKED;
  fl.also = LK_TAG_UNMARKED;
  for (size_t i = c.order.len; i-- > 0;) {
    lk_meta *m;
    void *b = lk_block_of(c.order.items[i], &m);
    if (m->tag != LK_TAG_INDIRECT)
      continue;
    c.order.items[i] |= 1; /* direct */
    m->tag = LK_TAG_UNMARKED;
    scan_block(mk, (uintptr_t)b, m);
    finish_flood(mk, false);
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

void lk_mark_all(bool precise) {
  marker *mk = &fl.mk[0];
  mark_precise = precise;
  tag_layout_init();
  loader.lo = loader.hi = 0;
  dl_iterate_phdr(find_loader, NULL);
  fl.from = LK_TAG_UNMARKED;
  fl.to = LK_TAG_REACHABLE;
  fl.also = LK_TAG_IGNORED;
  reset_ctx rc = {0};
  lk_for_each_block(reset_tag, &rc);

  unsigned n = markers_wanted(rc.blocks);
  if (n > 1) {
    fl.pool = lk_sys_mmap(NULL, 2 * POOL_ITEMS * sizeof(uintptr_t),
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fl.pool == MAP_FAILED) {
      fl.pool = NULL;
      n = 1;
    }
  }
  fl.pool_len = 0;
  fl.idle = 0;
  fl.done = false;
  start_helpers(n);
  flood_local(mk); /* contents of ignored blocks */
  lk_for_each_root(scan_root, mk, mark_precise);
  flood_all(mk);
  bool overflow = join_helpers();
  if (fl.pool) {
    lk_sys_munmap(fl.pool, 2 * POOL_ITEMS * sizeof(uintptr_t));
    fl.pool = NULL;
  }
  finish_flood(mk, overflow);
  if (lk_flags.verbosity >= 2)
    lk_printf("leakcc: marked %zu of %zu block(s) with %u marker(s), %zu "
              "ignored\n",
              mk->reached, rc.blocks, n, rc.ignored);
  if (rc.ignored + mk->reached < rc.blocks)
    classify_leaks(mk);
  mk->reached = 0;
  wl_free(&mk->work);
}
