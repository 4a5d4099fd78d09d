// __lsan_do_leak_check runs the check once: with leaks it reports and exits
// with the leak status at once; without leaks it returns, and neither a second
// call nor the exit-time check runs again (later leaks go unreported).
// RUN: %leakcc -O0 %s -o %t
// RUN: sh -c '%run %t leak; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t clean; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=ONCE
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(size_t n) {
  sink = malloc(n);
  sink = NULL;
}

int main(int argc, char **argv) {
  if (!strcmp(argv[1], "leak"))
    leak(50);
  scrub_stack();
  __lsan_do_leak_check();
  fprintf(stderr, "after first check\n");
  leak(60);
  __lsan_do_leak_check();
  fprintf(stderr, "after second check\n");
  return 0;
}
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 50 byte(s) in 1 object(s) allocated from:
// CHECK: SUMMARY: leakcc: 50 byte(s) leaked in 1 allocation(s).
// CHECK-NOT: after first check
// CHECK: status=23

// ONCE-NOT: leakcc
// ONCE: after first check
// ONCE-NEXT: after second check
// ONCE-NOT: leakcc
// ONCE: status=0
