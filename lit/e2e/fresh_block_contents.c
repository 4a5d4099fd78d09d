// What a fresh, never-written block happens to contain must not keep other
// blocks alive: a leak is reported even when a reachable block was allocated
// just before it from the same size class (an allocator that leaves its
// free-list link in the block would hide the leak; LSan reports it).
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile kept[8]; /* reachable blocks, contents never written */
void *volatile sink;

__attribute__((noinline)) static void leak(size_t n) {
  sink = malloc(n);
  sink = NULL;
}

int main(void) {
  kept[0] = malloc(64);
  // CHECK-DAG: Direct leak of 64 byte(s) in 1 object(s)
  leak(64);
  kept[1] = malloc(4000);
  // CHECK-DAG: Direct leak of 4000 byte(s) in 1 object(s)
  leak(4000);
  kept[2] = calloc(1, 24); /* also after a free: recycled blocks */
  free(malloc(24));
  kept[3] = malloc(24);
  // CHECK-DAG: Direct leak of 24 byte(s) in 1 object(s)
  leak(24);
  scrub_stack();
  return 0;
}
// CHECK: SUMMARY: leakcc: 4088 byte(s) leaked in 3 allocation(s).
