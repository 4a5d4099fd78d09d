// A leaked malloc(0) block is reported, as one byte, the way LSan reports it
// (the allocator gives zero-sized requests one byte), and a pointer to it
// keeps it alive like any other block.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile kept;
void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  // CHECK: Direct leak of 1 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in leak {{.*}}malloc_zero.c:[[@LINE+1]]
  sink = malloc(0);
  sink = NULL;
}

int main(void) {
  kept = malloc(0);
  leak();
  scrub_stack();
  return 0;
}
// CHECK: SUMMARY: leakcc: 1 byte(s) leaked in 1 allocation(s).
