// Code in an uninstrumented shared library allocates through the leakcc
// runtime too: its leaks are reported with symbolized frames (library function
// and file, then the instrumented caller), blocks it allocates are scanned for
// indirect leaks, and its globals are roots.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O0 -g -fno-omit-frame-pointer -shared -fPIC %S/Inputs/leaky_lib.c -o %t.dir/libleaky.so
// RUN: %leakcc -O0 %s -o %t -L%t.dir -lleaky -Wl,-rpath,%t.dir
// RUN: not %run %t 2>&1 | FileCheck %s
#include <stdlib.h>

#include "Inputs/scrub.h"

void *lib_alloc(size_t n);
void lib_leak(size_t n);
void lib_leak_pair(size_t n);
void lib_keep(size_t n);

int main(void) {
  free(lib_alloc(10)); /* freed by instrumented code: fine */
  lib_keep(456);
  // CHECK: Direct leak of 123 byte(s) in 1 object(s) allocated from:
  // CHECK: #{{[0-9]+}} 0x{{[0-9a-f]+}} in lib_alloc {{.*}}leaky_lib.c:11
  // CHECK-NEXT: #{{[0-9]+}} 0x{{[0-9a-f]+}} in lib_leak {{.*}}leaky_lib.c:17
  // CHECK-NEXT: #{{[0-9]+}} 0x{{[0-9a-f]+}} in main {{.*}}uninstrumented_so.c:[[@LINE+1]]
  lib_leak(123);
  // CHECK: Direct leak of 16 byte(s) in 1 object(s) allocated from:
  // CHECK: in lib_leak_pair {{.*}}leaky_lib.c:23
  // CHECK-NEXT: in main {{.*}}uninstrumented_so.c:[[@LINE+3]]
  // CHECK: Indirect leak of 77 byte(s) in 1 object(s) allocated from:
  // CHECK: in lib_leak_pair {{.*}}leaky_lib.c:24
  lib_leak_pair(77);
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 216 byte(s) leaked in 3 allocation(s).
