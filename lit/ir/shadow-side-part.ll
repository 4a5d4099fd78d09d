; Some bits of a pointer (a 32-bit half, via trunc or lshr+trunc) stored as an i32: the granule keeps only its SIDE bit, then __leakcc_side_store records a 4-byte entry of kind PART (how = 0x504); a truncated offset stays an OFFSET (how = 0x204).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
@heap_base = global ptr null

; CHECK-LABEL: define void @split_halves(
; CHECK:      %lo = trunc i64 %pi to i32
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[OLD:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 4
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: [[LO:%.*]] = zext i32 %lo to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 [[LO]], i64 1284, ptr %p, ptr null)
; CHECK-NEXT: store i32 %lo, ptr %a, align 8
; CHECK:      %hi = trunc i64 %hi64 to i32
; CHECK:      [[HOLD:%.*]] = load i8, ptr [[HP:%.*]], align 1
; CHECK-NEXT: [[HNEW:%.*]] = and i8 [[HOLD]], 4
; CHECK-NEXT: store i8 [[HNEW]], ptr [[HP]], align 1
; CHECK-NEXT: [[HI:%.*]] = zext i32 %hi to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a4, i64 [[HI]], i64 1284, ptr %p, ptr null)
; CHECK-NEXT: store i32 %hi, ptr %a4, align 4
define void @split_halves(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %lo = trunc i64 %pi to i32
  store i32 %lo, ptr %a, align 8
  %hi64 = lshr i64 %pi, 32
  %hi = trunc i64 %hi64 to i32
  %a4 = getelementptr i8, ptr %a, i64 4
  store i32 %hi, ptr %a4, align 4
  ret void
}

; A 32-bit compressed reference: (uint32_t)(p - heap_base).
; CHECK-LABEL: define void @compressed(
; CHECK:      [[OLD:%.*]] = load i8, ptr [[P:%.*]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 4
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: [[V:%.*]] = zext i32 %c to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 [[V]], i64 516, ptr %p, ptr %b)
; CHECK-NEXT: store i32 %c, ptr %a, align 4
define void @compressed(ptr %a) {
  %b = load ptr, ptr @heap_base, align 8
  %p = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %bi = ptrtoint ptr %b to i64
  %d = sub i64 %pi, %bi
  %c = trunc i64 %d to i32
  store i32 %c, ptr %a, align 4
  ret void
}
