/*
 * Cost of a store under leakcc's store instrumentation, in ns per store.
 *
 *   stores N STORES
 *
 * Runs each kernel below over arrays of N elements, repeated until about
 * STORES stores are done, once untimed (warm-up: caches, page faults, the
 * shadow pages) and once timed, in a fixed order.  run.sh builds this file
 * twice with the same flags, with and without -fpass-plugin=leakpass.so,
 * links both with the leakcc runtime (so the allocator and the array
 * placement are the same) and compares the figures.
 *
 * Each kernel is a noinline function that stores through its array
 * argument, so -O2 can neither delete the stores nor merge kernels, and the
 * pass sees the encoding and the store in the same function (the case in
 * which a constant encoding gets a cheap shadow value rather than a call):
 *
 *   data     a[i] = x * i                             long array
 *   ptr      a[i] = base + i                          pointer array
 *   lowtag   a[i] = (uintptr_t)(base + i) | 1
 *   nanbox   a[i] = 0xfff8000000000000 | (uintptr_t)(base + i)
 *   hightag  a[i] = (uint64_t)k << 48 | (uintptr_t)(base + i)
 *   copy     d[i] = s[i]                              words holding pointers
 *   int      a[i] = x * i                             int array (sub-word)
 *
 * Output, one line on stdout: KERNEL_ns=F for each kernel (ns per store).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "micro.h"

#define NOINLINE __attribute__((noinline))

NOINLINE void kernel_data(long *a, size_t n, long x) {
  for (size_t i = 0; i < n; i++)
    a[i] = x * (long)i;
}

NOINLINE void kernel_ptr(char **a, size_t n, char *base) {
  for (size_t i = 0; i < n; i++)
    a[i] = base + i;
}

NOINLINE void kernel_lowtag(uintptr_t *a, size_t n, char *base) {
  for (size_t i = 0; i < n; i++)
    a[i] = (uintptr_t)(base + i) | 1;
}

NOINLINE void kernel_nanbox(uint64_t *a, size_t n, char *base) {
  for (size_t i = 0; i < n; i++)
    a[i] = 0xfff8000000000000u | (uintptr_t)(base + i);
}

NOINLINE void kernel_hightag(uint64_t *a, size_t n, char *base, unsigned k) {
  for (size_t i = 0; i < n; i++)
    a[i] = (uint64_t)k << 48 | (uintptr_t)(base + i);
}

/* no_builtin: otherwise -O2 turns the loop into a memcpy call, which would
 * measure memcpy and __leakcc_shadow_copy instead of a word copy. */
__attribute__((no_builtin("memcpy"))) NOINLINE void kernel_copy(uintptr_t *d, const uintptr_t *s,
                                                                 size_t n) {
  for (size_t i = 0; i < n; i++)
    d[i] = s[i];
}

NOINLINE void kernel_int(int *a, size_t n, int x) {
  for (size_t i = 0; i < n; i++)
    a[i] = x * (int)i;
}

enum kernel { DATA, PTR, LOWTAG, NANBOX, HIGHTAG, COPY, INT, NUM_KERNELS };
static const char *const kernel_names[NUM_KERNELS] = {"data",    "ptr",  "lowtag", "nanbox",
                                                      "hightag", "copy", "int"};

struct arrays {
  size_t n;
  long *words;     /* data, ptr, lowtag, nanbox, hightag: one 8-byte array */
  uintptr_t *src;  /* copy's source: pointers into block */
  int *ints;
  char *block;     /* what the pointers point into */
};

/* Direct calls only: an indirect call would make instrumented code report
 * the arrays as escaping to possibly uninstrumented code. */
static void run(enum kernel k, struct arrays *m, uint64_t reps) {
  for (uint64_t r = 0; r < reps; r++) {
    switch (k) {
    case DATA: kernel_data(m->words, m->n, (long)r + 3); break;
    case PTR: kernel_ptr((char **)m->words, m->n, m->block); break;
    case LOWTAG: kernel_lowtag((uintptr_t *)m->words, m->n, m->block); break;
    case NANBOX: kernel_nanbox((uint64_t *)m->words, m->n, m->block); break;
    case HIGHTAG: kernel_hightag((uint64_t *)m->words, m->n, m->block, (unsigned)r & 0xff); break;
    case COPY: kernel_copy((uintptr_t *)m->words, m->src, m->n); break;
    case INT: kernel_int(m->ints, m->n, (int)r + 3); break;
    case NUM_KERNELS: break;
    }
  }
}

static void *xmalloc(size_t size) {
  void *p = malloc(size);
  if (!p) {
    fprintf(stderr, "micro: malloc(%zu) failed\n", size);
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: stores N STORES\n");
    return 2;
  }
  struct arrays m = {.n = micro_count(argv[1], "N")};
  uint64_t stores = micro_count(argv[2], "STORES");
  uint64_t reps = stores / m.n ? stores / m.n : 1;
  m.words = xmalloc(m.n * sizeof *m.words);
  m.src = xmalloc(m.n * sizeof *m.src);
  m.ints = xmalloc(m.n * sizeof *m.ints);
  m.block = xmalloc(m.n + 1);
  kernel_ptr((char **)m.src, m.n, m.block);

  double ns[NUM_KERNELS];
  for (int k = 0; k < NUM_KERNELS; k++) {
    run(k, &m, reps);
    uint64_t t0 = micro_now_ns();
    run(k, &m, reps);
    ns[k] = (double)(micro_now_ns() - t0) / (double)(reps * m.n);
  }
  for (int k = 0; k < NUM_KERNELS; k++)
    printf("%s%s_ns=%.4f", k ? " " : "", kernel_names[k], ns[k]);
  printf("\n");
  free(m.words);
  free(m.src);
  free(m.ints);
  free(m.block);
  return 0;
}
