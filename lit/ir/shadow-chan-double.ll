; A NaN-boxed pointer passed as a double argument: the callee reads the
; argument's channel slot and records the store when the slot matches, as
; for an i64 argument (idiom 3 with the store in a helper).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
; CHECK-LABEL: define void @put(
; CHECK: getelementptr inbounds i64, ptr %{{.*}}, i64 8
; CHECK: call preserve_mostcc void @__leakcc_side_store(ptr %slot,
; CHECK: store double %v, ptr %slot, align 8
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
define void @put(ptr %slot, double %v) {
  store double %v, ptr %slot, align 8
  ret void
}
