// Deleting an object twice is reported like a double free ("attempting
// double-free on ADDR", with the stack of the second delete) and the program
// stops with a non-zero status.
// RUN: %leakcxx -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
#include <cstdio>

struct Node {
  long v[4];
};

Node *volatile sink;

int main() {
  Node *n = new Node;
  sink = n;
  std::fprintf(stderr, "Test alloc: %p.\n", static_cast<void *>(n));
  delete n;
  // CHECK: Test alloc: [[ADDR:0x[0-9a-f]+]].
  // CHECK: ERROR: leakcc: attempting double-free on [[ADDR]]
  // CHECK: #{{[0-9]+}} 0x{{[0-9a-f]+}} in main {{.*}}double_delete.cpp:[[@LINE+1]]
  delete sink;
  std::fprintf(stderr, "survived\n");
  return 0;
}
// CHECK-NOT: survived
