// The symbolizer does not inherit the program's LD_PRELOAD/LD_LIBRARY_PATH:
// with an instrumented library preloaded (as libtool's wrappers do through
// LD_LIBRARY_PATH), llvm-symbolizer would load it, fail on the missing
// __leakcc_hook_* symbols, and leave the caller frames unsymbolized.
// RUN: %leakcc -shared -fPIC %S/Inputs/instrumented_lib.c -o %t.so
// RUN: %leakcc -O0 %s -o %t
// RUN: env LD_PRELOAD=%t.so not %run %t 2>&1 | FileCheck %s
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  sink = malloc(21);
  sink = NULL;
}

int main(void) {
  leak();
  scrub_stack();
  return 0;
}
// CHECK: Direct leak of 21 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak
// CHECK-NEXT: #1 {{.*}} in main {{.*}}symbolizer_env.c:{{[0-9]+}}:3
// CHECK-NOT: LLVMSymbolizer: error
