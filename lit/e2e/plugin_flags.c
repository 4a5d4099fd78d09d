// Without the driver: clang -fpass-plugin=leakpass.so and -fplugin=leakpass.so
// (at -O0 and -O2, and both together) instrument the program, linked with the
// static runtime (whole archive) or with libleakrt.so; every build reports the
// same leak at the pass's site. With both flags the module is instrumented once.
// RUN: %clang -O0 -g -fno-omit-frame-pointer -fpass-plugin=%leakpass %s -o %t.pass -Wl,--whole-archive %leakrt_dir/libleakrt.a -Wl,--no-whole-archive -lpthread -ldl
// RUN: not %run %t.pass 2>&1 | FileCheck %s
// RUN: %clang -O2 -g -fno-omit-frame-pointer -fplugin=%leakpass %s -o %t.plugin -Wl,--whole-archive %leakrt_dir/libleakrt.a -Wl,--no-whole-archive -lpthread -ldl
// RUN: not %run %t.plugin 2>&1 | FileCheck %s
// RUN: %clang -O2 -g -fno-omit-frame-pointer -fpass-plugin=%leakpass -fplugin=%leakpass %s -o %t.both -Wl,--whole-archive %leakrt_dir/libleakrt.a -Wl,--no-whole-archive -lpthread -ldl
// RUN: not %run %t.both 2>&1 | FileCheck %s
// RUN: %clang -O1 -gline-tables-only -fno-omit-frame-pointer -fpass-plugin=%leakpass %s -o %t.shared -L%leakrt_dir -lleakrt -Wl,-rpath,%leakrt_dir
// RUN: not %run %t.shared 2>&1 | FileCheck %s
// RUN: %clang -O2 -fpass-plugin=%leakpass -fplugin=%leakpass -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang -O0 -fplugin=%leakpass -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

// CHECK: Direct leak of 48 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static void leak(size_t n) {
  // CHECK-NEXT: #0 0x{{[0-9a-f]+}} in leak {{.*}}plugin_flags.c:[[@LINE+1]]
  char *p = malloc(n);
  memset(p, 'x', n);
  sink = p;
  sink = NULL;
}

int main(void) {
  // CHECK-NEXT: #1 0x{{[0-9a-f]+}} in main {{.*}}plugin_flags.c:[[@LINE+1]]
  leak(48);
  scrub_stack();
  return 0;
}
// CHECK: SUMMARY: leakcc: 48 byte(s) leaked in 1 allocation(s).

// IR-COUNT-1: call {{.*}}@__leakcc_hook_malloc(
// IR-NOT: call {{.*}}@__leakcc_hook_malloc(
// IR-NOT: call {{.*}}@malloc(
