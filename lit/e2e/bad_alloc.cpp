// A C++ new of an impossible size throws std::bad_alloc (caught by the
// program) and the nothrow form returns nullptr, also for arrays and aligned
// new; nothing is reported.
// RUN: %leakcxx -O0 %s -o %t && %run %t 2>&1 | FileCheck %s
// RUN: %leakcxx -O2 %s -o %t.O2 && %run %t.O2 2>&1 | FileCheck %s
#include <cstdio>
#include <new>

volatile size_t huge = size_t(1) << 50;
void *volatile sink;

struct alignas(128) Aligned {
  char c[128];
};

int main() {
  int caught = 0;
  try {
    sink = new char[huge];
  } catch (const std::bad_alloc &) {
    caught++;
  }
  try {
    sink = ::operator new(huge);
  } catch (const std::bad_alloc &) {
    caught++;
  }
  try {
    sink = new Aligned[huge / 128];
  } catch (const std::bad_alloc &) {
    caught++;
  }
  char *n1 = new (std::nothrow) char[huge];
  void *n2 = ::operator new(huge, std::align_val_t(64), std::nothrow);
  std::fprintf(stderr, "caught=%d nothrow=%p,%p\n", caught, (void *)n1, n2);
  return 0;
}
// CHECK: caught=3 nothrow=(nil),(nil)
// CHECK-NOT: leakcc
