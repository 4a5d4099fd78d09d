; A 4-byte cmpxchg changes the shadow only when it succeeds (as the 8-byte
; one does): a failed exchange leaves memory, and so its shadow, unchanged.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
; CHECK-LABEL: define void @cmpxchg_i32(
; CHECK: [[OK:%.*]] = extractvalue { i32, i1 } %r, 1
; CHECK: [[OLD:%.*]] = load i8, ptr [[SP:%.*]], align 1
; CHECK: [[KEPT:%.*]] = and i8 [[OLD]], 4
; CHECK: [[NEW:%.*]] = select i1 [[OK]], i8 [[KEPT]], i8 [[OLD]]
; CHECK: store i8 [[NEW]], ptr [[SP]], align 1
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
define void @cmpxchg_i32(ptr %a, i32 %old, i32 %new) {
  %r = cmpxchg ptr %a, i32 %old, i32 %new seq_cst seq_cst, align 4
  ret void
}
