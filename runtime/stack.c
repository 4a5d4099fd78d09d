/*
 * Frame-pointer unwinder and stack depot (lk.h, stack.c section).
 *
 * Unwinding follows the rbp chain and stops at the first frame pointer that
 * is misaligned, not above the previous one, or not below the top of the
 * current thread's stack; frames between the starting frame and the stack
 * top are mapped, so the walk never faults, even through libc code built
 * without frame pointers (its rbp is then arbitrary and simply fails the
 * checks).
 *
 * The depot deduplicates stacks by (site, frames) and never frees.  Lookups
 * take no lock: nodes are appended to a NORESERVE arena with an atomic bump
 * pointer and pushed onto their hash bucket with a CAS, so capture is also
 * async-signal- and fork-safe.  A stack's id is its node's offset in the
 * arena / 8 + 1, so lk_stack_get is one addition.
 *
 * Capture runs on every allocation, so its fast path avoids the shared
 * depot with two small per-thread direct-mapped caches of stack ids:
 *  - by caller: indexed by the allocation site and the return address into
 *    the caller, both known before unwinding, so the candidate node is
 *    fetched while the unwinder walks.  Hits whenever a call site allocates
 *    from one stack, the common case.
 *  - by stack: indexed by a hash of the whole stack, built while walking
 *    (one rotate and xor per frame).  Hits when one call site is reached
 *    from many stacks, as in an xmalloc-style wrapper.
 * Cached ids are hints: a hit is confirmed by comparing the frames with the
 * depot node, so the id is always exact.  Only a miss in both probes the
 * depot's hash table.
 */
#include "lk.h"

#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEPOT_ARENA_SIZE (1ULL << 30)  /* ~4M distinct 30-frame stacks */
#define DEPOT_MIN_SIZE (64u << 10)
/* Probed only when both per-thread caches miss; 256 KiB, touched sparsely
 * (a larger table cost up to 4 MiB of resident pages in small programs). */
#define DEPOT_BUCKETS (1u << 16)

typedef struct depot_node {
  uint32_t next;  /* id of the next node in the bucket, 0 = end */
  uint32_t hash;
  lk_stack stack; /* flexible: frames follow */
} depot_node;

/* All depot state.  Lazily mapped on first capture. */
static struct {
  char *arena;
  size_t size;           /* bytes of the arena (DEPOT_ARENA_SIZE or less) */
  uint32_t *buckets;     /* bucket -> id of its first node */
  int state;             /* 0 none, 1 mapping, 2 ready */
  /* Bytes of the arena handed out (atomic).  On a line of its own: the
   * fields above are read on every thread's captures. */
  uint64_t top __attribute__((aligned(64)));
} depot;

/* Top of this thread's stack: every frame lies below it. */
static __thread uintptr_t stack_top;
extern void *__libc_stack_end; /* from ld.so: top of the main stack */

static uintptr_t current_stack_top(void) {
  if (LK_UNLIKELY(!stack_top)) {
    /* glibc places a thread's descriptor at the top of its stack (also for
     * user-supplied stacks); the main thread's stack ends at
     * __libc_stack_end. */
    if (syscall(SYS_gettid) == getpid())
      stack_top = (uintptr_t)__libc_stack_end;
    else
      stack_top = (uintptr_t)pthread_self();
  }
  return stack_top;
}

static void depot_init(void) {
  int expected = 0;
  if (!__atomic_compare_exchange_n(&depot.state, &expected, 1, false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    while (__atomic_load_n(&depot.state, __ATOMIC_ACQUIRE) != 2)
      ; /* another thread is mapping the depot */
    return;
  }
  /* Every byte mapped counts against RLIMIT_AS and RLIMIT_DATA: under
   * such a limit the arena takes at most 1/32 of it (ulimit -v 1 GiB: 32
   * MiB, ~130k stacks), and less if that is refused. */
  size_t size = DEPOT_ARENA_SIZE;
  struct rlimit rl;
  int limits[] = {RLIMIT_AS, RLIMIT_DATA};
  for (int i = 0; i < 2; i++)
    if (getrlimit(limits[i], &rl) == 0 && rl.rlim_cur / 32 < size)
      size = rl.rlim_cur / 32;
  size = size < DEPOT_MIN_SIZE ? DEPOT_MIN_SIZE : size & ~(size_t)4095;
  while (!(depot.arena = lk_mmap_try(size)) && size > DEPOT_MIN_SIZE)
    size /= 2;
  depot.buckets = lk_mmap_try(DEPOT_BUCKETS * sizeof(uint32_t));
  /* Without memory the depot stays empty: blocks get no stack (as when
   * it is full), and the program runs on. */
  depot.size = depot.arena && depot.buckets ? size : 0;
  if (!depot.size)
    lk_warn("out of memory for the stack depot; allocations are reported "
            "without their stacks");
  __atomic_store_n(&depot.state, 2, __ATOMIC_RELEASE);
}

/* Code range of the dynamic loader, from the ELF headers the kernel mapped
 * at AT_BASE: read once, lock free, usable from the loader's own first
 * malloc (before the runtime's constructors run).  state: 0 unknown, 1
 * being read, 2 known (lo == hi == 0 when there is no separate loader). */
static struct {
  uintptr_t lo, hi;
  int state;
} ld_range;

static void ld_range_init(void) {
  int expected = 0;
  if (!__atomic_compare_exchange_n(&ld_range.state, &expected, 1, false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    while (__atomic_load_n(&ld_range.state, __ATOMIC_ACQUIRE) != 2)
      ;
    return;
  }
  uintptr_t base = (uintptr_t)getauxval(AT_BASE);
  if (base) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
    if (!memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
      const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
      for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
          ld_range.lo = base + ph[i].p_vaddr;
          ld_range.hi = ld_range.lo + ph[i].p_memsz;
        }
    }
  }
  __atomic_store_n(&ld_range.state, 2, __ATOMIC_RELEASE);
}

bool lk_pc_in_loader(uintptr_t pc) {
  if (LK_UNLIKELY(__atomic_load_n(&ld_range.state, __ATOMIC_ACQUIRE) != 2))
    ld_range_init();
  return pc - ld_range.lo < ld_range.hi - ld_range.lo;
}

/* The stack of the loader's allocations when the depot is full or has no
 * memory: still recognised as the loader's (mark.c ignores them). */
#define LOADER_ID UINT32_MAX
static const lk_stack loader_stack = {.from_loader = 1};

/* The per-thread caches: id of a stack last seen there, 0 if none. */
#define BY_CALLER_BITS 6
#define BY_STACK_BITS 8
static __thread uint32_t by_caller[1u << BY_CALLER_BITS];
static __thread uint32_t by_stack[1u << BY_STACK_BITS];

static inline uint64_t rotl(uint64_t x, unsigned r) {
  return x << r | x >> (64 - r);
}

/* Hash of (site, frames): the per-frame step is one rotate and xor so that
 * it hides under the unwinder's load latency; hash_end mixes all bits. */
static inline uint64_t hash_step(uint64_t h, uintptr_t frame) {
  return rotl(h, 23) ^ frame;
}
static inline uint64_t hash_end(uint64_t h, uint32_t n) {
  h = (h ^ n) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

static inline unsigned caller_slot(const struct __leakcc_site *site,
                                   uintptr_t pc) {
  return (unsigned)((((uintptr_t)site ^ pc) * 0x9E3779B97F4A7C15ULL) >>
                    (64 - BY_CALLER_BITS));
}

static inline depot_node *node_of(uint32_t id) {
  return (depot_node *)(depot.arena + ((uint64_t)(id - 1) << 3));
}

static inline bool same_frames(const depot_node *d,
                               const struct __leakcc_site *site,
                               const uintptr_t *frames, uint32_t n,
                               uint32_t ld) {
  if (d->stack.site != site || d->stack.nframes != n ||
      d->stack.from_loader != ld)
    return false;
  for (uint32_t i = 0; i < n; i++) /* short: cheaper than a memcmp call */
    if (d->stack.frames[i] != frames[i])
      return false;
  return true;
}

static inline bool same_stack(const depot_node *d, uint32_t hash,
                              const struct __leakcc_site *site,
                              const uintptr_t *frames, uint32_t n,
                              uint32_t ld) {
  return d->hash == hash && same_frames(d, site, frames, n, ld);
}

/* Id of (site, frames) in the shared depot, inserting it if new; 0 when
 * the depot is full.  hash is the low half of hash_end's value. */
static __attribute__((noinline)) uint32_t
depot_put(uint32_t hash, const struct __leakcc_site *site,
          const uintptr_t *frames, uint32_t n, uint32_t ld) {
  if (LK_UNLIKELY(__atomic_load_n(&depot.state, __ATOMIC_ACQUIRE) != 2))
    depot_init();
  if (LK_UNLIKELY(!depot.size))
    return 0;
  uint32_t *bucket = &depot.buckets[hash & (DEPOT_BUCKETS - 1)];
  uint32_t head = __atomic_load_n(bucket, __ATOMIC_ACQUIRE);
  for (uint32_t id = head; id; id = node_of(id)->next)
    if (same_stack(node_of(id), hash, site, frames, n, ld))
      return id;
  size_t bytes = (sizeof(depot_node) + n * sizeof(uintptr_t) + 7) & ~7ul;
  uint64_t off = __atomic_fetch_add(&depot.top, bytes, __ATOMIC_RELAXED);
  if (off + bytes > depot.size)
    return 0; /* depot full: the block just has no stack */
  uint32_t id = (uint32_t)(off >> 3) + 1;
  depot_node *d = node_of(id);
  d->hash = hash;
  d->stack.site = site;
  d->stack.nframes = n;
  d->stack.from_loader = ld;
  memcpy(d->stack.frames, frames, n * sizeof(uintptr_t));
  for (;;) {
    d->next = head;
    if (__atomic_compare_exchange_n(bucket, &head, id, false,
                                    __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
      return id;
    /* Another thread pushed first: it may have inserted the same stack
     * (then our node stays unused: a few bytes, only under a race). */
    for (uint32_t o = head; o != d->next; o = node_of(o)->next)
      if (same_stack(node_of(o), hash, site, frames, n, ld))
        return o;
  }
}

uint32_t lk_stack_capture(const struct __leakcc_site *site, uintptr_t pc,
                          uintptr_t bp) {
  int max = lk_flags.malloc_context_size;
  if (max > LK_MAX_FRAMES)
    max = LK_MAX_FRAMES;
  /* Code built by leakcc is never the loader.  The loader's allocations
   * must stay recognisable when no frame is recorded (max 0): the check
   * ignores them, and they would otherwise be false leaks. */
  uint32_t ld = !site && lk_pc_in_loader(pc);
  if (max <= 0 && !site && !ld)
    return 0;
  /* The by-caller candidate does not depend on the walk, so its node is
   * fetched while the frame-pointer chain is being followed. */
  uint32_t *slot = &by_caller[caller_slot(site, pc)];
  uint32_t cached = *slot;
  uintptr_t frames[LK_MAX_FRAMES];
  uint32_t n = 0;
  uint64_t h = (uintptr_t)site ^ ld;
  if (max > 0) {
    frames[n++] = pc;
    h = hash_step(h, pc);
    uintptr_t top = current_stack_top();
    uintptr_t fp = bp;
    /* fp[0] is the caller's saved frame pointer, fp[1] our return address
     * (already frames[0]), so the walk starts one frame up.  The checks
     * use only the cached stack top: no syscall, no per-frame lookup. */
    while ((int)n < max) {
      uintptr_t next = ((uintptr_t *)fp)[0];
      if (next <= fp || next & 7 || next + 16 > top)
        break;
      uintptr_t ret = ((uintptr_t *)next)[1];
      if (ret < 4096)
        break;
      frames[n++] = ret;
      h = hash_step(h, ret);
      fp = next;
    }
  }
  if (LK_LIKELY(cached) && same_frames(node_of(cached), site, frames, n, ld))
    return cached;
  h = hash_end(h, n);
  uint32_t *entry = &by_stack[h >> (64 - BY_STACK_BITS)];
  uint32_t id = *entry;
  if (!id || !same_frames(node_of(id), site, frames, n, ld)) {
    id = depot_put((uint32_t)h, site, frames, n, ld);
    if (LK_UNLIKELY(!id))
      return ld ? LOADER_ID : 0; /* depot full: no stack, not cached */
    *entry = id;
  }
  *slot = id;
  return id;
}

const lk_stack *lk_stack_get(uint32_t id) {
  if (id == LOADER_ID)
    return &loader_stack;
  if (id == 0 || ((uint64_t)(id - 1) << 3) >=
                     __atomic_load_n(&depot.top, __ATOMIC_ACQUIRE))
    return NULL;
  return &node_of(id)->stack;
}
