// __lsan_default_options() sets options compiled into the program;
// LEAKCC_OPTIONS given at run time overrides them.
// RUN: %leakcc -O0 %s -o %t
// RUN: sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=CHECK,S42
// RUN: %env_leakcc_opts=exitcode=44 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=CHECK,S44
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

const char *__lsan_default_options(void) {
  return "exitcode=42:report_objects=1";
}

void *volatile sink;

int main(void) {
  sink = malloc(99);
  fprintf(stderr, "Test alloc: %p.\n", sink);
  sink = NULL;
  scrub_stack();
  return 0;
}
// CHECK: Test alloc: [[ADDR:0x[0-9a-f]+]].
// CHECK: Direct leak of 99 byte(s) in 1 object(s)
// CHECK: Objects leaked above:
// CHECK-NEXT: [[ADDR]] (99 bytes)
// S42: status=42
// S44: status=44
