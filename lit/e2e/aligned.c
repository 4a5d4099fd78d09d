// posix_memalign, aligned_alloc, memalign and valloc return blocks with the
// requested alignment, and leaked ones are reported with their requested size
// at their own site.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

static void aligned_to(void *p, size_t align) {
  if (!p || (uintptr_t)p % align) {
    fprintf(stderr, "%p is not %zu-aligned\n", p, align);
    abort();
  }
  sink = p;
  sink = 0;
}

// CHECK: all aligned
__attribute__((noinline)) static void allocate(void) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  /* Freed ones first: they must not be reported. */
  void *f;
  if (posix_memalign(&f, 4096, 10))
    abort();
  aligned_to(f, 4096);
  free(f);
  f = aligned_alloc(1024, 2048);
  aligned_to(f, 1024);
  free(f);

  // CHECK: Direct leak of 5000 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate {{.*}}aligned.c:[[@LINE+1]]
  void *v = valloc(5000);
  aligned_to(v, page);
  // CHECK: Direct leak of 256 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate {{.*}}aligned.c:[[@LINE+1]]
  void *a = aligned_alloc(128, 256);
  aligned_to(a, 128);
  void *p = NULL;
  // CHECK: Direct leak of 100 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate {{.*}}aligned.c:[[@LINE+1]]
  int err = posix_memalign(&p, 64, 100);
  if (err)
    abort();
  aligned_to(p, 64);
  // CHECK: Direct leak of 33 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate {{.*}}aligned.c:[[@LINE+1]]
  void *m = memalign(256, 33);
  aligned_to(m, 256);
  fprintf(stderr, "all aligned\n");
}

int main(void) {
  allocate();
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 5389 byte(s) leaked in 4 allocation(s).
