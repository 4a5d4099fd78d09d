// Blocks reachable only through a leaked block are indirect leaks; direct
// records come first, then indirect ones, each group largest first, and the
// summary counts all of them.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct holder {
  char *big;
  char *small;
  long pad;
}; /* 24 bytes */

void *volatile sink;

__attribute__((noinline)) static void build(void) {
  struct holder *h = malloc(sizeof *h);
  // CHECK: Direct leak of 24 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in build {{.*}}indirect.c:[[@LINE-2]]
  h->big = malloc(100);
  h->small = malloc(50);
  memset(h->big, 1, 100);
  memset(h->small, 2, 50);
  sink = h;
  sink = 0;
}
// CHECK: Indirect leak of 100 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in build {{.*}}indirect.c:[[@LINE-8]]
// CHECK: Indirect leak of 50 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in build {{.*}}indirect.c:[[@LINE-9]]
// CHECK-NOT: Direct leak
// CHECK: SUMMARY: leakcc: 174 byte(s) leaked in 3 allocation(s).

int main(void) {
  build();
  scrub_stack();
  return 0;
}
