/*
 * Unit test of the marker, the root set and stop-the-world (runtime/mark.c,
 * roots.c, threads.c) with the real allocator: builds object graphs, marks
 * with the world stopped, and checks every block's tag.
 *
 * Blocks whose tag a test checks are remembered only as ~address in
 * volatile globals, so that no test-owned word refers to them; the stack
 * below the caller is scrubbed before each marking so that dead frames hold
 * no stale copies.
 */
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lk.h"

static int failures;

#define CHECK_TAG(enc, want)                                                   \
  check_tag(__LINE__, #enc, (enc), (want))

static const char *const tag_names[] = {"UNMARKED", "REACHABLE", "INDIRECT",
                                        "IGNORED"};

static void check_tag(int line, const char *what, uintptr_t enc,
                      unsigned want) {
  lk_meta *m;
  if (!lk_block_of(~enc, &m)) {
    fprintf(stderr, "FAIL line %d: %s is not a block\n", line, what);
    failures++;
    return;
  }
  if (m->tag != want) {
    fprintf(stderr, "FAIL line %d: %s is %s, expected %s\n", line, what,
            tag_names[m->tag], tag_names[want]);
    failures++;
  }
}

static void mark_cb(void *arg) { lk_mark_all(false); }

/* Zeroes the stack below the caller (dead frames of earlier calls, which
 * the frames of the marking call would otherwise inherit). */
__attribute__((noinline)) static void scrub(void) {
  volatile char area[64 * 1024];
  memset((char *)area, 0, sizeof area);
}

__attribute__((noinline)) static void mark_now(void) {
  lk_alloc_lock_all();
  lk_stop_the_world(mark_cb, NULL);
  lk_alloc_unlock_all();
}

/* Marks with the world stopped, as lk_do_leak_check does. */
#define mark() (scrub(), mark_now())

static void set_roots(bool globals, bool stacks, bool registers, bool tls) {
  lk_flags.use_globals = globals;
  lk_flags.use_stacks = stacks;
  lk_flags.use_registers = registers;
  lk_flags.use_tls = tls;
}

/* Marks with the main thread's stack and registers left out, for checks
 * that a block is NOT reachable: with optimisation, dead copies of pointers
 * linger in live frames the scrub cannot reach. */
#define mark_without_stacks()                                                  \
  (set_roots(true, false, false, true), mark(), set_roots(true, true, true, true))

/* Object graph nodes: up to three outgoing pointers. */
typedef struct obj {
  struct obj *to[3];
  char payload[8];
} obj;

__attribute__((noinline)) static uintptr_t new_obj(void) {
  obj *o = calloc(1, sizeof *o);
  return ~(uintptr_t)o;
}

static obj *O(uintptr_t enc) { return (obj *)~enc; }

/* ------------------------------------------------------------ globals */

static void *volatile g_root;
static volatile uintptr_t g_interior;
static volatile char g_packed[32];

__attribute__((noinline)) static void test_globals(uintptr_t *reach,
                                                   uintptr_t *child,
                                                   uintptr_t *inner) {
  *reach = new_obj();
  *child = new_obj();
  *inner = new_obj();
  O(*reach)->to[0] = O(*child);
  g_root = O(*reach);
  g_interior = (uintptr_t)O(*inner) + 13; /* interior pointer */
}

static void globals(void) {
  uintptr_t reach, child, inner;
  test_globals(&reach, &child, &inner);
  mark();
  CHECK_TAG(reach, LK_TAG_REACHABLE);
  CHECK_TAG(child, LK_TAG_REACHABLE);
  CHECK_TAG(inner, LK_TAG_REACHABLE);
  g_root = NULL;
  g_interior = 0;
  mark_without_stacks();
  CHECK_TAG(reach, LK_TAG_UNMARKED);
  CHECK_TAG(child, LK_TAG_INDIRECT);
  CHECK_TAG(inner, LK_TAG_UNMARKED);
  free(O(child));
  free(O(reach));
  free(O(inner));
}

/* An unaligned pointer is seen only with use_unaligned=1. */
static void unaligned(void) {
  uintptr_t enc = new_obj();
  uintptr_t p = ~enc;
  memcpy((char *)g_packed + 3, &p, sizeof p);
  p = 0;
  mark_without_stacks();
  CHECK_TAG(enc, LK_TAG_UNMARKED);
  lk_flags.use_unaligned = true;
  mark();
  lk_flags.use_unaligned = false;
  CHECK_TAG(enc, LK_TAG_REACHABLE);
  memset((char *)g_packed, 0, sizeof g_packed);
  free(O(enc));
}

/* ------------------------------------------------------ stack, leaks */

__attribute__((noinline)) static void on_stack(uintptr_t enc) {
  obj *volatile local = O(enc);
  mark();
  CHECK_TAG(enc, LK_TAG_REACHABLE);
  (void)local;
}

static void stack(void) {
  uintptr_t enc = new_obj();
  on_stack(enc);
  mark_without_stacks();
  CHECK_TAG(enc, LK_TAG_UNMARKED);
  free(O(enc));
}

static void link_to(uintptr_t from, uintptr_t to) { O(from)->to[0] = O(to); }

/* Builds in a callee whose frame the scrub then clears. */
__attribute__((noinline)) static void build(uintptr_t *v, int n) {
  for (int i = 0; i < n; i++)
    v[i] = new_obj();
}

/* Returns the index of the lowest address among v[0..n). */
static int lowest(const uintptr_t *v, int n) {
  int best = 0;
  for (int i = 1; i < n; i++)
    if (~v[i] < ~v[best])
      best = i;
  return best;
}

static void free_all(uintptr_t *v, int n) {
  for (int i = 0; i < n; i++)
    free(O(v[i]));
}

/* Classification of leaked graphs.  The main thread's stack and registers
 * are left out of the roots here: live runtime and libc frames above the
 * marker may hold stale words the scrub cannot reach. */
static void leaks(void) {
  set_roots(true, false, false, true); /* as mark_without_stacks */
  /* chain: v0 -> v1 -> v2 */
  uintptr_t c[3];
  build(c, 3);
  link_to(c[0], c[1]);
  link_to(c[1], c[2]);
  mark();
  CHECK_TAG(c[0], LK_TAG_UNMARKED);
  CHECK_TAG(c[1], LK_TAG_INDIRECT);
  CHECK_TAG(c[2], LK_TAG_INDIRECT);
  free_all(c, 3);

  /* 2-cycle and 3-cycle: exactly one direct member, the lowest address */
  for (int n = 2; n <= 3; n++) {
    uintptr_t v[3];
    build(v, n);
    for (int i = 0; i < n; i++)
      link_to(v[i], v[(i + 1) % n]);
    mark();
    int first = lowest(v, n);
    for (int i = 0; i < n; i++)
      CHECK_TAG(v[i], i == first ? LK_TAG_UNMARKED : LK_TAG_INDIRECT);
    free_all(v, n);
  }

  /* a chain into a cycle: head direct, cycle indirect (whatever the
   * addresses); a self-reference does not hide a leak */
  uintptr_t h[4];
  build(h, 4);
  link_to(h[3], h[0]);
  link_to(h[0], h[1]);
  link_to(h[1], h[2]);
  link_to(h[2], h[0]);
  O(h[3])->to[1] = O(h[3]);
  mark();
  CHECK_TAG(h[3], LK_TAG_UNMARKED);
  CHECK_TAG(h[0], LK_TAG_INDIRECT);
  CHECK_TAG(h[1], LK_TAG_INDIRECT);
  CHECK_TAG(h[2], LK_TAG_INDIRECT);
  /* two heads into one cycle: both direct, the cycle indirect */
  uintptr_t h2 = new_obj();
  link_to(h2, h[1]);
  mark();
  CHECK_TAG(h2, LK_TAG_UNMARKED);
  CHECK_TAG(h[3], LK_TAG_UNMARKED);
  CHECK_TAG(h[0], LK_TAG_INDIRECT);
  free(O(h2));
  free_all(h, 4);
  set_roots(true, true, true, true);
}

/* ------------------------------------------------- ignored, disabled */

static void ignored(void) {
  uintptr_t v[2];
  build(v, 2);
  link_to(v[0], v[1]);
  __lsan_ignore_object(O(v[0]));
  __lsan_disable();
  uintptr_t d = new_obj();
  __lsan_enable();
  mark();
  CHECK_TAG(v[0], LK_TAG_IGNORED);
  CHECK_TAG(v[1], LK_TAG_REACHABLE);
  CHECK_TAG(d, LK_TAG_IGNORED);
  free_all(v, 2);
  free(O(d));
}

/* --------------------------------------------------------- root regions */

static void root_regions(void) {
  uintptr_t enc = new_obj();
  void **region = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  region[100] = O(enc);
  __lsan_register_root_region(region, 4096);
  mark();
  CHECK_TAG(enc, LK_TAG_REACHABLE);
  /* an unreadable part of a region is skipped, not faulted on */
  __lsan_register_root_region(region, 3 * 4096);
  mark();
  CHECK_TAG(enc, LK_TAG_REACHABLE);
  __lsan_unregister_root_region(region, 3 * 4096);
  __lsan_unregister_root_region(region, 4096);
  mark_without_stacks();
  CHECK_TAG(enc, LK_TAG_UNMARKED);
  munmap(region, 4096);
  free(O(enc));
}

/* ------------------------------------------------------- other threads */

static volatile uintptr_t t_stack_enc, t_tls_enc, t_specific_enc, t_reg_enc;
static volatile int t_ready, t_done;
static __thread void *volatile tls_slot;
static pthread_key_t key;
#define REG_KEY 0xfff0000000000000ULL /* moves the value out of the heap */

__attribute__((noinline)) static void hold_in_r12(void) {
  uintptr_t hidden = ~t_reg_enc ^ REG_KEY;
  __asm__ volatile("mov %[h], %%r12\n\t"
                   "xor %[k], %%r12\n\t"
                   "movl $1, %[ready]\n\t"
                   "1: pause\n\t"
                   "cmpl $0, %[done]\n\t"
                   "je 1b\n\t"
                   "xor %%r12, %%r12"
                   : [ready] "=m"(t_ready)
                   : [h] "r"(hidden), [k] "r"(REG_KEY), [done] "m"(t_done)
                   : "r12", "memory");
}

static void *worker(void *arg) {
  obj *volatile local = O(t_stack_enc);
  tls_slot = O(t_tls_enc);
  pthread_setspecific(key, O(t_specific_enc));
  hold_in_r12();
  (void)local;
  return NULL;
}

static void threads(void) {
  pthread_key_create(&key, NULL);
  t_stack_enc = new_obj();
  t_tls_enc = new_obj();
  t_specific_enc = new_obj();
  t_reg_enc = new_obj();
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  while (!t_ready)
    sched_yield();

  mark(); /* everything on */
  CHECK_TAG(t_stack_enc, LK_TAG_REACHABLE);
  CHECK_TAG(t_tls_enc, LK_TAG_REACHABLE);
  CHECK_TAG(t_specific_enc, LK_TAG_REACHABLE);
  CHECK_TAG(t_reg_enc, LK_TAG_REACHABLE);

  set_roots(true, false, false, true); /* TLS alone */
  mark();
  CHECK_TAG(t_tls_enc, LK_TAG_REACHABLE);
  CHECK_TAG(t_specific_enc, LK_TAG_REACHABLE);
  CHECK_TAG(t_reg_enc, LK_TAG_UNMARKED);
  CHECK_TAG(t_stack_enc, LK_TAG_UNMARKED);

  /* Registers alone (other registers may still hold stale copies of the
   * TLS values, so only r12's block is checked). */
  set_roots(true, false, true, false);
  mark();
  CHECK_TAG(t_reg_enc, LK_TAG_REACHABLE);

  set_roots(true, true, false, false); /* stacks alone */
  mark();
  CHECK_TAG(t_stack_enc, LK_TAG_REACHABLE);

  set_roots(true, false, false, false); /* none of the thread's roots */
  mark();
  CHECK_TAG(t_stack_enc, LK_TAG_UNMARKED);
  CHECK_TAG(t_tls_enc, LK_TAG_UNMARKED);
  CHECK_TAG(t_specific_enc, LK_TAG_UNMARKED);
  CHECK_TAG(t_reg_enc, LK_TAG_UNMARKED);

  set_roots(true, true, true, true);
  t_done = 1;
  pthread_join(t, NULL);
  free(O(t_stack_enc));
  free(O(t_tls_enc));
  free(O(t_specific_enc));
  free(O(t_reg_enc));
}

/* --------------------------------------------- parallel marking */

#define GRAPH_N 100000
#define GRAPH_ROOTS 64
#define GRAPH_IGNORED 200

static obj *volatile g_graph_roots[GRAPH_ROOTS];

static uint64_t rng_next(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static void *scratch(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

/* Marks with marker_threads=threads and stores the graph's tags. */
static void mark_graph(const uintptr_t *enc, unsigned char *tags,
                       int threads) {
  lk_flags.marker_threads = threads;
  mark_without_stacks();
  for (int i = 0; i < GRAPH_N; i++) {
    lk_meta *m;
    tags[i] = lk_block_of(~enc[i], &m) ? m->tag : 0xff;
  }
}

/* A random graph of GRAPH_N blocks (more than the marker's threshold for
 * helper threads): the first half is densely linked and reached from
 * global roots; the second half is a sparse random function graph (chains
 * into cycles) with some ignored blocks, so it holds reachable, direct,
 * indirect and cyclic leaks.  Every marker count must give the tags of one
 * marker, and those must agree with a reachability search done here. */
static void parallel(void) {
  uintptr_t *enc = scratch(GRAPH_N * sizeof *enc);
  int(*edges)[3] = scratch(GRAPH_N * sizeof *edges);
  unsigned char *tags1 = scratch(GRAPH_N), *tags = scratch(GRAPH_N);
  unsigned char *want = scratch(GRAPH_N);
  int *queue = scratch(GRAPH_N * sizeof *queue);
  uint64_t rng = 88172645463325252ULL;
  const int half = GRAPH_N / 2;
  build(enc, GRAPH_N);
  for (int i = 0; i < GRAPH_N; i++) {
    for (int k = 0; k < 3; k++) {
      int to = -1;
      if (i < half)
        to = (int)(rng_next(&rng) % half);
      else if (k == 0 && rng_next(&rng) % 10 != 0)
        to = half + (int)(rng_next(&rng) % half);
      edges[i][k] = to;
      O(enc[i])->to[k] = to < 0 ? NULL : O(enc[to]);
    }
  }
  int head = 0, tail = 0;
  for (int r = 0; r < GRAPH_ROOTS; r++) {
    int i = (int)(rng_next(&rng) % half);
    g_graph_roots[r] = O(enc[i]);
    if (!want[i])
      want[i] = LK_TAG_REACHABLE, queue[tail++] = i;
  }
  for (int r = 0; r < GRAPH_IGNORED; r++) {
    int i = half + (int)(rng_next(&rng) % half);
    __lsan_ignore_object(O(enc[i]));
    if (want[i] != LK_TAG_IGNORED) {
      want[i] = LK_TAG_IGNORED;
      queue[tail++] = i;
    }
  }
  while (head < tail) {
    int i = queue[head++];
    for (int k = 0; k < 3; k++) {
      int to = edges[i][k];
      if (to >= 0 && !want[to])
        want[to] = LK_TAG_REACHABLE, queue[tail++] = to;
    }
  }

  mark_graph(enc, tags1, 1);
  int leaked = 0, direct = 0, mismatches = 0;
  for (int i = 0; i < GRAPH_N; i++) {
    bool is_leak = tags1[i] == LK_TAG_UNMARKED || tags1[i] == LK_TAG_INDIRECT;
    leaked += is_leak;
    direct += tags1[i] == LK_TAG_UNMARKED;
    if (want[i] ? tags1[i] != want[i] : !is_leak)
      mismatches++;
  }
  if (mismatches || !leaked || !direct || leaked == direct) {
    fprintf(stderr,
            "FAIL parallel: 1 marker: %d tag(s) differ from the search; "
            "%d leaked, %d direct\n",
            mismatches, leaked, direct);
    failures++;
  }
  static const int counts[] = {2, 3, 8, 0};
  for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
    mark_graph(enc, tags, counts[c]);
    int differ = 0;
    for (int i = 0; i < GRAPH_N; i++)
      differ += tags[i] != tags1[i];
    if (differ) {
      fprintf(stderr, "FAIL parallel: %d marker(s): %d tag(s) differ\n",
              counts[c], differ);
      failures++;
    }
  }
  lk_flags.marker_threads = 0;
  memset((void *)g_graph_roots, 0, sizeof g_graph_roots);
  free_all(enc, GRAPH_N);
  munmap(enc, GRAPH_N * sizeof *enc);
  munmap(edges, GRAPH_N * sizeof *edges);
  munmap(tags1, GRAPH_N);
  munmap(tags, GRAPH_N);
  munmap(want, GRAPH_N);
  munmap(queue, GRAPH_N * sizeof *queue);
}

int main(void) {
  lk_init();
  bool detect_leaks = lk_flags.detect_leaks; /* ctest turns it off */
  lk_flags.detect_leaks = true;  /* __lsan_ignore_object needs it */
  globals();
  unaligned();
  stack();
  leaks();
  ignored();
  root_regions();
  threads();
  parallel();
  lk_flags.detect_leaks = detect_leaks;
  if (failures) {
    fprintf(stderr, "unit_rt_mark: %d failure(s)\n", failures);
    return 1;
  }
  fprintf(stderr, "unit_rt_mark: ok\n");
  return 0;
}
