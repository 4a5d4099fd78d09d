/*
 * The process-wide allocator (lk.h, alloc.c section).
 *
 * One PROT_NONE reservation, preferably at 0x600000000000 (HighMem, clear
 * of the shadow ranges of abi.h), holds everything:
 *
 *   small_lo                                      large_lo
 *   | class 0 | class 1 | ... | class N-1 |       | large blocks ... |
 *   |<-16GiB->|                                   |<----- 4 TiB ---->|
 *                                                 then the large page map
 *   one region per size class:                    and the large metadata
 *   | chunk 0 | chunk 1 | ... -->      <-- ... | meta 1 | meta 0 |
 *   base                                                base + 16 GiB
 *
 * Chunks grow up from the region base, their 16-byte lk_meta records grow
 * down from the region end; both are committed (mprotect) in steps as the
 * region grows.  Any address maps to its block in O(1) without locks:
 * region = offset >> LK_REGION_SHIFT, index = offset * reciprocal (a
 * multiply-high, no division), then a state and bounds check.
 *
 * Fast path: a per-thread cache (initial-exec TLS) of free chunks per class,
 * singly linked through the chunk's first word.  It is refilled from and
 * drained to the class's central free lists in batches under the class
 * lock; no lock is global.  A drained batch stays one chain, so that a
 * refill takes it whole instead of walking cold chunks under the lock.
 * free() validates and releases in one lookup (lk_release), and the slow
 * paths are out of line so that the fast ones save no registers.  Freed
 * chunks keep their metadata with state LK_FREE (and a generation advanced
 * by the free), so a second free is seen as a double free (no quarantine: a
 * chunk reused before the second free is indistinguishable from a new
 * block).
 *
 * Large blocks (> LK_MAX_SMALL or alignment > LK_MAX_SMALL) get their own
 * 64 KiB-granule extent in the large range.  A page map (granule -> first
 * granule of its block) and a metadata array indexed by granule make the
 * lookup O(1).  Chunks of classes >= 16 KiB give their pages back
 * (MADV_DONTNEED) when they reach the central free list; smaller classes
 * keep their pages for reuse.
 *
 * Commit and the kernel's limits (docs/reliability.md, "Resource limits").
 * The reservation is PROT_NONE without MAP_NORESERVE: it costs no commit
 * charge, and making a range of it writable (mprotect) charges the range,
 * so the kernel applies its overcommit policy to every commit exactly as
 * it does to glibc's mmap (a request larger than RAM + swap fails in mode
 * 0, everything beyond CommitLimit in mode 2).  A large block commits its
 * whole extent, so adjacent live blocks form one mapping and the number of
 * mappings (vm.max_map_count) does not grow with the number of blocks; on
 * free its pages are returned with MADV_DONTNEED and the range stays
 * writable (no split), except under overcommit mode 2, where the commit
 * charge matters: there it is re-mapped PROT_NONE (falling back to
 * MADV_DONTNEED if the kernel refuses the split).  Every failure to commit
 * (ENOMEM: overcommit, vm.max_map_count) makes the allocation fail with
 * ENOMEM; nothing here dies.
 *
 * Lazy mode.  When the reservation itself is refused (RLIMIT_AS: ulimit
 * -v), or RLIMIT_DATA (ulimit -d) is set, nothing is reserved: the same
 * layout is used, but each range is mapped (MAP_FIXED_NOREPLACE) when first
 * committed and unmapped when a large block is freed, so the heap takes
 * only the address space it uses and malloc returns NULL when the limit
 * is reached.  Large blocks then map only their pages, not the whole
 * extent, and the large tables are mapped as the large range grows.
 * Lookups never read past what is mapped: a small region's chunks below
 * `used`, large granules below large_mapped.  Either way every committed
 * range also gets its shadow (lk_shadow_commit: a no-op unless the shadow
 * is mapped on demand too), or the commit fails.
 *
 * Shadow (precise.c): with mode=precise or explain=1 (lk_alloc_clears_shadow),
 * freeing a small block marks its whole chunk DATA (stale contents), a
 * large one UNKNOWN (its pages go back to the kernel and come back zero;
 * so do its shadow pages, lk_shadow_release); otherwise the allocator
 * never touches shadow, except to map and unmap it when it is mapped on
 * demand.
 *
 * Every chunk keeps LK_SLACK bytes after the requested size, so that a
 * one-past-the-end pointer lies in its own chunk (precise marking follows
 * it; conservative marking, as LSan, does not).
 */
#include "lk.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define LK_MAX_SMALL (128u << 10)
#define LK_REGION_SHIFT 34 /* 16 GiB per size class */
#define LK_REGION_SIZE (1ULL << LK_REGION_SHIFT)
/* 16..128 by 16, then 8 classes per doubling up to LK_MAX_SMALL: the
 * rounding waste is at most 1/8 of the request. */
#define NCLASSES (8 + 8 * 10)
#define SMALL_SPAN ((uintptr_t)NCLASSES << LK_REGION_SHIFT) /* all regions */
#define LARGE_SHIFT 42 /* 4 TiB for large blocks (LK_MAX_SIZE is 1 TiB) */
#define GRANULE_SHIFT 16
#define NGRANULES (1ULL << (LARGE_SHIFT - GRANULE_SHIFT))
#define PAGE 4096ULL
#define COMMIT_STEP (256u << 10) /* bytes of chunks committed at a time */
#define RETURN_MIN_SIZE (16u << 10)
#define HEAP_HINT 0x600000000000ULL

/* One size class.  The first cache line is what the fast paths and the
 * lookup read (set at start-up, `used` written rarely); the mutable,
 * lock-protected fields sit on the second line so that a refill by one
 * thread does not evict the first line from the other threads' caches. */
typedef struct region {
  uintptr_t base;
  uint64_t recip;        /* ceil(2^64 / size): index = mulhi(off, recip) */
  size_t used;           /* chunks carved so far (read lock free) */
  uint32_t size;
  uint32_t batch;        /* chunks moved per refill/drain */
  pthread_mutex_t lock __attribute__((aligned(64)));
                         /* guards the free lists, nfree, the bump fields */
  void *batches;         /* chains of exactly `batch` free chunks (linked
                            through word 0, ending in NULL), themselves
                            linked through word 1 of their first chunk */
  void *free;            /* other free chunks, linked through word 0 */
  size_t nfree;          /* chunks on both lists */
  size_t committed;      /* chunks whose memory and metadata are RW */
  size_t capacity;       /* chunks that fit together with their meta */
} __attribute__((aligned(64))) region;

typedef struct extent {
  struct extent *next;
  uint64_t beg, end; /* granule indices [beg, end) */
} extent;

/* All allocator state.  state: 0 uninitialised, 1 initialising, 2 ready. */
static LK_STATE struct {
  int state;
  uintptr_t small_lo, large_lo;
  uint32_t *pagemap;   /* granule -> first granule of its block + 1, or 0 */
  lk_meta *large_meta; /* indexed by a block's first granule */
  /* Granules of the large range whose page map and metadata are mapped
   * (all of them unless lazy); only grows, read lock free by lookups. */
  uint64_t large_mapped;
  bool lazy;           /* nothing reserved: ranges are mapped when used */
  size_t space_limit;  /* lazy: RLIMIT_AS / RLIMIT_DATA at start-up */
  bool uncharge;       /* overcommit mode 2: freed large extents give back
                          their commit charge (re-mapped PROT_NONE) */
  /* Written by large allocations: kept off the line of the fields above,
   * which every free reads. */
  pthread_mutex_t large_lock __attribute__((aligned(64)));
                              /* guards large_top and large_free */
  uint64_t large_top;         /* granules handed out by the bump pointer */
  /* Free extents are mapped (and committed) unless lazy: there they are
   * unmapped, and one that cannot be unmapped is dropped (see free_large). */
  extent *large_free;         /* free extents sorted by address */
  pthread_key_t tcache_key;   /* its destructor drains a dying thread's cache */
  region regions[NCLASSES];
} heap = {.large_lock = PTHREAD_MUTEX_INITIALIZER};

LK_STATE uintptr_t lk_heap_lo, lk_heap_hi;
bool lk_alloc_clears_shadow;

/* Per-thread cache.  Initial-exec TLS: no __tls_get_addr, no allocation. */
typedef struct tcache_bin {
  void *head;
  uint32_t count;
} tcache_bin;
static __thread struct {
  tcache_bin bins[NCLASSES];
  bool registered; /* the key destructor will drain this cache */
} tcache;

static inline uint64_t mulhi(uint64_t a, uint64_t b) {
  return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static inline lk_meta *meta_of(const region *r, size_t idx) {
  return (lk_meta *)(r->base + LK_REGION_SIZE) - (idx + 1);
}

/* size >= 1.  No division: with 2^lg < size <= 2^(lg+1), the class's step
 * is 2^(lg-3) and (size - 1) >> (lg - 3) is 8..15. */
static inline unsigned size_class(size_t size) {
  if (size <= 128)
    return (unsigned)((size + 15) >> 4) - 1;
  unsigned lg = 63u - (unsigned)__builtin_clzll(size - 1); /* 2^lg < size */
  unsigned k = (unsigned)((size - 1) >> (lg - 3)) - 7;      /* 1..8 */
  return 8 + (lg - 7) * 8 + k - 1;
}

static uint32_t class_size(unsigned c) {
  if (c < 8)
    return 16 * (c + 1);
  unsigned lg = 7 + (c - 8) / 8, k = (c - 8) % 8 + 1;
  return (1u << lg) + k * ((1u << lg) >> 3);
}

/* ------------------------------------------------------------ set-up */

static void lock_all_for_fork(void) { lk_alloc_lock_all(); }
static void unlock_all_for_fork(void) { lk_alloc_unlock_all(); }
static void drain_thread_cache(void *unused);

/* Reserves size bytes (PROT_NONE, no commit charge) aligned to
 * LK_REGION_SIZE; 0 if the kernel refuses (RLIMIT_AS, RLIMIT_DATA). */
static uintptr_t reserve(size_t size) {
  static const uintptr_t hints[] = {HEAP_HINT, 0x500000000000ULL,
                                    0x400000000000ULL};
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
  for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
    void *p = lk_sys_mmap((void *)hints[i], size, PROT_NONE,
                   flags | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == (void *)hints[i])
      return (uintptr_t)p;
    if (p != MAP_FAILED)
      lk_sys_munmap(p, size);
  }
  /* Anywhere, over-reserving so the start can be region aligned. */
  void *p = lk_sys_mmap(NULL, size + LK_REGION_SIZE, PROT_NONE, flags, -1, 0);
  if (p == MAP_FAILED)
    return 0;
  uintptr_t lo = (uintptr_t)p, hi = lo + size + LK_REGION_SIZE;
  uintptr_t base = (lo + LK_REGION_SIZE - 1) & ~(LK_REGION_SIZE - 1);
  if (base > lo) /* the unaligned head and tail are not ours to keep */
    lk_sys_munmap(p, base - lo);
  if (hi > base + size)
    lk_sys_munmap((void *)(base + size), hi - (base + size));
  return base;
}

/* Maps [beg, end) (page aligned) read/write at exactly that address, or
 * fails with nothing mapped.  charged: counted in the commit charge
 * (heap memory, so that the overcommit policy applies), else
 * MAP_NORESERVE (the runtime's own tables, touched sparsely). */
static bool map_at(uintptr_t beg, uintptr_t end, bool charged) {
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
              (charged ? 0 : MAP_NORESERVE);
  void *p = lk_sys_mmap((void *)beg, end - beg, PROT_READ | PROT_WRITE, flags,
                        -1, 0);
  if (p == MAP_FAILED)
    return false;
  if ((uintptr_t)p != beg) { /* kernel < 4.17 ignores NOREPLACE: a hint */
    lk_sys_munmap(p, end - beg);
    return false;
  }
  return true;
}

/* Gives back what commit() committed in [beg, end) (page aligned): lazy,
 * unmaps it; else re-maps it PROT_NONE (no charge).  Returns false if the
 * kernel refused (the number of mappings would exceed vm.max_map_count):
 * the range then stays committed. */
static bool decommit(uintptr_t beg, uintptr_t end) {
  if (beg >= end)
    return true;
  if (heap.lazy)
    return lk_sys_munmap((void *)beg, end - beg) == 0;
  return lk_sys_mmap((void *)beg, end - beg, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                     0) != MAP_FAILED;
}

/* Makes [beg, end) of the heap readable and writable, charged, with its
 * shadow when app (program memory, not metadata); the bounds are rounded
 * out to pages.  False (nothing changed) when the kernel refuses:
 * overcommit policy, RLIMIT_AS / RLIMIT_DATA, vm.max_map_count, or no
 * address space for the shadow. */
static bool commit(uintptr_t beg, uintptr_t end, bool app) {
  beg &= ~(PAGE - 1);
  end = (end + PAGE - 1) & ~(PAGE - 1);
  if (beg >= end)
    return true;
  bool ok = heap.lazy ? map_at(beg, end, true)
                      : mprotect((void *)beg, end - beg,
                                 PROT_READ | PROT_WRITE) == 0;
  if (!ok)
    return false;
  if (app && !lk_shadow_commit(beg, end)) {
    decommit(beg, end);
    return false;
  }
  return true;
}

/* Overcommit mode 2 (strict accounting): only there does a freed range's
 * commit charge limit what the process may still allocate. */
static bool strict_overcommit(void) {
  char c = 0;
  int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  if (read(fd, &c, 1) != 1)
    c = 0;
  close(fd);
  return c == '2';
}

/* Large tables: page map and metadata for the first `granules` granules
 * of the large range. */
static uintptr_t pagemap_end(uint64_t granules) {
  return (uintptr_t)(heap.pagemap + granules);
}
static uintptr_t lmeta_end(uint64_t granules) {
  return (uintptr_t)(heap.large_meta + granules);
}

/* Lazy: the tables for large granules [0, want) get mapped, in steps of
 * TABLE_STEP granules.  Caller holds large_lock. */
#define TABLE_STEP (1ULL << 14) /* granules: 1 GiB of large blocks */
static bool map_tables(uint64_t want) {
  uint64_t have = heap.large_mapped;
  if (want <= have)
    return true;
  uint64_t next = (want + TABLE_STEP - 1) & ~(TABLE_STEP - 1);
  if (next > NGRANULES)
    next = NGRANULES;
  uintptr_t pm_lo = pagemap_end(have), pm_hi = pagemap_end(next);
  uintptr_t lm_lo = lmeta_end(have), lm_hi = lmeta_end(next);
  if (!map_at(pm_lo, pm_hi, false))
    return false;
  if (!map_at(lm_lo, lm_hi, false)) {
    lk_sys_munmap((void *)pm_lo, pm_hi - pm_lo);
    return false;
  }
  __atomic_store_n(&heap.large_mapped, next, __ATOMIC_RELEASE);
  return true;
}

static void do_init(void) {
  size_t small = SMALL_SPAN;
  size_t pagemap_bytes = NGRANULES * sizeof(uint32_t);
  size_t lmeta_bytes = NGRANULES * sizeof(lk_meta);
  size_t total = small + (1ULL << LARGE_SHIFT) + pagemap_bytes + lmeta_bytes;
  /* Under RLIMIT_DATA, every writable private page counts, and freed
   * large extents would keep counting unless unmapped: lazy from the
   * start (mapping the tables over the reservation would even escape the
   * limit's check, which counts pages replaced by MAP_FIXED as mapped). */
  struct rlimit rl;
  bool data_limited =
      getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
  uintptr_t base = data_limited ? 0 : reserve(total);
  heap.lazy = base == 0;
  if (heap.lazy)
    base = HEAP_HINT;
  heap.small_lo = base;
  heap.large_lo = base + small;
  heap.pagemap = (uint32_t *)(heap.large_lo + (1ULL << LARGE_SHIFT));
  heap.large_meta = (lk_meta *)((uintptr_t)heap.pagemap + pagemap_bytes);
  /* Reserved: the tables are mapped over their part of the reservation
   * at once, without charge (only pages describing live large blocks are
   * ever touched).  If even that is refused, the reservation goes and
   * the heap is lazy. */
  if (!heap.lazy) {
    uintptr_t lo = (uintptr_t)heap.pagemap, hi = lmeta_end(NGRANULES);
    if (lk_sys_mmap((void *)lo, hi - lo, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                    -1, 0) != MAP_FAILED) {
      heap.large_mapped = NGRANULES;
    } else {
      lk_sys_munmap((void *)base, total);
      heap.lazy = true;
      heap.small_lo = HEAP_HINT;
      heap.large_lo = HEAP_HINT + small;
      heap.pagemap = (uint32_t *)(heap.large_lo + (1ULL << LARGE_SHIFT));
      heap.large_meta = (lk_meta *)((uintptr_t)heap.pagemap + pagemap_bytes);
    }
  }
  heap.uncharge = !heap.lazy && strict_overcommit();
  heap.space_limit = SIZE_MAX;
  if (heap.lazy && getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur < SIZE_MAX)
    heap.space_limit = rl.rlim_cur;
  if (heap.lazy && getrlimit(RLIMIT_DATA, &rl) == 0 &&
      rl.rlim_cur < heap.space_limit)
    heap.space_limit = rl.rlim_cur;
  for (unsigned c = 0; c < NCLASSES; c++) {
    region *r = &heap.regions[c];
    pthread_mutex_init(&r->lock, NULL);
    r->size = class_size(c);
    r->base = heap.small_lo + ((uintptr_t)c << LK_REGION_SHIFT);
    r->capacity = LK_REGION_SIZE / (r->size + sizeof(lk_meta));
    r->recip = UINT64_MAX / r->size + 1; /* exact 2^64/size for powers of 2 */
    uint32_t b = (16u << 10) / r->size;
    r->batch = b < 1 ? 1 : b > 32 ? 32 : b;
  }
  lk_heap_lo = heap.small_lo;
  lk_heap_hi = heap.large_lo + (1ULL << LARGE_SHIFT);
}

void lk_alloc_init(void) {
  int expected = 0;
  if (__atomic_load_n(&heap.state, __ATOMIC_ACQUIRE) == 2)
    return;
  if (!__atomic_compare_exchange_n(&heap.state, &expected, 1, false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    while (__atomic_load_n(&heap.state, __ATOMIC_ACQUIRE) != 2)
      ; /* another thread is mapping the heap: a few microseconds */
    return;
  }
  do_init();
  __atomic_store_n(&heap.state, 2, __ATOMIC_RELEASE);
  /* Both may allocate, which now works. */
  pthread_key_create(&heap.tcache_key, drain_thread_cache);
  pthread_atfork(lock_all_for_fork, unlock_all_for_fork, unlock_all_for_fork);
}

/* ------------------------------------------------------------ lookup */

/* Exact for off < LK_REGION_SIZE: the reciprocal's rounding error,
 * off / 2^64, stays below 1 / size. */
static inline size_t chunk_index(const region *r, uintptr_t off) {
  return mulhi(off, r->recip);
}

/* Blocks record at least one byte (a zero-sized request gets one). */
static inline bool within(uintptr_t addr, uintptr_t block, const lk_meta *m) {
  return addr - block < m->size;
}

/* Chunk (allocated or free) containing addr, bounds not checked against the
 * requested size; NULL outside carved chunks. */
static inline __attribute__((always_inline)) void *
find_chunk(uintptr_t addr, lk_meta **meta) {
  if (LK_UNLIKELY(!lk_heap_hi)) /* before lk_alloc_init */
    return NULL;
  if (addr - heap.small_lo < SMALL_SPAN) {
    region *r = &heap.regions[(addr - heap.small_lo) >> LK_REGION_SHIFT];
    size_t idx = chunk_index(r, addr - r->base);
    if (idx >= __atomic_load_n(&r->used, __ATOMIC_ACQUIRE))
      return NULL;
    *meta = meta_of(r, idx);
    return (void *)(r->base + idx * r->size);
  }
  uint64_t g = (addr - heap.large_lo) >> GRANULE_SHIFT;
  if (g < __atomic_load_n(&heap.large_mapped, __ATOMIC_ACQUIRE)) {
    uint32_t first = heap.pagemap[g];
    if (first == 0)
      return NULL;
    *meta = &heap.large_meta[first - 1];
    return (void *)(heap.large_lo + ((uintptr_t)(first - 1) << GRANULE_SHIFT));
  }
  return NULL;
}

void *lk_block_of(uintptr_t addr, lk_meta **meta) {
  lk_meta *m;
  void *block = find_chunk(addr, &m);
  if (!block || m->state != LK_ALLOCATED || !within(addr, (uintptr_t)block, m))
    return NULL;
  if (meta)
    *meta = m;
  return block;
}

void *lk_chunk_of(uintptr_t addr, lk_meta **meta) {
  lk_meta *m;
  void *block = find_chunk(addr, &m);
  if (block && meta)
    *meta = m;
  return block;
}

size_t lk_usable_size(const void *p) {
  lk_meta *m = NULL;
  void *block = lk_block_of((uintptr_t)p, &m);
  return block && block == p ? m->size : 0;
}

/* Capacity of the allocated block starting at p (its chunk or its committed
 * pages); realloc grows in place up to it.  0 if p is not a block start. */
size_t lk_chunk_capacity(const void *p) {
  lk_meta *m = NULL;
  void *block = lk_block_of((uintptr_t)p, &m);
  if (!block || block != p)
    return 0;
  if ((uintptr_t)p - heap.small_lo < SMALL_SPAN)
    return heap.regions[((uintptr_t)p - heap.small_lo) >> LK_REGION_SHIFT].size -
           LK_SLACK;
  return ((m->size + PAGE - 1) & ~(PAGE - 1)) - LK_SLACK;
}

/* Records a new allocation in m.  The first word is built in a local and
 * stored whole (bit-field stores straight into *m compile to a read-modify-
 * write chain, and gcc spills a 12-byte struct copy through the stack).
 * The generation is left alone, meta_free advanced it: allocating only
 * stores, and never reads the metadata line. */
/* LK_META_AFTER_FORK while a fork from a process with other threads is
 * unsettled (lk_alloc_forked_from_threads), else 0. */
static unsigned after_fork_flag;

static inline void meta_init(lk_meta *m, size_t size, enum lk_kind kind,
                             unsigned flags, uint32_t stack_id) {
  lk_meta v = {.size = size, .state = LK_ALLOCATED, .kind = kind,
               .flags = flags | after_fork_flag};
  uint64_t word0; /* size and flags: the first 8 bytes */
  __builtin_memcpy(&word0, &v, sizeof word0);
  __builtin_memcpy(m, &word0, sizeof word0);
  m->stack_id = stack_id;
}

/* Marks a block free and advances its generation, so that every
 * allocation of a chunk has a generation of its own. */
static inline void meta_free(lk_meta *m) {
  m->state = LK_FREE;
  m->gen++;
}

/* ------------------------------------------------------------ small blocks */

/* Commits the next step of region r: chunk memory (with its shadow) up
 * from the base, metadata down from the end.  Caller holds r->lock and
 * r->committed < r->capacity.  False when the kernel refuses; then
 * nothing changed. */
static bool grow_region(region *r) {
  size_t step = COMMIT_STEP / r->size;
  size_t next = r->committed + (step > r->batch ? step : r->batch);
  if (next > r->capacity)
    next = r->capacity;
  /* Page-rounded, the ranges of successive steps may share a page: each
   * step takes only the pages the previous one did not. */
  uintptr_t c_lo = r->base + r->committed * r->size;
  uintptr_t c_hi = r->base + next * r->size;
  uintptr_t m_lo = (uintptr_t)meta_of(r, next - 1);
  uintptr_t m_hi = (uintptr_t)meta_of(r, r->committed - 1);
  c_lo = (c_lo + PAGE - 1) & ~(PAGE - 1);
  m_hi &= ~(PAGE - 1);
  if (!commit(c_lo, c_hi, true))
    return false;
  if (!commit(m_lo, m_hi, false)) {
    decommit(c_lo, (c_hi + PAGE - 1) & ~(PAGE - 1));
    return false;
  }
  r->committed = next;
  return true;
}

/* Moves up to r->batch chunks into the bin; returns false if the region is
 * exhausted or its memory cannot be committed.  Takes the class lock. */
static bool refill(unsigned c, tcache_bin *bin) {
  region *r = &heap.regions[c];
  pthread_mutex_lock(&r->lock);
  uint32_t n = 0;
  void *head = bin->head;
  if (!head && r->batches) { /* a whole batch: no walk under the lock */
    head = r->batches;
    r->batches = ((void **)head)[1];
    ((void **)head)[1] = NULL; /* the allocator's link, not the program's */
    n = r->batch;
    r->nfree -= n;
  }
  while (n < r->batch && r->free) {
    void *p = r->free;
    r->free = *(void **)p;
    r->nfree--;
    *(void **)p = head;
    head = p;
    n++;
  }
  if (n == 0) {
    size_t want = r->used + r->batch;
    if (want > r->capacity)
      want = r->capacity;
    if (want > r->committed && !grow_region(r)) {
      pthread_mutex_unlock(&r->lock); /* no memory: the class fails */
      return false;
    }
    /* Push highest first so the bin hands out ascending addresses. */
    for (size_t i = want; i-- > r->used;) {
      void *p = (void *)(r->base + i * r->size);
      *(void **)p = head;
      head = p;
      n++;
    }
    __atomic_store_n(&r->used, want, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&r->lock);
  bin->head = head;
  bin->count += n;
  return n > 0;
}

/* Returns the pages wholly inside a free chunk (past its link word). */
static void release_pages(void *p, size_t size) {
  uintptr_t beg = ((uintptr_t)p + sizeof(void *) + PAGE - 1) & ~(PAGE - 1);
  uintptr_t end = ((uintptr_t)p + size) & ~(PAGE - 1);
  if (beg < end)
    madvise((void *)beg, end - beg, MADV_DONTNEED);
}

/* Moves n chunks from the bin to the central list. */
static void drain(unsigned c, tcache_bin *bin, uint32_t n) {
  region *r = &heap.regions[c];
  void *first = bin->head, *last = first;
  for (uint32_t i = 1; i < n; i++)
    last = *(void **)last;
  bin->head = *(void **)last;
  bin->count -= n;
  if (r->size >= RETURN_MIN_SIZE)
    for (void *p = first;; p = *(void **)p) {
      release_pages(p, r->size);
      if (p == last)
        break;
    }
  pthread_mutex_lock(&r->lock);
  if (n == r->batch) {
    *(void **)last = NULL;
    ((void **)first)[1] = r->batches;
    r->batches = first;
  } else {
    *(void **)last = r->free;
    r->free = first;
  }
  r->nfree += n;
  pthread_mutex_unlock(&r->lock);
}

static void drain_thread_cache(void *unused) {
  tcache.registered = false;
  for (unsigned c = 0; c < NCLASSES; c++)
    if (tcache.bins[c].count)
      drain(c, &tcache.bins[c], tcache.bins[c].count);
}

/* Pops a chunk of class c from this thread's cache and records the block;
 * NULL when the cache is empty (the caller refills). */
static inline __attribute__((always_inline)) void *
pop_small(unsigned c, size_t size, enum lk_kind kind, unsigned flags,
          uint32_t stack_id) {
  tcache_bin *bin = &tcache.bins[c];
  void *p = bin->head;
  if (LK_UNLIKELY(!p))
    return NULL;
  void *next = *(void **)p;
  bin->head = next;
  bin->count--;
  /* The next pop reads next's link: a refilled batch is cold. */
  __builtin_prefetch(next, 1);
  /* The free-list link is the allocator's, not the program's: left in the
   * block it would look like a pointer to the next free chunk and, once
   * that chunk is handed out, keep it alive for the conservative marker. */
  *(void **)p = NULL;
  const region *r = &heap.regions[c];
  meta_init(meta_of(r, chunk_index(r, (uintptr_t)p - r->base)), size, kind,
            flags, stack_id);
  return p;
}

/* The slow path of pop_small: initialises the heap and this thread's cache
 * if needed, refills the bin, then pops.  NULL if the region is full. */
static __attribute__((noinline)) void *
alloc_small(unsigned c, size_t size, enum lk_kind kind, unsigned flags,
            uint32_t stack_id) {
  void *p = pop_small(c, size, kind, flags, stack_id);
  if (p)
    return p;
  if (LK_UNLIKELY(__atomic_load_n(&heap.state, __ATOMIC_ACQUIRE) != 2))
    lk_alloc_init();
  if (!tcache.registered) {
    tcache.registered = true;
    pthread_setspecific(heap.tcache_key, &tcache);
  }
  if (!refill(c, &tcache.bins[c]))
    return NULL;
  return pop_small(c, size, kind, flags, stack_id);
}

/* Pushes chunk p of class c, whose metadata is already marked free, onto
 * this thread's cache; drains half of it to the class when it overflows. */
static inline __attribute__((always_inline)) void push_to_bin(unsigned c,
                                                              void *p) {
  tcache_bin *bin = &tcache.bins[c];
  *(void **)p = bin->head;
  bin->head = p;
  uint32_t batch = heap.regions[c].batch;
  if (LK_UNLIKELY(++bin->count > 2 * batch))
    drain(c, bin, batch);
}

typedef uint64_t __attribute__((may_alias, aligned(1))) shadow8;
typedef uint32_t __attribute__((may_alias, aligned(1))) shadow4;
typedef uint16_t __attribute__((may_alias)) shadow2;

/* push_to_bin after marking the shadow of the whole chunk DATA (an
 * in-place realloc may have left records past the block's size; the
 * chunk's stale contents are no references for the next block an
 * instrumented caller gets; malloc.c makes it UNKNOWN for others).  Every address reserve() can return lies
 * in HighMem, whose shadow is one contiguous range, so no range check is
 * needed; a chunk's shadow is 2-byte aligned and 2..16384 bytes long.
 * Caller: lk_alloc_clears_shadow (the shadow is reserved). */
static __attribute__((noinline)) void push_clearing_shadow(unsigned c,
                                                           void *p) {
  uint8_t *sh = (uint8_t *)LK_SHADOW_OF((uintptr_t)p);
  uint32_t n = heap.regions[c].size >> LEAKCC_SHADOW_SHIFT;
  const uint64_t data = 0x0101010101010101ull * LEAKCC_SHADOW_DATA;
  if (n > 16) {
    memset(sh, LEAKCC_SHADOW_DATA, n);
  } else if (n >= 8) { /* two overlapping words */
    *(shadow8 *)sh = data;
    *(shadow8 *)(sh + n - 8) = data;
  } else if (n >= 4) {
    *(shadow4 *)sh = (uint32_t)data;
    *(shadow4 *)(sh + n - 4) = (uint32_t)data;
  } else {
    *(shadow2 *)sh = (uint16_t)data;
  }
  push_to_bin(c, p);
}

/* Frees chunk p of class c into this thread's cache (metadata already
 * marked free).  Clearing shadow is out of line, and a tail call, so that
 * the free fast path saves no registers. */
static inline __attribute__((always_inline)) void push_small(unsigned c,
                                                             void *p) {
  if (LK_UNLIKELY(lk_alloc_clears_shadow))
    push_clearing_shadow(c, p);
  else
    push_to_bin(c, p);
}

/* ------------------------------------------------------------ large blocks */

/* Extent nodes come from lk_ialloc, which has its own lock; to keep the
 * lock order simple they are allocated and freed outside large_lock.  An
 * extent operation needs at most one new node or frees at most one.  When
 * runtime memory is exhausted too (lk_ialloc_try), fresh is NULL and an
 * operation that needs a node does without (see extent_take, extent_put). */
typedef struct extent_spare {
  extent *fresh; /* allocated by the caller, NULL once used */
  extent *dead;  /* to be freed by the caller */
} extent_spare;

/* NULL if the caller could not get a node. */
static extent *node_new(extent_spare *s, extent *next, uint64_t beg,
                        uint64_t end) {
  extent *e = s->fresh;
  s->fresh = NULL;
  if (e)
    *e = (extent){next, beg, end};
  return e;
}

static void large_lock(extent_spare *s) {
  s->fresh = lk_ialloc_try(sizeof(extent));
  s->dead = NULL;
  pthread_mutex_lock(&heap.large_lock);
}

static void large_unlock(extent_spare *s) {
  pthread_mutex_unlock(&heap.large_lock);
  lk_ifree(s->fresh, sizeof(extent));
  lk_ifree(s->dead, sizeof(extent));
}

/* Takes n granules aligned to galign granules from the free extents (first
 * fit) or the bump pointer.  Caller holds large_lock.  Returns NGRANULES on
 * failure. */
static uint64_t extent_take(uint64_t n, uint64_t galign, extent_spare *s) {
  for (extent **pp = &heap.large_free, *e; (e = *pp); pp = &e->next) {
    uint64_t a = (e->beg + galign - 1) & ~(galign - 1);
    if (a + n > e->end)
      continue;
    uint64_t tail = e->end;
    if (a == e->beg) { /* shrink or drop the extent */
      e->beg = a + n;
      if (e->beg == e->end) {
        *pp = e->next;
        s->dead = e;
      }
    } else { /* keep the head, split off the tail */
      if (a + n < tail && !s->fresh)
        continue; /* no node for the tail */
      e->end = a;
      if (a + n < tail)
        e->next = node_new(s, e->next, a + n, tail);
    }
    return a;
  }
  uint64_t a = (heap.large_top + galign - 1) & ~(galign - 1);
  if (a + n > NGRANULES || a + n < a)
    return NGRANULES;
  if (!map_tables(a + n))
    return NGRANULES;
  if (a > heap.large_top) { /* the alignment gap becomes a free extent */
    extent **pp = &heap.large_free;
    while (*pp)
      pp = &(*pp)->next;
    *pp = node_new(s, NULL, heap.large_top, a); /* or is lost, if NULL */
  }
  heap.large_top = a + n;
  return a;
}

/* Returns [beg, end) to the free extents, coalescing.  Caller holds
 * large_lock.  Without a node for it, a range that does not coalesce is
 * dropped: its address space is not reused (its memory was given back). */
static void extent_put(uint64_t beg, uint64_t end, extent_spare *s) {
  extent **pp = &heap.large_free, *prev = NULL;
  while (*pp && (*pp)->beg < beg) {
    prev = *pp;
    pp = &prev->next;
  }
  extent *next = *pp;
  if (prev && prev->end == beg) {
    prev->end = end;
    if (next && next->beg == end) {
      prev->end = next->end;
      prev->next = next->next;
      s->dead = next;
    }
    return;
  }
  if (next && next->beg == end) {
    next->beg = beg;
    return;
  }
  extent *e = node_new(s, next, beg, end);
  if (e)
    *pp = e;
}

/* Bytes committed for a large block of `size` at the start of an n-granule
 * extent.  Reserved: the whole extent, so that adjacent blocks are one
 * mapping whatever their sizes.  Lazy: only its pages, since address
 * space is what is scarce. */
static size_t large_commit_bytes(size_t size, uint64_t n) {
  return heap.lazy ? (size + PAGE - 1) & ~(PAGE - 1) : n << GRANULE_SHIFT;
}

static void *alloc_large(size_t size, size_t align, enum lk_kind kind,
                         unsigned flags, uint32_t stack_id) {
  if (LK_UNLIKELY(__atomic_load_n(&heap.state, __ATOMIC_ACQUIRE) != 2))
    lk_alloc_init();
  /* Granule alignment is relative to large_lo, so it only gives absolute
   * alignment up to large_lo's own; anything larger cannot be served (glibc
   * fails such requests with ENOMEM too). */
  if (align > (heap.large_lo & -heap.large_lo)) {
    errno = ENOMEM;
    return NULL;
  }
  /* Lazy: a request the address-space limit refuses anyway must not map
   * the large tables for its extent first (20 bytes per 64 KiB). */
  if (heap.lazy && size >= heap.space_limit)
    return NULL;
  uint64_t n = (size + LK_SLACK + (1ULL << GRANULE_SHIFT) - 1) >> GRANULE_SHIFT;
  uint64_t galign = align >> GRANULE_SHIFT ? align >> GRANULE_SHIFT : 1;
  extent_spare s;
  large_lock(&s);
  uint64_t g = extent_take(n, galign, &s);
  large_unlock(&s);
  if (g == NGRANULES)
    return NULL;
  uintptr_t p = heap.large_lo + (g << GRANULE_SHIFT);
  if (!commit(p, p + large_commit_bytes(size, n), true)) {
    large_lock(&s);
    extent_put(g, g + n, &s);
    large_unlock(&s);
    return NULL;
  }
  meta_init(&heap.large_meta[g], size, kind, flags, stack_id);
  for (uint64_t i = 0; i < n; i++)
    heap.pagemap[g + i] = (uint32_t)g + 1;
  return (void *)p; /* fresh or MADV_DONTNEED pages: zero */
}

static void free_large(void *p, lk_meta *m) {
  uint64_t g = ((uintptr_t)p - heap.large_lo) >> GRANULE_SHIFT;
  meta_free(m);
  /* Interior granules forget the block; its first one keeps pointing to the
   * freed metadata so that a second free is reported as a double free.  The
   * page map, not m->size, gives the extent: realloc may have resized the
   * block in place. */
  uint64_t n = 1;
  while (g + n < heap.large_top && heap.pagemap[g + n] == g + 1)
    heap.pagemap[g + n++] = 0;
  uintptr_t lo = (uintptr_t)p, hi = lo + (n << GRANULE_SHIFT);
  /* UNKNOWN, as the pages come back zero.  An extent's shadow is whole
   * pages: they are dropped (unmapped when the shadow is mapped on demand),
   * never written. */
  if (lk_alloc_clears_shadow || lk_shadow_lazy())
    lk_shadow_release(lo, hi);
  /* Lazy: unmap (address space is what is scarce).  Reserved: drop the
   * pages but keep the range writable, so that freeing never splits a
   * mapping, unless the commit charge counts (overcommit mode 2). */
  bool unmapped = (heap.lazy || heap.uncharge) && decommit(lo, hi);
  if (!unmapped)
    madvise(p, n << GRANULE_SHIFT, MADV_DONTNEED);
  if (heap.lazy && !unmapped)
    return; /* still mapped: lazy mode cannot map it again, so drop it */
  extent_spare s;
  large_lock(&s);
  extent_put(g, g + n, &s);
  large_unlock(&s);
}

/* ------------------------------------------------------------ interface */

/* Everything but a small, 16-byte aligned request served from the cache. */
static __attribute__((noinline)) void *
allocate_slow(size_t size, size_t align, enum lk_kind kind, unsigned flags,
              uint32_t stack_id, bool zero) {
  if (LK_UNLIKELY(size > LK_MAX_SIZE)) {
    errno = ENOMEM;
    return NULL;
  }
  /* A zero-sized request gets (and is reported as) one byte, as in LSan. */
  if (size == 0)
    size = 1;
  void *p = NULL;
  if (align <= LK_MIN_ALIGN && size < LK_MAX_SMALL) {
    p = alloc_small(size_class(size + LK_SLACK), size, kind, flags, stack_id);
  } else if (align <= LK_MAX_SMALL && size < LK_MAX_SMALL) {
    /* Region bases are LK_MAX_SMALL aligned: a class whose size is a
     * multiple of align hands out aligned chunks.  The last class is
     * LK_MAX_SMALL itself, so the search always ends. */
    unsigned c = size_class(size >= align ? size + LK_SLACK : align);
    while (class_size(c) & (align - 1))
      c++;
    p = alloc_small(c, size, kind, flags, stack_id);
  }
  if (p) {
    if (zero)
      memset(p, 0, size);
    return p;
  }
  /* Large, or a small class whose region is exhausted. */
  if (size < LK_MAX_SMALL && align <= LK_MIN_ALIGN) {
    for (unsigned c = size_class(size + LK_SLACK) + 1; !p && c < NCLASSES; c++)
      p = alloc_small(c, size, kind, flags, stack_id);
    if (p && zero)
      memset(p, 0, size);
  }
  if (!p)
    p = alloc_large(size, align, kind, flags, stack_id); /* fresh: zero */
  if (!p)
    errno = ENOMEM;
  return p;
}

/* Out of line so that the fast path keeps no register across a call. */
static __attribute__((noinline)) void *zeroed(void *p, size_t size) {
  return memset(p, 0, size);
}

void *lk_allocate(size_t size, size_t align, enum lk_kind kind,
                  unsigned flags, uint32_t stack_id, bool zero) {
  /* size - 1 wraps for 0, which takes the slow path (as 1). */
  if (LK_LIKELY(align <= LK_MIN_ALIGN && size - 1 < LK_MAX_SMALL - LK_SLACK)) {
    void *p = pop_small(size_class(size + LK_SLACK), size, kind, flags, stack_id);
    if (LK_LIKELY(p))
      return zero ? zeroed(p, size) : p;
  }
  return allocate_slow(size, align, kind, flags, stack_id, zero);
}

void lk_deallocate(void *p) {
  uintptr_t off = (uintptr_t)p - heap.small_lo;
  lk_meta *m = NULL;
  if (LK_LIKELY(off < SMALL_SPAN)) {
    unsigned c = (unsigned)(off >> LK_REGION_SHIFT);
    const region *r = &heap.regions[c];
    meta_free(meta_of(r, chunk_index(r, (uintptr_t)p - r->base)));
    push_small(c, p);
    return;
  }
  if (find_chunk((uintptr_t)p, &m) == p)
    free_large(p, m);
}

/* lk_release for blocks outside the small regions. */
static __attribute__((noinline)) bool release_large(void *p,
                                                    enum lk_kind kind) {
  lk_meta *m;
  if (lk_block_of((uintptr_t)p, &m) != p || m->kind != kind)
    return false;
  free_large(p, m);
  return true;
}

/* The free fast path: one lookup that both validates and releases. */
bool lk_release(void *p, enum lk_kind kind) {
  uintptr_t off = (uintptr_t)p - heap.small_lo;
  if (LK_LIKELY(off < SMALL_SPAN)) {
    unsigned c = (unsigned)(off >> LK_REGION_SHIFT);
    const region *r = &heap.regions[c];
    uintptr_t roff = (uintptr_t)p - r->base;
    size_t idx = chunk_index(r, roff);
    /* Before lk_alloc_init every region has used == 0. */
    if (LK_UNLIKELY(idx * r->size != roff ||
                    idx >= __atomic_load_n(&r->used, __ATOMIC_ACQUIRE)))
      return false;
    lk_meta *m = meta_of(r, idx);
    if (LK_UNLIKELY(m->state != LK_ALLOCATED || m->kind != kind))
      return false;
    meta_free(m);
    push_small(c, p);
    return true;
  }
  return release_large(p, kind);
}

void lk_for_each_block(void (*cb)(void *block, lk_meta *m, void *arg),
                       void *arg) {
  if (heap.state != 2)
    return;
  for (unsigned c = 0; c < NCLASSES; c++) {
    region *r = &heap.regions[c];
    for (size_t i = 0; i < r->used; i++) {
      lk_meta *m = meta_of(r, i);
      if (m->state == LK_ALLOCATED)
        cb((void *)(r->base + i * r->size), m, arg);
    }
  }
  for (uint64_t g = 0; g < heap.large_top; g++)
    if (heap.pagemap[g] == g + 1 && heap.large_meta[g].state == LK_ALLOCATED)
      cb((void *)(heap.large_lo + (g << GRANULE_SHIFT)), &heap.large_meta[g],
         arg);
}

void lk_alloc_lock_all(void) {
  for (unsigned c = 0; c < NCLASSES; c++)
    pthread_mutex_lock(&heap.regions[c].lock);
  pthread_mutex_lock(&heap.large_lock);
}

void lk_alloc_unlock_all(void) {
  pthread_mutex_unlock(&heap.large_lock);
  for (unsigned c = NCLASSES; c-- > 0;)
    pthread_mutex_unlock(&heap.regions[c].lock);
}

/* ------------------------------------------------------------------ fork */

/* Makes an inherited block ignored; with ALL, every block is inherited. */
static void inherit_block(void *block, lk_meta *m, void *arg) {
  bool all = arg != NULL;
  if (!all && (m->flags & LK_META_AFTER_FORK)) {
    m->flags &= ~LK_META_AFTER_FORK;
    return;
  }
  m->flags &= ~LK_META_AFTER_FORK;
  m->ignored = 1;
}

/* In the child: it is single-threaded, so no lock is needed.  A fork
 * before this one that was never settled leaves flags whose blocks are now
 * inherited too: settle them all at once (rare). */
void lk_alloc_forked_from_threads(void) {
  if (after_fork_flag)
    lk_for_each_block(inherit_block, (void *)1);
  after_fork_flag = LK_META_AFTER_FORK;
}

void lk_alloc_settle_fork(void) {
  if (!after_fork_flag)
    return;
  lk_for_each_block(inherit_block, NULL);
  after_fork_flag = 0;
}
