// At -O2 the store instrumentation survives the optimizer (the pass runs last): a loop-vectorised pointer store, scalar pointer stores, a NaN-boxed pointer from an inlined helper, a struct copy and memset.
// RUN: %clang -fpass-plugin=%leakpass -O2 -fno-discard-value-names -S -emit-llvm %s -o - | FileCheck %s
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pair {
  void *a, *b;
};

// The vector body stores <2 x ptr> (two RAW bytes, i16 0x0101), the
// remainder loop single pointers.
// CHECK-LABEL: define {{.*}} @fill(
// CHECK: %[[P:.*]] = {{.*}}call {{.*}}ptr @__leakcc_hook_malloc(
// CHECK: store i16 257, ptr %{{.*}}, align 1
// CHECK-NEXT: store <2 x ptr> %{{.*}}, ptr %{{.*}}, align 8
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %[[P]], ptr %{{.*}}, align 8
void fill(void **v, int n) {
  void *p = malloc(16);
  for (int i = 0; i < n; i++)
    v[i] = p;
}

// CHECK-LABEL: define {{.*}} @set_pair(
// CHECK: %[[A:.*]] = {{.*}}call {{.*}}ptr @__leakcc_hook_malloc(
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %[[A]], ptr %s, align 8
// CHECK: %[[B:.*]] = {{.*}}call {{.*}}ptr @__leakcc_hook_malloc(
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %[[B]], ptr %{{.*}}, align 8
void set_pair(struct pair *s) {
  s->a = malloc(8);
  s->b = malloc(8);
}

static double box(void *p) {
  uint64_t u = (uint64_t)p | 0xfff8000000000000ull;
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

// CHECK-LABEL: define {{.*}} @store_boxed(
// CHECK: or i64 %{{.*}}, -2251799813685248
// CHECK: store i8 2, ptr %{{.*}}, align 1
// CHECK-NEXT: store {{double|i64}} %{{.*}}, ptr %d, align 8
void store_boxed(double *d) {
  *d = box(malloc(16));
}

// A struct copy copies both shadow bytes.
// CHECK-LABEL: define {{.*}} @copy_pair(
// CHECK: [[SH:%.*]] = load i16, ptr %{{.*}}, align 1
// CHECK: store i16 [[SH]], ptr %{{.*}}, align 1
// CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(
void copy_pair(struct pair *d, const struct pair *s) {
  *d = *s;
}

// CHECK-LABEL: define {{.*}} @clear(
// CHECK: call void @__leakcc_shadow_clear(ptr %p, i64 %n)
// CHECK-NEXT: call void @llvm.memset.p0.i64(
void clear(char *p, size_t n) {
  memset(p, 0, n);
}
