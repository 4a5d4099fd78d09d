// __lsan_do_recoverable_leak_check returns 0 without leaks and 1 with them,
// prints the report each time it finds them, never exits, and does not stop
// the exit-time check from running.
// RUN: %leakcc -O0 %s -o %t
// RUN: sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(size_t n) {
  sink = malloc(n);
  sink = NULL;
}

int main(void) {
  int clean = __lsan_do_recoverable_leak_check();
  fprintf(stderr, "clean=%d\n", clean);
  leak(70);
  scrub_stack();
  int first = __lsan_do_recoverable_leak_check();
  int second = __lsan_do_recoverable_leak_check();
  fprintf(stderr, "first=%d second=%d\n", first, second);
  return 0;
}
// CHECK: clean=0
// CHECK: Direct leak of 70 byte(s) in 1 object(s) allocated from:
// CHECK: SUMMARY: leakcc: 70 byte(s) leaked in 1 allocation(s).
// CHECK: Direct leak of 70 byte(s) in 1 object(s) allocated from:
// CHECK: SUMMARY: leakcc: 70 byte(s) leaked in 1 allocation(s).
// CHECK: first=1 second=1
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 70 byte(s) in 1 object(s) allocated from:
// CHECK: status=23
