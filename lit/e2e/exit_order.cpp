// The exit-time check runs after the program's static destructors and atexit
// handlers: a block a destructor drops is reported, a block a destructor
// frees is not, and a function-local static's destructor runs first too.
// RUN: %leakcxx -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcxx -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <cstdio>
#include <cstdlib>

#include "Inputs/scrub.h"

struct Dropper { // forgets its block without freeing it
  char *volatile p = new char[41];
  ~Dropper() {
    std::fprintf(stderr, "dropper destroyed\n");
    p = nullptr;
  }
} dropper;

struct Freer { // frees its block
  char *p = new char[999];
  ~Freer() { delete[] p; }
} freer;

static Freer &local_static() {
  static Freer f;
  return f;
}

int main() {
  local_static();
  scrub_stack();
  return 0;
}
// CHECK: dropper destroyed
// CHECK: Direct leak of 41 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}}exit_order.cpp:12
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 41 byte(s) leaked in 1 allocation(s).
