// At -O0 (clang -fpass-plugin=), a pointer stored into memory gets a RAW shadow byte, a loaded pointer copies its source's shadow, plain data DATA and a high-tagged pointer MASK; locals given only such values get no shadow, while an integer parameter's spill slot keeps it (its provenance arrives through the channel).
// RUN: %clang -fpass-plugin=%leakpass -O0 -fno-discard-value-names -S -emit-llvm %s -o - | FileCheck %s
#include <stdint.h>
#include <stdlib.h>

struct node {
  struct node *next;
  long value;
};

struct node *head;
uintptr_t tagged;

// CHECK-LABEL: define {{.*}} @push(
// CHECK: %n = alloca ptr, align 8
// CHECK: %call = call {{.*}}ptr @__leakcc_hook_malloc(
// CHECK-NEXT: store ptr %call, ptr %n, align 8
// CHECK-NEXT: [[H:%.*]] = load ptr, ptr @head, align 8
// CHECK-NEXT: [[HS:%.*]] = lshr i64 ptrtoint (ptr @head to i64), 3
// CHECK-NEXT: [[HO:%.*]] = add i64 [[HS]], 2147450880
// CHECK-NEXT: [[HP:%.*]] = inttoptr i64 [[HO]] to ptr
// CHECK-NEXT: [[SH:%.*]] = load i8, ptr [[HP]], align 1
// CHECK: [[NEXT:%.*]] = getelementptr inbounds {{(nuw )?}}%struct.node, ptr %{{.*}}, i32 0, i32 0
// CHECK: store i8 [[SH]], ptr %{{.*}}, align 1
// CHECK: store ptr [[H]], ptr [[NEXT]], align 8
// CHECK: [[VALUE:%.*]] = getelementptr inbounds {{(nuw )?}}%struct.node, ptr %{{.*}}, i32 0, i32 1
// CHECK: store i8 8, ptr %{{.*}}, align 1
// CHECK-NEXT: store i64 42, ptr [[VALUE]], align 8
// CHECK: [[N:%.*]] = load ptr, ptr %n, align 8
// CHECK-NEXT: [[A:%.*]] = lshr i64 ptrtoint (ptr @head to i64), 3
// CHECK-NEXT: [[O:%.*]] = add i64 [[A]], 2147450880
// CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
// CHECK-NEXT: store i8 1, ptr [[P]], align 1
// CHECK-NEXT: store ptr [[N]], ptr @head, align 8
void push(void) {
  struct node *n = malloc(sizeof *n);
  n->next = head;
  n->value = 42;
  head = n;
}

// A tagged pointer computed in a local and stored later: a low tag is RAW,
// a tag in the high 16 bits MASK.
// CHECK-LABEL: define {{.*}} @tag(
// CHECK: %or = or i64 %{{.*}}, 1
// CHECK-NEXT: store i64 %or, ptr %t, align 8
// CHECK: store i8 1, ptr %{{.*}}, align 1
// CHECK-NEXT: store i64 %{{.*}}, ptr @tagged, align 8
// CHECK: %or{{[0-9]+}} = or i64 %{{.*}}, 281474976710656
// CHECK: store i8 2, ptr %{{.*}}, align 1
// CHECK-NEXT: store i64 %{{.*}}, ptr @tagged, align 8
void tag(void) {
  struct node *n = malloc(sizeof *n);
  uintptr_t t = (uintptr_t)n | 1;
  tagged = t;
  uintptr_t k = (uintptr_t)n | (uintptr_t)1 << 48;
  tagged = k;
}

// CHECK-LABEL: define {{.*}} @keep(
// CHECK: [[SH0:%.*]] = select i1 %{{.*}}, i8 8, i8 0
// CHECK-NEXT: store i8 [[SH0]], ptr %{{.*}}, align 1
// CHECK-NEXT: xor i1
// CHECK-NEXT: and i1
// CHECK-NEXT: br i1 %{{.*}}, label %[[THEN:.*]], label %[[JOIN:.*]], !prof
// CHECK: [[THEN]]:
// CHECK: call preserve_mostcc void @__leakcc_side_store(ptr %v.addr, i64 %v,
// CHECK: [[JOIN]]:
// CHECK-NEXT: store i64 %v, ptr %v.addr, align 8
// CHECK: [[V:%.*]] = load i64, ptr %v.addr, align 8
// CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %v.addr to i64
// CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
// CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
// CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
// CHECK-NEXT: [[SH:%.*]] = load i8, ptr [[P]], align 1
// CHECK: store i8 [[SH]], ptr %{{.*}}, align 1
// CHECK: store i64 [[V]], ptr @tagged, align 8
void keep(long v) {
  tagged = v;
}
