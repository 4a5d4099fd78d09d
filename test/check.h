/* The unit tests' assertions.  CHECK(cond) prints the failing condition
 * with its place and counts it; a test ends with `return failures != 0;`
 * so that every failed check of a run is listed, not only the first.
 * REQUIRE(cond, fmt, ...) is for checks later ones depend on (a lookup whose
 * result is dereferenced next): it prints the condition and the message and
 * exits 1 at once. */
#ifndef LEAKCC_TEST_CHECK_H
#define LEAKCC_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int failures __attribute__((unused));

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stdout, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#define REQUIRE(cond, ...)                                                     \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fprintf(stderr, "\n");                                                   \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

#endif /* LEAKCC_TEST_CHECK_H */
