// The side-table hooks are called with LLVM's preserve_most convention
// (abi.h, version 5): the caller keeps values in r10 and the other
// caller-saved registers across them.  glibc's lazy-binding resolver keeps
// only the argument registers, so the calls must never go through a lazily
// bound PLT entry: from an instrumented -fPIC library, from an executable
// linked with the shared runtime (-lleakrt), with lazy binding (the
// default) and with LD_BIND_NOW.  The encoded pointers keep their block;
// the real leak is reported.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %leakcc -O1 -shared -fPIC %S/Inputs/xor_lib.c -o %t.dir/libxor.so
// RUN: %leakcc -O1 %s -o %t -L%t.dir -lxor -Wl,-rpath,%t.dir
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: env LD_BIND_NOW=1 not %run %t 2>&1 | FileCheck %s
// RUN: %clang -O1 -g -fno-omit-frame-pointer -fpass-plugin=%leakpass %s -o %t.shared -L%t.dir -lxor -Wl,-rpath,%t.dir -L%leakrt_dir -lleakrt -Wl,-rpath,%leakrt_dir
// RUN: not %run %t.shared 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

uintptr_t *lib_encode(void *p, size_t n);
uintptr_t key = 0x1234;
uintptr_t *volatile here, *volatile there;
void *volatile sink;

__attribute__((noinline)) static void encode_here(void *p, size_t n) {
  here = malloc(n * sizeof *here);
  for (size_t i = 0; i < n; i++)
    here[i] = (uintptr_t)p ^ (key + i);
}

int main(void) {
  void *a = malloc(33), *b = malloc(34);
  encode_here(a, 100);
  there = lib_encode(b, 100);
  a = b = NULL;
  sink = malloc(77);
  sink = NULL;
  scrub_stack();
  printf("decoded %d\n", (void *)(here[7] ^ (key + 7)) != NULL &&
                             (void *)(there[9] ^ (0x5a5a + 9)) != NULL);
  return 0;
}
// CHECK: decoded 1
// CHECK-NOT: leak of 33
// CHECK-NOT: leak of 34
// CHECK: Direct leak of 77 byte(s) in 1 object(s)
// CHECK-NOT: leak of 33
// CHECK-NOT: leak of 34
// CHECK: SUMMARY: leakcc: 77 byte(s) leaked in 1 allocation(s).
