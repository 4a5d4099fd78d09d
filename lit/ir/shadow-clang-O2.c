// At -O2 the store instrumentation survives the optimizer (the pass runs last): a loop-vectorised pointer store, scalar pointer stores, a struct copy and memset.
// RUN: %clang -fpass-plugin=%leakpass -O2 -fno-discard-value-names -S -emit-llvm %s -o - | FileCheck %s
#include <string.h>

struct pair {
  void *a, *b;
};

// The vector body stores <2 x ptr> (two RAW bytes, i16 0x0101), the
// remainder loop single pointers.
// CHECK-LABEL: define {{.*}} @fill(
// CHECK: store i16 257, ptr %{{.*}}, align 1
// CHECK-NEXT: store <2 x ptr> %{{.*}}, ptr %{{.*}}, align 8
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %p, ptr %{{.*}}, align 8
void fill(void **v, int n, void *p) {
  for (int i = 0; i < n; i++)
    v[i] = p;
}

// CHECK-LABEL: define {{.*}} @set_pair(
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %a, ptr %s, align 8
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %b, ptr %{{.*}}, align 8
void set_pair(struct pair *s, void *a, void *b) {
  s->a = a;
  s->b = b;
}

// A struct copy copies both shadow bytes.
// CHECK-LABEL: define {{.*}} @copy_pair(
// CHECK: load i16, ptr %{{.*}}, align 1
// CHECK: store i16 %{{.*}}, ptr %{{.*}}, align 1
void copy_pair(struct pair *d, const struct pair *s) {
  *d = *s;
}

// CHECK-LABEL: define {{.*}} @clear(
// CHECK: call void @__leakcc_shadow_clear(ptr %p, i64 %n)
void clear(char *p, size_t n) {
  memset(p, 0, n);
}
