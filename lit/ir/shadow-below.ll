; Pointers that may lie below their block: a constant negative offset (p - 1 of 1-based vectors) always goes to the side table (kind BELOW = 4, how = 0x408) with the block's pointer as base; a dynamic offset stores RAW and calls __leakcc_side_store only when the result is below the base at run time. A one-past-the-end pointer stays RAW (every block has slack after it).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; CHECK-LABEL: define void @minus_one(
; CHECK:      %v = getelementptr i8, ptr %p, i64 -8
; CHECK-NEXT: [[V:%.*]] = ptrtoint ptr %v to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 [[V]], i64 1032, ptr %p, ptr null)
; CHECK-NEXT: store ptr %v, ptr %a, align 8
define void @minus_one(ptr %a) {
  %p = call ptr @malloc(i64 80)
  %v = getelementptr i8, ptr %p, i64 -8
  store ptr %v, ptr %a, align 8
  ret void
}

; The same bias applied to the integer.
; CHECK-LABEL: define void @minus_one_int(
; CHECK:      %v = sub i64 %i, 8
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %v, i64 1032, ptr %p, ptr null)
; CHECK-NEXT: store i64 %v, ptr %a, align 8
define void @minus_one_int(ptr %a) {
  %p = call ptr @malloc(i64 80)
  %i = ptrtoint ptr %p to i64
  %v = sub i64 %i, 8
  store i64 %v, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @dynamic(
; CHECK:      %v = getelementptr i8, ptr %p, i64 %n
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: [[B:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: [[VI:%.*]] = ptrtoint ptr %v to i64
; CHECK-NEXT: [[BELOW:%.*]] = icmp ult i64 [[VI]], [[B]]
; CHECK-NEXT: br i1 [[BELOW]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: [[V:%.*]] = ptrtoint ptr %v to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 [[V]], i64 1032, ptr %p, ptr null)
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: [[JOIN]]:
; CHECK-NEXT: store ptr %v, ptr %a, align 8
define void @dynamic(ptr %a, i64 %n) {
  %p = call ptr @malloc(i64 80)
  %v = getelementptr i8, ptr %p, i64 %n
  store ptr %v, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @one_past_end(
; CHECK:      store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store ptr %e, ptr %a, align 8
; CHECK-NEXT: ret void
define void @one_past_end(ptr %a) {
  %p = call ptr @malloc(i64 80)
  %e = getelementptr i8, ptr %p, i64 80
  store ptr %e, ptr %a, align 8
  ret void
}
