// clang given both -fpass-plugin= and -fplugin= with the same leakpass.so instruments once: one hook call, one constructor.
// RUN: %clang -fpass-plugin=%leakpass -fplugin=%leakpass -O2 -S -emit-llvm %s -o - | FileCheck %s
#include <stdlib.h>

void *keep;

// CHECK-LABEL: define {{.*}} @make(
// CHECK: call {{.*}}ptr @__leakcc_hook_malloc(i64 noundef %{{.*}}, ptr @__leakcc_site)
// CHECK-NOT: call {{.*}}@__leakcc_hook_malloc(
void make(size_t n) { keep = malloc(n); }

// CHECK: @__leakcc_module_ctor
// CHECK-NOT: define internal void @__leakcc_module_ctor.
// CHECK: !leakcc.instrumented = !{![[MD:[0-9]+]]}
// CHECK-NOT: !leakcc.instrumented
