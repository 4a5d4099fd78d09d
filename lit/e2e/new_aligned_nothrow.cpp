// nothrow new, aligned new (over-aligned types and explicit align_val_t) and
// their nothrow variants return correctly aligned memory, their deletes
// (sized, aligned, nothrow) release it, and leaked ones are reported with
// their sizes at their sites.
// RUN: %leakcxx -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcxx -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "Inputs/scrub.h"

struct alignas(64) Big {
  char c[192];
};
struct Small {
  long a[5]; // 40 bytes
};

void *volatile sink;

static void check(void *p, size_t align) {
  if (!p || reinterpret_cast<uintptr_t>(p) % align) {
    std::fprintf(stderr, "%p is not %zu-aligned\n", p, align);
    std::abort();
  }
  sink = p;
  sink = nullptr;
}

// CHECK: aligned ok
__attribute__((noinline)) static void allocate() {
  // Allocated and released through every matching delete: not reported.
  for (int i = 0; i < 4; i++) {
    Big *b = new Big;
    check(b, 64);
    delete b;
    Big *ba = new Big[3];
    check(ba, 64);
    delete[] ba;
    Small *s = new (std::nothrow) Small;
    check(s, 8);
    delete s;
    void *raw = ::operator new(100, std::align_val_t(256), std::nothrow);
    check(raw, 256);
    ::operator delete(raw, std::align_val_t(256), std::nothrow);
    void *sized = ::operator new(48);
    ::operator delete(sized, 48);
  }

  // CHECK: Direct leak of 384 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate{{.*}} {{.*}}new_aligned_nothrow.cpp:[[@LINE+1]]
  Big *b2 = new Big[2];
  check(b2, 64);
  // CHECK: Direct leak of 192 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate{{.*}} {{.*}}new_aligned_nothrow.cpp:[[@LINE+1]]
  Big *b = new Big;
  check(b, 64);
  // CHECK: Direct leak of 100 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate{{.*}} {{.*}}new_aligned_nothrow.cpp:[[@LINE+1]]
  void *raw = ::operator new[](100, std::align_val_t(128), std::nothrow);
  check(raw, 128);
  // CHECK: Direct leak of 40 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in allocate{{.*}} {{.*}}new_aligned_nothrow.cpp:[[@LINE+1]]
  Small *s = new (std::nothrow) Small;
  check(s, 8);
  std::fprintf(stderr, "aligned ok\n");
}

int main() {
  allocate();
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 716 byte(s) leaked in 4 allocation(s).
