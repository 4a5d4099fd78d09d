/* Shared by the stress cases (test/stress/README.md).
 *
 * Every case is built twice, with plain clang-19 and with leakcc, and
 * run.py compares the two runs' stdout and exit status.  So a case prints
 * only what does not depend on scheduling, and states its own ground
 * truth on stdout: the line printed by expect_leaks() is the exact leak
 * report the leakcc build must end with (nothing, when it says 0).
 *
 * argv[1] is the scale factor (1 in ctest, larger for --long). */
#ifndef LEAKCC_STRESS_H
#define LEAKCC_STRESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Plain builds have no leak checker: the API is weak there. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

void *volatile stress_sink;

static long stress_scale(int argc, char **argv) {
  long s = argc > 1 ? atol(argv[1]) : 1;
  return s > 0 ? s : 1;
}

/* The leak report the leakcc build must print at exit. */
static void expect_leaks(long blocks, long bytes) {
  printf("expect leaks: %ld blocks, %ld bytes\n", blocks, bytes);
  fflush(stdout);
}

/* Loses a block for good: the pointer only passes through a volatile. */
__attribute__((noinline)) static void drop(void *p) {
  stress_sink = p;
  stress_sink = NULL;
}

/* Stacks are scanned conservatively: dead frames below the caller may
 * still hold a dropped pointer, so cases overwrite them before exit. */
__attribute__((noinline)) static void scrub_stack(void) {
  char buf[32768];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      printf("FAILED: %s (%s:%d)\n", #cond, __FILE__, __LINE__);             \
      fflush(stdout);                                                        \
      abort();                                                               \
    }                                                                        \
  } while (0)

#endif
