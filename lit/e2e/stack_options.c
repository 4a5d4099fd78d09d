// Stack options: frames are symbolized (function file:line) by default, up to
// malloc_context_size frames; malloc_context_size=1 keeps only the allocation
// site; symbolize=0 prints caller frames as (module+offset) while frame #0
// still comes from the pass's site descriptor.
// RUN: %leakcc -O0 %s -o %t
// RUN: not %run %t 2>&1 | FileCheck %s --check-prefix=FULL
// RUN: %env_leakcc_opts=malloc_context_size=1 not %run %t 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: %env_leakcc_opts=malloc_context_size=2 not %run %t 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: %env_leakcc_opts=symbolize=0 not %run %t 2>&1 | FileCheck %s --check-prefix=RAW
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void level3(void) {
  sink = malloc(17);
  sink = NULL;
}
__attribute__((noinline)) static void level2(void) {
  level3();
  sink = NULL;
}
__attribute__((noinline)) static void level1(void) {
  level2();
  sink = NULL;
}

int main(void) {
  level1();
  scrub_stack();
  return 0;
}
// FULL: Direct leak of 17 byte(s) in 1 object(s) allocated from:
// FULL-NEXT: #0 0x{{[0-9a-f]+}} in level3 {{.*}}stack_options.c:17
// FULL-NEXT: #1 0x{{[0-9a-f]+}} in level2 {{.*}}stack_options.c:21
// FULL-NEXT: #2 0x{{[0-9a-f]+}} in level1 {{.*}}stack_options.c:25
// FULL-NEXT: #3 0x{{[0-9a-f]+}} in main {{.*}}stack_options.c:30

// ONE: Direct leak of 17 byte(s) in 1 object(s) allocated from:
// ONE-NEXT: #0 0x{{[0-9a-f]+}} in level3 {{.*}}stack_options.c:17
// ONE-NOT: #1
// ONE: SUMMARY: leakcc: 17 byte(s) leaked in 1 allocation(s).

// TWO: Direct leak of 17 byte(s) in 1 object(s) allocated from:
// TWO-NEXT: #0 0x{{[0-9a-f]+}} in level3 {{.*}}stack_options.c:17
// TWO-NEXT: #1 0x{{[0-9a-f]+}} in level2 {{.*}}stack_options.c:21
// TWO-NOT: #2
// TWO: SUMMARY

// RAW: Direct leak of 17 byte(s) in 1 object(s) allocated from:
// RAW-NEXT: #0 0x{{[0-9a-f]+}} in level3 {{.*}}stack_options.c:17
// RAW-NEXT: #1 0x{{[0-9a-f]+}} {{.*}}({{.*}}stack_options.c.tmp+0x{{[0-9a-f]+}})
// RAW-NOT: stack_options.c:
// RAW: SUMMARY
