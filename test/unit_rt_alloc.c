/*
 * Unit test of the allocator (runtime/alloc.c, malloc.c): size classes,
 * O(1) interior lookup for small and large blocks, the aligned family,
 * realloc, calloc/huge failures, threads with cross-thread frees,
 * lk_for_each_block, generations, and the double/invalid/mismatched free
 * reports (in forked children), including frees the fast path must reject:
 * a chunk beyond what its region has carved, a large block's interior,
 * and large blocks that do not make a mapping each (vm.max_map_count).
 * Exits 1 at the first failed check.
 */
#include "lk.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

void *_Znwm(size_t);
void *_Znam(size_t);
void _ZdlPv(void *);
void _ZdaPv(void *);
void *_ZnwmSt11align_val_t(size_t, size_t);
void _ZdlPvSt11align_val_t(void *, size_t);
extern __thread int lk_disable_depth;
/* Opaque to the compiler, which would warn about the sizes it sees. */
static volatile size_t too_big = SIZE_MAX;

/* The block is found from its first byte and its last byte; one past its
 * end belongs to something else.  A zero-sized request is a one-byte block
 * (as in LSan, whose reports say "1 byte(s)" for a leaked malloc(0)). */
static void check_block(char *p, size_t n, enum lk_kind kind) {
  size_t rec = n ? n : 1; /* the size the block records */
  lk_meta *m = NULL;
  REQUIRE(lk_block_of((uintptr_t)p, &m) == p, "size %zu: start %p", n, p);
  REQUIRE(m->state == LK_ALLOCATED && m->kind == kind && m->size == rec,
        "size %zu: meta state %d kind %d size %zu", n, (int)m->state,
        (int)m->kind, (size_t)m->size);
  REQUIRE(lk_usable_size(p) == rec, "size %zu: usable %zu", n, lk_usable_size(p));
  REQUIRE(lk_block_of((uintptr_t)p + rec - 1, NULL) == p, "size %zu: last byte", n);
  REQUIRE(lk_block_of((uintptr_t)p + rec, NULL) != p, "size %zu: one past end",
        n);
  REQUIRE((uintptr_t)p % LK_MIN_ALIGN == 0, "size %zu: misaligned %p", n, p);
  REQUIRE((uintptr_t)p >= lk_heap_lo && (uintptr_t)p + rec <= lk_heap_hi,
        "size %zu: outside heap bounds", n);
}

static void test_sizes(void) {
  for (size_t n = 0; n <= (256u << 10); n += n < 1024 ? 1 : n < 65536 ? 97 : 4099) {
    char *p = malloc(n);
    REQUIRE(p, "malloc(%zu) failed", n);
    memset(p, 0xab, n);
    check_block(p, n, LK_KIND_MALLOC);
    free(p);
    REQUIRE(lk_block_of((uintptr_t)p, NULL) == NULL, "size %zu: found after free",
          n);
  }
  /* Size classes round up by at most 1/8 of the request (16 B minimum). */
  for (size_t n = 1; n <= (128u << 10); n += n < 4096 ? 1 : 61) {
    void *p = malloc(n);
    size_t cap = lk_chunk_capacity(p), slack = n / 8 > 16 ? n / 8 : 16;
    REQUIRE(cap >= n && cap - n <= slack, "size %zu: chunk of %zu", n, cap);
    free(p);
  }
  size_t large[] = {(128u << 10) + 1, 1u << 20, (10u << 20) + 3};
  for (size_t i = 0; i < 3; i++) {
    char *p = malloc(large[i]);
    REQUIRE(p, "malloc(%zu) failed", large[i]);
    p[0] = p[large[i] - 1] = 1;
    check_block(p, large[i], LK_KIND_MALLOC);
    free(p);
    lk_meta *m = NULL;
    REQUIRE(lk_block_of((uintptr_t)p, NULL) == NULL, "large found after free");
    REQUIRE(lk_chunk_of((uintptr_t)p, &m) == p && m->state == LK_FREE,
          "freed large block not seen as free");
  }
  REQUIRE(lk_block_of(0, NULL) == NULL && lk_block_of(lk_heap_hi, NULL) == NULL,
        "non-heap address resolved");
}

static void check_aligned(void *p, size_t align, size_t n, const char *what) {
  REQUIRE(p, "%s(%zu, %zu) failed", what, align, n);
  REQUIRE((uintptr_t)p % align == 0, "%s(%zu, %zu) = %p misaligned", what, align,
        n, p);
  REQUIRE(lk_block_of((uintptr_t)p, NULL) == p, "%s(%zu): lookup", what, align);
  REQUIRE(lk_block_of((uintptr_t)p + (n ? n - 1 : 0), NULL) == p,
        "%s(%zu): last byte", what, align);
  memset(p, 0x5a, n);
}

static void test_aligned(void) {
  for (size_t align = 1; align <= (4u << 20); align *= 2) {
    size_t sizes[] = {1, 24, align, 3 * align + 5, 200000};
    for (size_t i = 0; i < 5; i++) {
      size_t n = sizes[i];
      void *p = NULL;
      if (align >= sizeof(void *)) {
        REQUIRE(posix_memalign(&p, align, n) == 0, "posix_memalign(%zu)", align);
        check_aligned(p, align, n, "posix_memalign");
        free(p);
      }
      check_aligned(p = aligned_alloc(align, n), align, n, "aligned_alloc");
      free(p);
      check_aligned(p = memalign(align, n), align, n, "memalign");
      free(p);
      check_aligned(p = _ZnwmSt11align_val_t(n, align), align, n,
                    "operator new(align_val_t)");
      _ZdlPvSt11align_val_t(p, align);
    }
  }
  void *p = NULL;
  REQUIRE(posix_memalign(&p, 24, 8) == EINVAL, "posix_memalign(24) accepted");
  REQUIRE(posix_memalign(&p, 4, 8) == EINVAL, "posix_memalign(4) accepted");
  errno = 0;
  REQUIRE(!aligned_alloc(48, 8) && errno == EINVAL, "aligned_alloc(48)");
  check_aligned(p = memalign(48, 8), 64, 8, "memalign(48)");
  free(p);
  check_aligned(p = valloc(10), 4096, 10, "valloc");
  free(p);
  check_aligned(p = pvalloc(10), 4096, 4096, "pvalloc");
  REQUIRE(lk_usable_size(p) == 4096, "pvalloc size %zu", lk_usable_size(p));
  free(p);
}

static void test_realloc(void) {
  unsigned char *p = NULL;
  size_t n = 0;
  for (size_t next = 1; next <= (2u << 20); next = next * 3 / 2 + 1) {
    p = realloc(p, next);
    REQUIRE(p, "realloc(%zu) failed", next);
    for (size_t i = 0; i < n; i++)
      REQUIRE(p[i] == (unsigned char)(i * 7), "grow to %zu: byte %zu", next, i);
    for (size_t i = n; i < next; i++)
      p[i] = (unsigned char)(i * 7);
    check_block((char *)p, next, LK_KIND_MALLOC);
    n = next;
  }
  while (n > 3) {
    n /= 3;
    p = realloc(p, n);
    REQUIRE(p, "shrink to %zu failed", n);
    check_block((char *)p, n, LK_KIND_MALLOC);
    for (size_t i = 0; i < n; i++)
      REQUIRE(p[i] == (unsigned char)(i * 7), "shrink to %zu: byte %zu", n, i);
  }
  REQUIRE(realloc(p, 0) == NULL, "realloc(p, 0) did not return NULL");
  p = realloc(NULL, 10);
  check_block((char *)p, 10, LK_KIND_MALLOC);
  errno = 0;
  REQUIRE(!reallocarray(p, too_big / 2, 3) && errno == ENOMEM,
        "reallocarray overflow");
  REQUIRE(lk_block_of((uintptr_t)p, NULL) == p, "reallocarray overflow freed p");
  p = reallocarray(p, 10, 10);
  check_block((char *)p, 100, LK_KIND_MALLOC);
  free(p);
}

static void test_failures(void) {
  errno = 0;
  REQUIRE(!calloc(too_big / 2, 3) && errno == ENOMEM, "calloc overflow");
  errno = 0;
  REQUIRE(!malloc(LK_MAX_SIZE + 1) && errno == ENOMEM, "huge malloc");
  errno = 0;
  REQUIRE(!malloc(too_big) && errno == ENOMEM, "malloc(too_big)");
  /* calloc zeroes recycled chunks. */
  char *d = malloc(100);
  memset(d, 0xff, 100);
  free(d);
  char *z = calloc(10, 10);
  for (int i = 0; i < 100; i++)
    REQUIRE(z[i] == 0, "calloc byte %d not zero", i);
  free(z);
  char *s = strdup("leakcc"), *t = strndup("leakcc", 4);
  REQUIRE(!strcmp(s, "leakcc") && !strcmp(t, "leak"), "strdup/strndup");
  check_block(s, 7, LK_KIND_MALLOC);
  check_block(t, 5, LK_KIND_MALLOC);
  free(s);
  free(t);
  free(NULL);
}

static void test_generation_and_kinds(void) {
  lk_meta *m = NULL;
  void *p = malloc(40);
  lk_block_of((uintptr_t)p, &m);
  uint32_t gen = m->gen;
  free(p);
  void *q = malloc(40);
  REQUIRE(q == p, "freed chunk not reused first (%p vs %p)", q, p);
  REQUIRE(m->gen == gen + 1, "generation %u after %u", m->gen, gen);
  REQUIRE(!m->ignored, "fresh block ignored");
  free(q);
  REQUIRE(m->gen == gen + 2 && m->state == LK_FREE, "free: generation %u",
        m->gen);
  void *big = malloc(1u << 20);
  lk_block_of((uintptr_t)big, &m);
  gen = m->gen;
  free(big);
  REQUIRE(m->gen == gen + 1, "large free: generation %u after %u", m->gen, gen);
  lk_disable_depth++;
  q = malloc(40);
  lk_disable_depth--;
  lk_block_of((uintptr_t)q, &m);
  REQUIRE(m->ignored, "block allocated while disabled not ignored");
  free(q);
  char *n1 = _Znwm(8), *n2 = _Znam(8);
  check_block(n1, 8, LK_KIND_NEW);
  check_block(n2, 8, LK_KIND_NEW_ARRAY);
  _ZdlPv(n1);
  _ZdaPv(n2);
}

static void count_cb(void *block, lk_meta *m, void *arg) {
  REQUIRE(lk_block_of((uintptr_t)block, NULL) == block, "iterated non-block");
  ++*(size_t *)arg;
}

static size_t count_blocks(void) {
  size_t n = 0;
  lk_alloc_lock_all();
  lk_for_each_block(count_cb, &n);
  lk_alloc_unlock_all();
  return n;
}

static void test_for_each(void) {
  enum { N = 5000 };
  static void *ptrs[N + 3];
  size_t before = count_blocks();
  for (int i = 0; i < N; i++)
    ptrs[i] = malloc((size_t)i % 3000);
  for (int i = 0; i < 3; i++)
    ptrs[N + i] = malloc((1u << 20) * (size_t)(i + 1));
  REQUIRE(count_blocks() == before + N + 3, "count %zu, expected %zu",
        count_blocks(), before + N + 3);
  for (int i = 0; i < N + 3; i++)
    free(ptrs[i]);
  REQUIRE(count_blocks() == before, "count %zu after free, expected %zu",
        count_blocks(), before);
}

/* Threads allocate, check and free; half of each thread's blocks are freed
 * by the next thread. */
enum { THREADS = 4, ROUNDS = 20, PER_ROUND = 2000 };
static void *handoff[THREADS][PER_ROUND];
static pthread_barrier_t barrier;

static void *stress(void *arg) {
  int me = (int)(intptr_t)arg;
  static __thread void *mine[PER_ROUND];
  unsigned seed = (unsigned)me * 7919u;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < PER_ROUND; i++) {
      seed = seed * 1103515245u + 12345u;
      size_t n = (seed >> 8) % (i % 97 == 0 ? 300000 : 600);
      char *p = malloc(n);
      REQUIRE(p, "thread %d: malloc(%zu)", me, n);
      memset(p, me, n);
      REQUIRE(lk_block_of((uintptr_t)p, NULL) == p, "thread %d: lookup", me);
      (i & 1 ? handoff[me] : mine)[i] = p;
    }
    pthread_barrier_wait(&barrier);
    void **theirs = handoff[(me + 1) % THREADS];
    for (int i = 0; i < PER_ROUND; i++) {
      void **slot = i & 1 ? &theirs[i] : &mine[i];
      free(*slot);
      *slot = NULL;
    }
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}

static void run_threads(void) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    REQUIRE(!pthread_create(&t[i], NULL, stress, (void *)(intptr_t)i),
          "pthread_create");
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
}

static void test_threads(void) {
  pthread_barrier_init(&barrier, NULL, THREADS);
  /* The first run lets glibc allocate what it keeps for its thread stack
   * cache (each thread's DTV); the second must leave the count unchanged. */
  run_threads();
  size_t before = count_blocks();
  run_threads();
  REQUIRE(count_blocks() == before, "%zu blocks after threads, expected %zu",
        count_blocks(), before);
}

/* Runs bad(p) in a child with stderr captured; expects it to die with the
 * report line `expect`. */
static void expect_report(void (*bad)(void), const char *expect) {
  int fds[2];
  REQUIRE(!pipe(fds), "pipe");
  pid_t pid = fork();
  REQUIRE(pid >= 0, "fork");
  if (pid == 0) {
    dup2(fds[1], 2);
    bad();
    _exit(0);
  }
  close(fds[1]);
  char buf[4096];
  size_t len = 0;
  ssize_t r;
  while (len < sizeof buf - 1 && (r = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t)r;
  buf[len] = 0;
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) != 0,
        "expected a fatal report for '%s'", expect);
  REQUIRE(strstr(buf, expect) && strstr(buf, "SUMMARY: leakcc: "),
        "report lacks '%s':\n%s", expect, buf);
}

static void double_free(void) {
  void *p = malloc(10);
  free(p);
  free(p);
}
static void double_free_large(void) {
  void *p = malloc(1u << 20);
  free(p);
  free(p);
}
static void interior_free(void) { free((char *)malloc(10) + 1); }
static void foreign_free(void) {
  static int x;
  free(&x);
}
/* A 16-byte chunk 1 GiB past its region's start: inside the region, far
 * beyond the chunks carved so far (their metadata is not even mapped). */
static void uncarved_free(void) { free((char *)malloc(16) + (1u << 30)); }
static void large_interior_free(void) {
  free((char *)malloc(1u << 20) + (64u << 10));
}
static void new_vs_free(void) { free(_Znwm(4)); }
static void new_array_vs_delete(void) { _ZdlPv(_Znam(4)); }

static void test_bad_frees(void) {
  expect_report(double_free, "attempting double-free on 0x");
  expect_report(double_free_large, "attempting double-free on 0x");
  expect_report(interior_free, "attempting free on address which was not malloc()-ed");
  expect_report(foreign_free, "attempting free on address which was not malloc()-ed");
  expect_report(uncarved_free, "attempting free on address which was not malloc()-ed");
  expect_report(large_interior_free,
                "attempting free on address which was not malloc()-ed");
  expect_report(new_vs_free, "alloc-dealloc-mismatch (operator new vs free)");
  expect_report(new_array_vs_delete,
                "alloc-dealloc-mismatch (operator new [] vs operator delete)");
}

/* Lines of /proc/self/maps: the process's mappings. */
static int mappings(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  REQUIRE(f, "cannot open /proc/self/maps");
  int n = 0, c;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

/* vm.max_map_count: large blocks, whatever their sizes, do not make a
 * mapping each, neither when allocated nor when every other one is freed;
 * a freed block's extent is reused. */
static void test_large_mappings(void) {
  enum { N = 2000 };
  static char *v[N];
  int before = mappings();
  for (int i = 0; i < N; i++) {
    size_t size = (130u << 10) + (size_t)i * 1000; /* 3..33 granules */
    v[i] = malloc(size);
    REQUIRE(v[i], "large block %d", i);
    v[i][0] = v[i][size - 1] = 1;
  }
  int live = mappings();
  for (int i = 0; i < N; i += 2)
    free(v[i]);
  int holes = mappings();
  REQUIRE(live - before < 50 && holes - before < 50,
          "mappings: %d before, %d with %d large blocks, %d after freeing "
          "half", before, live, N, holes);
  char *again = malloc(130u << 10);
  REQUIRE(again == v[0], "freed extent %p not reused (got %p)", v[0], again);
  REQUIRE(again[0] == 0, "reused large block not zeroed");
  free(again);
  for (int i = 1; i < N; i += 2)
    free(v[i]);
}

int main(void) {
  test_sizes();
  test_large_mappings();
  test_aligned();
  test_realloc();
  test_failures();
  test_generation_and_kinds();
  test_for_each();
  test_threads();
  test_bad_frees();
  printf("unit_rt_alloc: ok\n");
  return 0;
}
