// report_objects=1 lists every leaked object's address and size after its
// record ("Objects leaked above:"), matching the addresses the program saw;
// without the option no object list is printed.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=report_objects=1 not %run %t 2>&1 | FileCheck %s
// RUN: not %run %t 2>&1 | FileCheck %s --check-prefix=NOOBJ
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  void *p[3];
  for (int i = 0; i < 2; i++)
    p[i] = malloc(1337);
  p[2] = malloc(17);
  fprintf(stderr, "Test alloc: %p %p %p.\n", p[0], p[1], p[2]);
  for (int i = 0; i < 3; i++) {
    sink = p[i];
    p[i] = NULL;
  }
  sink = NULL;
}

int main(void) {
  leak();
  scrub_stack();
  return 0;
}
// CHECK: Test alloc: [[A:0x[0-9a-f]+]] [[B:0x[0-9a-f]+]] [[C:0x[0-9a-f]+]].
// CHECK: Direct leak of 2674 byte(s) in 2 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak {{.*}}report_objects.c:17
// CHECK: Objects leaked above:
// CHECK-DAG: [[A]] (1337 bytes)
// CHECK-DAG: [[B]] (1337 bytes)
// CHECK: Direct leak of 17 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak {{.*}}report_objects.c:18
// CHECK: Objects leaked above:
// CHECK-NEXT: [[C]] (17 bytes)
// CHECK: SUMMARY: leakcc: 2691 byte(s) leaked in 3 allocation(s).

// NOOBJ: Direct leak of 2674 byte(s) in 2 object(s)
// NOOBJ-NOT: Objects leaked above
// NOOBJ-NOT: (1337 bytes)
// NOOBJ: SUMMARY: leakcc: 2691 byte(s) leaked in 3 allocation(s).
