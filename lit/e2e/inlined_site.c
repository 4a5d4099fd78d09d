// At -O2 an allocating helper inlined into its caller still yields a stack
// that names the caller: the helper (frame #0, from the pass's site), then the
// function the inlined code lives in, as LSan's symbolizer shows inlined
// frames ("#0 in make_buf ... #1 in main").
// RUN: %leakcc -O2 %s -o %t && not %run %t 2>&1 | FileCheck %s
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

static inline __attribute__((always_inline)) char *make_buf(size_t n) {
  // CHECK: Direct leak of 19 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 0x{{[0-9a-f]+}} in make_buf {{.*}}inlined_site.c:[[@LINE+1]]
  char *p = malloc(n);
  memset(p, 'x', n);
  return p;
}

__attribute__((noinline)) static void leak(void) {
  // CHECK-NEXT: #1 0x{{[0-9a-f]+}} in leak {{.*}}inlined_site.c:[[@LINE+1]]
  sink = make_buf(19);
  sink = NULL;
}

int main(void) {
  // CHECK-NEXT: #2 0x{{[0-9a-f]+}} in main {{.*}}inlined_site.c:[[@LINE+1]]
  leak();
  scrub_stack();
  return 0;
}
