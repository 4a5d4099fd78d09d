// A dropped malloc block is a direct leak: frame #0 is the pass's site
// (function file:line:col), #1 the symbolized caller, exit status 23; the same
// program that frees the block reports nothing and exits 0.
// RUN: %leakcc -O0 %s -o %t
// RUN: not %run %t 2>&1 | FileCheck %s --check-prefixes=CHECK,COL
// RUN: sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=STATUS
// RUN: %run %t free 2>&1 | FileCheck %s --check-prefix=NOLEAK --allow-empty
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s
// RUN: %run %t.O2 free 2>&1 | FileCheck %s --check-prefix=NOLEAK --allow-empty
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink; /* keeps the allocation alive through -O2 */

// CHECK: =={{[0-9]+}}==ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 40 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static void *make_node(size_t n) {
  // CHECK-NEXT: #0 0x{{[0-9a-f]+}} in make_node {{.*}}direct.c:[[@LINE+2]]
  // COL-SAME: :13
  void *p = malloc(n);
  memset(p, 0, n);
  sink = p;
  return p;
}

__attribute__((noinline)) static void run(int do_free) {
  // CHECK-NEXT: #1 0x{{[0-9a-f]+}} in run {{.*}}direct.c:[[@LINE+1]]
  void *p = make_node(40);
  sink = 0;
  if (do_free)
    free(p);
}

int main(int argc, char **argv) {
  // CHECK-NEXT: #2 0x{{[0-9a-f]+}} in main {{.*}}direct.c:[[@LINE+1]]
  run(argc > 1);
  scrub_stack();
  return 0;
}
// CHECK-NOT: Indirect leak
// CHECK: SUMMARY: leakcc: 40 byte(s) leaked in 1 allocation(s).
// STATUS: status=23
// NOLEAK-NOT: leakcc
