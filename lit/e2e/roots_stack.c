// A block whose only reference is a live local of a frame that is still on
// the stack (exit() called from main) is reachable; with use_stacks=0 and
// use_registers=0 it is a leak, listed by report_objects with the address the
// program printed.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=report_objects=1 %run %t 2>&1 | FileCheck %s --check-prefix=LIVE
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0:report_objects=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=report_objects=1 %run %t.O2 2>&1 | FileCheck %s --check-prefix=LIVE
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0:report_objects=1 not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  void *volatile stack_var = malloc(1337);
  fprintf(stderr, "Test alloc: %p.\n", stack_var);
  /* Do not return from main: the pointer stays on the stack. */
  exit(0);
}
// LIVE: Test alloc: 0x
// LIVE-NOT: leakcc

// CHECK: Test alloc: [[ADDR:0x[0-9a-f]+]].
// CHECK: Direct leak of 1337 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in main {{.*}}roots_stack.c:15
// CHECK: Objects leaked above:
// CHECK-NEXT: [[ADDR]] (1337 bytes)
// CHECK: SUMMARY: leakcc: 1337 byte(s) leaked in 1 allocation(s).
