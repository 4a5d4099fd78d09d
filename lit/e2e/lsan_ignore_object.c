// __lsan_ignore_object: an ignored block is never reported, nor are the blocks
// only it references; other leaks still are.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <sanitizer/lsan_interface.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  void **ignored = malloc(77);
  ignored[0] = malloc(12); /* reached only from the ignored block */
  __lsan_ignore_object(ignored);
  sink = ignored;
  // CHECK: Direct leak of 88 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in leak {{.*}}lsan_ignore_object.c:[[@LINE+1]]
  sink = malloc(88);
  sink = NULL;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 88 byte(s) leaked in 1 allocation(s).

int main(void) {
  leak();
  scrub_stack();
  return 0;
}
