; A phi with two entries from one predecessor (a switch's cases) whose inputs
; mix MASK and SIDE provenance: the base phis get the same value for both
; entries, as the verifier requires.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,verify -S %s | FileCheck %s
; CHECK: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %v,
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
declare ptr @malloc(i64)

define void @f(ptr %a, i32 %c) {
entry:
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %t = or i64 %i, 281474976710656
  %q = call ptr @malloc(i64 16)
  %j = ptrtoint ptr %q to i64
  %x = xor i64 %j, 12345678
  switch i32 %c, label %other [ i32 1, label %join
                                i32 2, label %join ]
other:
  br label %join
join:
  %v = phi i64 [ %t, %entry ], [ %t, %entry ], [ %x, %other ]
  store i64 %v, ptr %a, align 8
  ret void
}
