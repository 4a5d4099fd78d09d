; A loop-carried XOR-encoded integer: the base phi's back edge feeds the
; phi's own base phi, so every iteration still names the block.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
; CHECK-LABEL: loop:
; CHECK-NEXT: [[B0:%.*]] = phi ptr [ %p, %entry ], [ [[B0]], %loop ]
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
declare ptr @malloc(i64)
define void @f(ptr %a) {
entry:
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %x0 = xor i64 %i, 12345678
  br label %loop
loop:
  %v = phi i64 [ %x0, %entry ], [ %v2, %loop ]
  %k = phi i64 [ 0, %entry ], [ %k2, %loop ]
  %v2 = xor i64 %v, 99999999
  store i64 %v, ptr %a, align 8
  %k2 = add i64 %k, 1
  %c = icmp ult i64 %k2, 10
  br i1 %c, label %loop, label %done
done:
  ret void
}
