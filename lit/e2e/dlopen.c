// A library loaded with dlopen (uninstrumented, still loaded at exit): its
// leaks are reported with symbolized library frames and its globals are roots.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O0 -g -fno-omit-frame-pointer -shared -fPIC %S/Inputs/leaky_lib.c -o %t.dir/libleaky.so
// RUN: %leakcc -O0 %s -o %t -ldl
// RUN: not %run %t %t.dir/libleaky.so 2>&1 | FileCheck %s
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  void (*lib_leak)(size_t) = (void (*)(size_t))dlsym(lib, "lib_leak");
  void (*lib_keep)(size_t) = (void (*)(size_t))dlsym(lib, "lib_keep");
  if (!lib_leak || !lib_keep)
    return 1;
  lib_keep(456);
  // CHECK: Direct leak of 321 byte(s) in 1 object(s) allocated from:
  // CHECK: in lib_alloc {{.*}}leaky_lib.c:11
  // CHECK-NEXT: in lib_leak {{.*}}leaky_lib.c:17
  // CHECK-NEXT: in main {{.*}}dlopen.c:[[@LINE+1]]
  lib_leak(321);
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 321 byte(s) leaked in 1 allocation(s).
