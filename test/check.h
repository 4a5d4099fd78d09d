/* The unit tests' one assertion: CHECK(cond) prints the failing condition
 * with its place and counts it; a test ends with `return failures != 0;`
 * so that every failed check of a run is listed, not only the first. */
#ifndef LEAKCC_TEST_CHECK_H
#define LEAKCC_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stdout, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#endif /* LEAKCC_TEST_CHECK_H */
