// __lsan_default_suppressions() supplies suppressions compiled into the
// program; they combine with a suppressions file and appear in the table.
// RUN: %leakcc -O0 %s -o %t
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: echo "leak:leak_other" > %t.supp
// RUN: %env_leakcc_opts=suppressions=%t.supp %run %t 2>&1 | FileCheck %s --check-prefix=BOTH
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

const char *__lsan_default_suppressions(void) {
  return "# compiled in\nleak:leak_known\n";
}

void *volatile sink;

__attribute__((noinline)) void leak_known(void) {
  sink = malloc(70);
  sink = NULL;
}
__attribute__((noinline)) void leak_other(void) {
  sink = malloc(30);
  sink = NULL;
}

int main(void) {
  leak_known();
  leak_other();
  scrub_stack();
  return 0;
}
// CHECK: Direct leak of 30 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak_other
// CHECK-NOT: Direct leak
// CHECK: Suppressions used:
// CHECK: {{ +}}1{{ +}}70 leak_known
// CHECK: SUMMARY: leakcc: 30 byte(s) leaked in 1 allocation(s).

// BOTH-NOT: ERROR: leakcc
// BOTH: Suppressions used:
// BOTH-DAG: {{ +}}1{{ +}}70 leak_known
// BOTH-DAG: {{ +}}1{{ +}}30 leak_other
