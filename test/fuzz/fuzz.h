/*
 * Shared by the fuzz targets of the runtime's parsers (test/fuzz/): the
 * runtime's internal interface and the hooks of fuzz_stubs.c.
 */
#ifndef LEAKCC_FUZZ_H
#define LEAKCC_FUZZ_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>

#include "lk.h"

/* Set by a target around a call that may end in lk_die(): lk_die() then
 * longjmps here instead of exiting.  NULL otherwise (lk_die aborts). */
extern jmp_buf *lk_fuzz_die;

/* Aborts (a crash libFuzzer reports, with the input) when COND is false:
 * the targets check the parsers' documented promises, not just memory
 * safety. */
#define FUZZ_ASSERT(cond)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: promise broken: %s\n", __FILE__, __LINE__,       \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

#endif
