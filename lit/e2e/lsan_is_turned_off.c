// __lsan_is_turned_off() returning non-zero skips the exit-time check; it is
// asked at exit, so the program may decide at run time.
// RUN: %leakcc -O0 %s -o %t
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: env TURN_OFF=1 %run %t 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
#include <stdlib.h>

#include "Inputs/scrub.h"

int __lsan_is_turned_off(void) { return getenv("TURN_OFF") != NULL; }

void *volatile sink;

int main(void) {
  sink = malloc(64);
  sink = NULL;
  scrub_stack();
  return 0;
}
// CHECK: Direct leak of 64 byte(s) in 1 object(s)
// OFF-NOT: leakcc
