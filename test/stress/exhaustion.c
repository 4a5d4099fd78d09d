/* Stress case 10: address-space exhaustion (run.py sets RLIMIT_AS, as
 * `ulimit -v` does, before the program starts: 256 MiB, 2 GiB in --long).
 *
 * MODE "1M", "64K", "100", "calloc": blocks of that size (calloc: 10 KiB,
 * checked zeroed) until NULL, printing how it ended, then free all and get
 * one again; SCALE rounds.  MODE "realloc": a block grown by doubling
 * until realloc fails (the old block must stay intact).  MODE "die":
 * allocate until NULL and exit(3) holding everything (no leak).  MODE
 * "full": leak 5 blocks, fill the address space and return holding it: the
 * exit-time check must still run and report exactly those 5.  MODE
 * "threads": 4 threads allocate until NULL at once, then free.  MODE
 * "reuse": fill with 64 KiB blocks, free them, then ask for 1 MiB blocks.
 * Plain and leakcc builds must print the same and exit the same. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "stress.h"

static void **held; /* the blocks of the last fill, as a list */

/* Allocates SIZE-byte blocks until NULL; returns how many. */
static long fill(size_t size, int zeroed) {
  long n = 0;
  for (;;) {
    *(volatile int *)&errno = 0; /* volatile: see below */
    void **p = zeroed ? calloc(1, size) : malloc(size);
    if (!p)
      break;
    if (zeroed && (p[0] || ((char *)p)[size - 1]))
      printf("calloc returned dirty memory\n");
    *p = held;
    held = p;
    n++;
  }
  /* volatile: clang assumes malloc leaves errno alone, so it moves the
   * store of 0 past the call or reuses it for this load */
  int err = *(volatile int *)&errno;
  printf("%zu-byte %s: got NULL (%s)%s\n", size, zeroed ? "callocs" : "mallocs",
         err == ENOMEM ? "ENOMEM" : strerror(err), n > 0 ? "" : " at once");
  return n;
}

static void release(void) {
  while (held) {
    void **next = *held;
    free(held);
    held = next;
  }
}

static void grow(void) {
  size_t size = 1 << 20;
  unsigned char *p = malloc(size);
  CHECK(p);
  memset(p, 0x5a, size);
  for (;;) {
    *(volatile int *)&errno = 0;
    unsigned char *q = realloc(p, size * 2);
    if (!q)
      break;
    memset(q + size, 0x5a, size);
    p = q;
    size *= 2;
  }
  int err = *(volatile int *)&errno, intact = 1;
  for (size_t i = 0; i < size; i += 4096)
    intact &= p[i] == 0x5a;
  printf("realloc: got NULL (%s), old block %s\n", err == ENOMEM ? "ENOMEM" : strerror(err),
         intact ? "intact" : "DAMAGED");
  free(p);
}

static void *filler(void *arg) {
  void **mine = NULL;
  long n = 0;
  for (;;) {
    void **p = malloc(40000 + (size_t)(n % 8) * 1000);
    if (!p)
      break;
    *p = mine;
    mine = p;
    n++;
  }
  while (mine) {
    void **next = *mine;
    free(mine);
    mine = next;
  }
  return (void *)(intptr_t)(n > 0);
}

__attribute__((noinline)) static void leak(size_t n) { drop(malloc(n)); }

int main(int argc, char **argv) {
  long rounds = stress_scale(argc, argv);
  const char *mode = argc > 2 ? argv[2] : "free";
  static const struct {
    const char *mode;
    size_t size;
    int zeroed;
  } fills[] = {{"1M", 1 << 20, 0}, {"64K", 64 << 10, 0}, {"100", 100, 0}, {"calloc", 10 << 10, 1}};
  for (int i = 0; i < 4; i++)
    if (!strcmp(mode, fills[i].mode)) {
      for (long r = 0; r < rounds; r++) {
        fill(fills[i].size, fills[i].zeroed);
        release();
        void *p = malloc(fills[i].size);
        stress_sink = p; /* else clang folds malloc and free away */
        printf("after freeing: %s\n", p ? "memory" : "NULL");
        free(p);
      }
      return 0;
    }
  if (!strcmp(mode, "realloc")) {
    for (long r = 0; r < rounds; r++)
      grow();
    return 0;
  }
  if (!strcmp(mode, "reuse")) {
    fill(10 << 10, 0);
    release();
    void *p = malloc(1 << 20);
    stress_sink = p;
    printf("1 MiB after freeing 10 KiB blocks: %s\n", p ? "memory" : "NULL");
    free(p);
    return 0;
  }
  if (!strcmp(mode, "die")) {
    fill(1 << 20, 0);
    fill(1000, 0);
    printf("out of memory, exiting 3\n");
    fflush(stdout);
    exit(3);
  }
  if (!strcmp(mode, "full")) {
    for (int i = 1; i <= 5; i++)
      leak((size_t)i * 100);
    expect_leaks(5, 1500);
    fill(1 << 20, 0);
    fill(256, 0);
    scrub_stack();
    return 0;
  }
  if (!strcmp(mode, "threads")) {
    for (long r = 0; r < rounds; r++) {
      pthread_t t[4];
      int ok = 1;
      for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, filler, NULL) == 0);
      for (int i = 0; i < 4; i++) {
        void *got;
        CHECK(pthread_join(t[i], &got) == 0);
        ok &= got != NULL;
      }
      void *p = malloc(40000); /* the same size class: see "reuse" */
      stress_sink = p;
      printf("4 threads got NULL, %s; then %s\n", ok ? "each after some memory" : "ONE AT ONCE",
             p ? "memory" : "NULL");
      free(p);
    }
    return 0;
  }
  printf("unknown mode %s\n", mode);
  return 2;
}
