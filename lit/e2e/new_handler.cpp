// A failing operator new calls the installed std::new_handler in a loop, as
// the C++ standard requires, for every form (plain, array, aligned, nothrow):
// until the handler uninstalls itself (then std::bad_alloc, or nullptr for
// the nothrow forms) or throws (its exception propagates from the throwing
// forms; the nothrow forms return nullptr).  "recover": under ulimit -v a
// handler that frees a reserve makes the retried allocation succeed.  The
// plain build is the reference; bad_alloc.cpp covers the case without a
// handler.
// RUN: %leakcxx -O0 %s -o %t && %clangxx -O0 %s -o %t.plain
// RUN: %run %t > %t.out 2>&1 && %t.plain > %t.plain.out 2>&1 && diff %t.plain.out %t.out
// RUN: FileCheck %s < %t.out
// RUN: %leakcxx -O2 %s -o %t.O2 && %run %t.O2 2>&1 | FileCheck %s
// RUN: sh -c 'ulimit -v 524288 && %run %t recover' 2>&1 | FileCheck %s --check-prefix=RECOVER
// RUN: sh -c 'ulimit -v 524288 && %t.plain recover' 2>&1 | FileCheck %s --check-prefix=RECOVER
#include <cstdio>
#include <new>

volatile size_t huge = size_t(1) << 50;
void *volatile sink;

static int calls;
static void give_up_after_3() {
  if (++calls == 3)
    std::set_new_handler(nullptr);
}
struct my_bad_alloc : std::bad_alloc {};
static void thrower() {
  ++calls;
  throw my_bad_alloc();
}

static char *reserve;
static void release_reserve() {
  ++calls;
  if (!reserve) {
    std::set_new_handler(nullptr);
    return;
  }
  delete[] reserve;
  reserve = nullptr;
}

static int recover() {
  const size_t n = size_t(300) << 20; /* two do not fit in 512 MiB */
  reserve = new char[n];
  reserve[n - 1] = 1;
  std::set_new_handler(release_reserve);
  char *p = new char[n];
  p[n - 1] = 2;
  std::printf("second block after %d handler call(s), reserve %s\n", calls,
              reserve ? "kept" : "released");
  char *q = new (std::nothrow) char[n];
  std::printf("third (nothrow): %s after %d call(s)\n", q ? "memory" : "null",
              calls);
  delete[] p;
  return 0;
}

static void reset(std::new_handler h) {
  calls = 0;
  std::set_new_handler(h);
}

int main(int argc, char **argv) {
  if (argc > 1)
    return recover();
  reset(give_up_after_3);
  try {
    sink = ::operator new(huge);
  } catch (const std::bad_alloc &) {
    std::printf("new: bad_alloc after %d calls\n", calls);
  }
  reset(give_up_after_3);
  try {
    sink = new char[huge];
  } catch (const std::bad_alloc &) {
    std::printf("new[]: bad_alloc after %d calls\n", calls);
  }
  reset(give_up_after_3);
  sink = ::operator new(huge, std::nothrow);
  std::printf("nothrow new: %p after %d calls\n", sink, calls);
  reset(give_up_after_3);
  sink = ::operator new[](huge, std::align_val_t(64), std::nothrow);
  std::printf("aligned nothrow new[]: %p after %d calls\n", sink, calls);

  reset(thrower);
  try {
    sink = new char[huge];
  } catch (const my_bad_alloc &) {
    std::printf("new[]: the handler's exception after %d calls\n", calls);
  }
  reset(thrower);
  try {
    sink = ::operator new(huge, std::align_val_t(256));
  } catch (const my_bad_alloc &) {
    std::printf("aligned new: the handler's exception after %d calls\n",
                calls);
  }
  reset(thrower);
  sink = new (std::nothrow) char[huge];
  std::printf("nothrow new[], throwing handler: %p after %d calls\n", sink,
              calls);
  reset(thrower);
  sink = ::operator new(huge, std::align_val_t(128), std::nothrow);
  std::printf("aligned nothrow new, throwing handler: %p after %d calls\n",
              sink, calls);
  return 0;
}
// CHECK: new: bad_alloc after 3 calls
// CHECK-NEXT: new[]: bad_alloc after 3 calls
// CHECK-NEXT: nothrow new: (nil) after 3 calls
// CHECK-NEXT: aligned nothrow new[]: (nil) after 3 calls
// CHECK-NEXT: new[]: the handler's exception after 1 calls
// CHECK-NEXT: aligned new: the handler's exception after 1 calls
// CHECK-NEXT: nothrow new[], throwing handler: (nil) after 1 calls
// CHECK-NEXT: aligned nothrow new, throwing handler: (nil) after 1 calls
// CHECK-NOT: leakcc

// RECOVER: second block after 1 handler call(s), reserve released
// RECOVER-NEXT: third (nothrow): null after 2 call(s)
// RECOVER-NOT: leakcc
