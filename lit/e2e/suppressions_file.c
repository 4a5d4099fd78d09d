// suppressions=FILE: "leak:PATTERN" lines (comments and blank lines allowed)
// match function or file names, as substrings, with ^/$ anchors and '*'
// wildcards; suppressed leaks are left out of the report and the summary,
// listed in the "Suppressions used:" table, and do not change the exit status.
// RUN: %leakcc -O0 %s -o %t
// RUN: echo "# exact function name only" > %t.anchored
// RUN: echo "" >> %t.anchored
// RUN: echo "leak:^leak_suppressed$" >> %t.anchored
// RUN: %env_leakcc_opts=suppressions=%t.anchored not %run %t > %t.out1 2>&1
// RUN: FileCheck %s --check-prefix=ANCHORED < %t.out1
// RUN: FileCheck %s --check-prefix=TABLE1 < %t.out1
// RUN: echo "leak:suppressed" > %t.substring
// RUN: %env_leakcc_opts=suppressions=%t.substring not %run %t 2>&1 | FileCheck %s --check-prefix=SUBSTRING
// RUN: echo "leak:leak_*_too" > %t.wildcard
// RUN: %env_leakcc_opts=suppressions=%t.wildcard not %run %t 2>&1 | FileCheck %s --check-prefix=WILDCARD
// RUN: echo "leak:suppressions_file.c" > %t.byfile
// RUN: %env_leakcc_opts=suppressions=%t.byfile %run %t 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: env LSAN_OPTIONS=suppressions=%t.byfile %run %t 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: %env_leakcc_opts=suppressions=%t.byfile:print_suppressions=0 %run %t 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

static void drop(size_t n) {
  void *p = malloc(n);
  memset(p, 0, n);
  sink = p;
  sink = NULL;
}

/* drop() allocates, so these functions are frame #1; patterns match any frame. */
__attribute__((noinline)) void leak_suppressed(void) { drop(33); }
__attribute__((noinline)) void leak_suppressed_too(void) { drop(44); }
__attribute__((noinline)) void leak_reported(void) { drop(55); }

int main(void) {
  leak_suppressed();
  leak_suppressed_too();
  leak_reported();
  scrub_stack();
  return 0;
}
// ANCHORED: ERROR: leakcc: detected memory leaks
// ANCHORED: Direct leak of 55 byte(s)
// ANCHORED: Direct leak of 44 byte(s)
// ANCHORED-NOT: Direct leak of 33 byte(s)
// ANCHORED: SUMMARY: leakcc: 99 byte(s) leaked in 2 allocation(s).

// TABLE1: Suppressions used:
// TABLE1-NEXT: count {{ *}}bytes {{ *}}template
// TABLE1-NEXT: {{ +}}1{{ +}}33 ^leak_suppressed$

// SUBSTRING: Direct leak of 55 byte(s)
// SUBSTRING-NOT: Direct leak
// SUBSTRING: Suppressions used:
// SUBSTRING: {{ +}}2{{ +}}77 suppressed
// SUBSTRING: SUMMARY: leakcc: 55 byte(s) leaked in 1 allocation(s).

// WILDCARD: Direct leak of 55 byte(s)
// WILDCARD: Direct leak of 33 byte(s)
// WILDCARD: Suppressions used:
// WILDCARD: {{ +}}1{{ +}}44 leak_*_too
// WILDCARD: SUMMARY: leakcc: 88 byte(s) leaked in 2 allocation(s).

// ALL-NOT: ERROR: leakcc
// ALL: Suppressions used:
// ALL: {{ +}}3{{ +}}132 suppressions_file.c
// ALL-NOT: SUMMARY

// QUIET-NOT: leakcc
// QUIET-NOT: Suppressions
