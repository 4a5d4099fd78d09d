// At -O0 (clang -fpass-plugin=), a pointer stored into the heap gets a RAW shadow byte, a plain integer a NONE one, and the parameter spill slots get none.
// RUN: %clang -fpass-plugin=%leakpass -O0 -fno-discard-value-names -S -emit-llvm %s -o - | FileCheck %s
#include <stdint.h>

struct node {
  struct node *next;
  long value;
};

// CHECK-LABEL: define {{.*}} @link(
// CHECK: store ptr %n, ptr %n.addr
// CHECK-NEXT: store ptr %next, ptr %next.addr
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store ptr %{{.*}}, ptr %{{.*}}next{{.*}}, align 8
// CHECK: store i8 0, ptr %{{.*}}, align 1
// CHECK-NEXT: store i64 42, ptr %value, align 8
void link(struct node *n, struct node *next) {
  n->next = next;
  n->value = 42;
}

// A tagged pointer computed in a local and stored later is RAW.
// CHECK-LABEL: define {{.*}} @tag(
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store i64 %{{.*}}, ptr %{{.*}}, align 8
// CHECK: ret void
void tag(uintptr_t *slot, struct node *n) {
  uintptr_t t = (uintptr_t)n | 1;
  *slot = t;
}
