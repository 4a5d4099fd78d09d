// __lsan::ScopedDisabler from <sanitizer/lsan_interface.h>: allocations made
// while an instance lives (including nested ones) are not reported, later ones
// are.
// RUN: %leakcxx -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcxx -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <sanitizer/lsan_interface.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void drop(void *p) {
  sink = p;
  sink = nullptr;
}

int main() {
  {
    __lsan::ScopedDisabler outer;
    drop(new char[100]);
    {
      __lsan::ScopedDisabler inner;
      drop(new long);
    }
    drop(new int[3]);
  }
  // CHECK: Direct leak of 200 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in main {{.*}}lsan_scoped_disabler.cpp:[[@LINE+1]]
  drop(new char[200]);
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 200 byte(s) leaked in 1 allocation(s).
