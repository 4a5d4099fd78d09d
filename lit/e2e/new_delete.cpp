// leakc++: operator new / new[] leaks are reported at the new-expression with
// demangled names, new-expressions inside try blocks (invokes) are tracked,
// matching delete / delete[] release blocks, and std::vector storage reached
// only through a leaked object is an indirect leak.
// RUN: %leakcxx -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %leakcxx -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "Inputs/scrub.h"

struct Widget {
  long a[5]; // 40 bytes
  explicit Widget(int n) {
    if (n < 0)
      throw std::invalid_argument("negative");
    a[0] = n;
  }
};

struct Holder {
  std::vector<int> v; // 24 bytes
};

void *volatile sink;

namespace ns {
// CHECK: Direct leak of 400 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) int *make_array(int n) {
  // CHECK-NEXT: #0 {{.*}} in {{.*}}make_array{{.*}} {{.*}}new_delete.cpp:[[@LINE+1]]
  int *p = new int[n];
  p[0] = 1;
  sink = p;
  return p;
}
} // namespace ns

// CHECK: Direct leak of 40 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static Widget *make_widget(int n) {
  try {
    // CHECK-NEXT: #0 {{.*}} in {{.*}}make_widget{{.*}} {{.*}}new_delete.cpp:[[@LINE+1]]
    Widget *w = new Widget(n);
    sink = w;
    return w;
  } catch (const std::invalid_argument &) {
    return nullptr;
  }
}

// CHECK: Direct leak of 24 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in {{.*}}make_holder{{.*}} {{.*}}new_delete.cpp:[[@LINE+2]]
__attribute__((noinline)) static Holder *make_holder() {
  Holder *h = new Holder;
  h->v.resize(100); // 400 bytes of storage, reached only through h
  sink = h;
  return h;
}

// Matching deletes: none of these is reported.  (In its own frame, so that
// no dangling pointer to a freed block that a later leak reuses stays live.)
__attribute__((noinline)) static void balanced() {
  for (int i = 0; i < 10; i++) {
    delete make_widget(i);
    delete[] ns::make_array(i + 1);
    delete make_holder();
  }
  if (make_widget(-1) != nullptr) // the constructor throws; new's memory is freed
    std::abort();
  std::vector<Widget *> kept;
  kept.push_back(make_widget(1));
  delete kept.back();
}

__attribute__((noinline)) static void leak() {
  ns::make_array(100);
  make_widget(2);
  make_holder();
  sink = nullptr;
}

int main() {
  balanced();
  scrub_stack();
  leak();
  scrub_stack();
  return 0;
}
// CHECK: Indirect leak of 400 byte(s) in 1 object(s) allocated from:
// O0: #{{[0-9]+}} {{.*}} in {{.*}}make_holder{{.*}} {{.*}}new_delete.cpp:[[@LINE-35]]
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 864 byte(s) leaked in 4 allocation(s).
