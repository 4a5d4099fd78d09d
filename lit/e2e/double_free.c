// Freeing a block twice is reported as LSan/ASan do ("attempting double-free
// on ADDR") with the stack of the second free, and the program stops with a
// non-zero status instead of corrupting the heap (C++: double_delete.cpp).
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

void *volatile sink;

int main(void) {
  char *p = malloc(42);
  sink = p;
  fprintf(stderr, "Test alloc: %p.\n", p);
  free(p);
  // CHECK: Test alloc: [[ADDR:0x[0-9a-f]+]].
  // CHECK: ERROR: leakcc: attempting double-free on [[ADDR]]
  // CHECK: #{{[0-9]+}} 0x{{[0-9a-f]+}} in main {{.*}}double_free.c:[[@LINE+1]]
  free(sink);
  fprintf(stderr, "survived\n");
  return 0;
}
// CHECK-NOT: survived
