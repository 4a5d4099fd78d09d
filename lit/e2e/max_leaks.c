// max_leaks=N prints only the N largest leak records; the summary still
// counts every leak; max_leaks=0 (default) prints all.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=max_leaks=1 not %run %t 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: %env_leakcc_opts=max_leaks=2 not %run %t 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not %run %t 2>&1 | FileCheck %s --check-prefix=ALL
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void drop(void *p) {
  sink = p;
  sink = NULL;
}

int main(void) {
  drop(malloc(100));
  drop(malloc(300));
  drop(malloc(200));
  scrub_stack();
  return 0;
}
// ONE: Direct leak of 300 byte(s)
// ONE-NOT: leak of
// ONE: SUMMARY: leakcc: 600 byte(s) leaked in 3 allocation(s).

// TWO: Direct leak of 300 byte(s)
// TWO: Direct leak of 200 byte(s)
// TWO-NOT: leak of
// TWO: SUMMARY: leakcc: 600 byte(s) leaked in 3 allocation(s).

// ALL: Direct leak of 300 byte(s)
// ALL: Direct leak of 200 byte(s)
// ALL: Direct leak of 100 byte(s)
// ALL: SUMMARY: leakcc: 600 byte(s) leaked in 3 allocation(s).
