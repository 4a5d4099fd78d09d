/*
 * malloc+free pairs over a realistic size mix, in ns per pair.
 *
 *   pairs lifo   THREADS PAIRS         malloc, touch, free at once (LIFO reuse)
 *   pairs window THREADS PAIRS WINDOW  keep WINDOW live blocks; each pair frees
 *                                      a randomly chosen one and replaces it
 *
 * Sizes: 70% 16-64 B, 25% 65-512 B, 5% 513 B-8 KiB, uniform inside each band,
 * drawn in advance from a fixed seed so the timed loop contains no RNG and
 * every build variant sees the same sequence.  Each of THREADS threads runs
 * PAIRS pairs on its own blocks (nothing is freed by another thread); the
 * figure printed is the mean over threads of (timed loop time / PAIRS), so
 * perfect scaling keeps it equal to the single-thread figure.
 *
 * Output, one line on stdout: ns_per_pair=F
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "micro.h"

#define TABLE_BITS 16
#define TABLE_MASK ((1u << TABLE_BITS) - 1)
#define MAX_THREADS 64

static uint32_t sizes[1u << TABLE_BITS];
static uint32_t slots[1u << TABLE_BITS]; /* random indices below window */

struct worker {
  pthread_t thread;
  unsigned id;
  int window_mode;
  uint64_t pairs;
  uint32_t window;
  pthread_barrier_t *start;
  uint64_t elapsed_ns;
  /* lifo's last block, stored through a volatile field so the optimizer
   * cannot delete a malloc+free pair whose block never escapes. */
  void *volatile sink;
  char pad[64];
};

static void make_tables(uint32_t window) {
  uint64_t rng = 42;
  for (uint32_t i = 0; i <= TABLE_MASK; i++) {
    uint64_t band = micro_rand(&rng) % 100, r = micro_rand(&rng);
    if (band < 70)
      sizes[i] = 16 + r % 49;
    else if (band < 95)
      sizes[i] = 65 + r % 448;
    else
      sizes[i] = 513 + r % (8192 - 512);
    slots[i] = window ? (uint32_t)(micro_rand(&rng) % window) : 0;
  }
}

static void *touch(void *p, uint32_t size, uint64_t i) {
  if (!p) {
    fprintf(stderr, "micro: malloc(%u) failed\n", size);
    exit(1);
  }
  ((char *)p)[0] = (char)i;
  ((char *)p)[size - 1] = (char)i;
  return p;
}

static void run_lifo(struct worker *w, uint64_t begin, uint64_t count) {
  for (uint64_t i = begin; i < begin + count; i++) {
    uint32_t size = sizes[i & TABLE_MASK];
    void *p = touch(malloc(size), size, i);
    w->sink = p;
    free(p);
  }
}

static void run_window(void **live, uint64_t begin, uint64_t count) {
  for (uint64_t i = begin; i < begin + count; i++) {
    uint32_t slot = slots[i & TABLE_MASK], size = sizes[(i * 7) & TABLE_MASK];
    free(live[slot]);
    live[slot] = touch(malloc(size), size, i);
  }
}

static void *work(void *arg) {
  struct worker *w = arg;
  uint64_t base = (uint64_t)w->id << 40, warm = w->pairs / 10 + 1;
  void **live = NULL;
  if (w->window_mode) {
    live = malloc(w->window * sizeof *live);
    if (!live) {
      fprintf(stderr, "micro: cannot allocate the window\n");
      exit(1);
    }
    for (uint32_t j = 0; j < w->window; j++)
      live[j] = touch(malloc(sizes[j & TABLE_MASK]), sizes[j & TABLE_MASK], j);
  }
  /* Warm up caches and the allocator's per-thread state, then start together. */
  if (live)
    run_window(live, base, warm);
  else
    run_lifo(w, base, warm);
  pthread_barrier_wait(w->start);
  uint64_t t0 = micro_now_ns();
  if (live)
    run_window(live, base + warm, w->pairs);
  else
    run_lifo(w, base + warm, w->pairs);
  w->elapsed_ns = micro_now_ns() - t0;
  if (live) {
    for (uint32_t j = 0; j < w->window; j++)
      free(live[j]);
    free(live);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int window_mode = argc == 5 && strcmp(argv[1], "window") == 0;
  if (!(window_mode || (argc == 4 && strcmp(argv[1], "lifo") == 0))) {
    fprintf(stderr, "usage: pairs lifo THREADS PAIRS | pairs window THREADS PAIRS WINDOW\n");
    return 2;
  }
  uint64_t nthreads = micro_count(argv[2], "THREADS");
  uint64_t pairs = micro_count(argv[3], "PAIRS");
  uint64_t window = window_mode ? micro_count(argv[4], "WINDOW") : 0;
  if (nthreads > MAX_THREADS || window > UINT32_MAX) {
    fprintf(stderr, "micro: at most %d threads and 2^32-1 window slots\n", MAX_THREADS);
    return 2;
  }
  make_tables((uint32_t)window);

  static struct worker workers[MAX_THREADS];
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, (unsigned)nthreads);
  for (unsigned t = 0; t < nthreads; t++) {
    workers[t] = (struct worker){.id = t, .window_mode = window_mode, .pairs = pairs,
                                 .window = (uint32_t)window, .start = &start};
    if (pthread_create(&workers[t].thread, NULL, work, &workers[t]) != 0) {
      fprintf(stderr, "micro: pthread_create failed\n");
      return 1;
    }
  }
  double total_ns = 0;
  for (unsigned t = 0; t < nthreads; t++) {
    pthread_join(workers[t].thread, NULL);
    total_ns += (double)workers[t].elapsed_ns;
  }
  pthread_barrier_destroy(&start);
  printf("ns_per_pair=%.2f\n", total_ns / (double)nthreads / (double)pairs);
  return 0;
}
