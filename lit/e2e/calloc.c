// calloc returns zeroed memory (also when it reuses a dirty freed block) and
// a dropped calloc block is reported with n*size bytes at the calloc site.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

static void check_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) {
      fprintf(stderr, "calloc memory not zeroed at %zu\n", i);
      abort();
    }
}

// CHECK: zeroed
// CHECK: Direct leak of 120 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static void leak_calloc(void) {
  for (int round = 0; round < 100; round++) {
    unsigned char *dirty = malloc(120);
    memset(dirty, 0xff, 120);
    sink = dirty;
    free(dirty);
  }
  // CHECK-NEXT: #0 {{.*}} in leak_calloc {{.*}}calloc.c:[[@LINE+1]]
  unsigned char *p = calloc(10, 12);
  check_zero(p, 120);
  unsigned char *big = calloc(1, 1 << 20);
  check_zero(big, 1 << 20);
  free(big);
  fprintf(stderr, "zeroed\n");
  sink = p;
  sink = 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 120 byte(s) leaked in 1 allocation(s).

int main(void) {
  leak_calloc();
  scrub_stack();
  return 0;
}
