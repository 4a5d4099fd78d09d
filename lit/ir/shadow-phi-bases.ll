; `o->off = p ? (int)(p - base) : 0` at -O0: the stored phi's inputs are an OFFSET of p and a constant; since p does not dominate the store, the pass builds a phi of the bases (p from cond.true, null from cond.false) at the top of the phi's block and passes it to __leakcc_side_store (width 4, kind OFFSET: how = 0x204).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%struct.s = type { i32, i32 }
@base = global ptr null
@cur = global ptr null

; CHECK-LABEL: define void @set(
; CHECK:      cond.end:
; CHECK-NEXT: [[B0:%.*]] = phi ptr [ %1, %cond.true ], [ null, %cond.false ]
; CHECK-NEXT: [[B1:%.*]] = phi ptr [ %2, %cond.true ], [ null, %cond.false ]
; CHECK-NEXT: %cond = phi i32 [ %conv, %cond.true ], [ 0, %cond.false ]
; CHECK-NEXT: %off = getelementptr inbounds %struct.s, ptr %o, i32 0, i32 0
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %off to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[OLD:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 4
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: [[V:%.*]] = zext i32 %cond to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %off, i64 [[V]], i64 516, ptr [[B0]], ptr [[B1]])
; CHECK-NEXT: store i32 %cond, ptr %off, align 4
define void @set(ptr %o) {
entry:
  %0 = load ptr, ptr @cur, align 8
  %tobool = icmp ne ptr %0, null
  br i1 %tobool, label %cond.true, label %cond.false

cond.true:
  %1 = load ptr, ptr @cur, align 8
  %2 = load ptr, ptr @base, align 8
  %sub.ptr.lhs.cast = ptrtoint ptr %1 to i64
  %sub.ptr.rhs.cast = ptrtoint ptr %2 to i64
  %sub.ptr.sub = sub i64 %sub.ptr.lhs.cast, %sub.ptr.rhs.cast
  %conv = trunc i64 %sub.ptr.sub to i32
  br label %cond.end

cond.false:
  br label %cond.end

cond.end:
  %cond = phi i32 [ %conv, %cond.true ], [ 0, %cond.false ]
  %off = getelementptr inbounds %struct.s, ptr %o, i32 0, i32 0
  store i32 %cond, ptr %off, align 4
  ret void
}
