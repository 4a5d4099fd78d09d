; The old value of an integer `atomicrmw xchg` is copied with the shadow the
; word had before the exchange: it is read before the xchg's own update.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
; CHECK-LABEL: define void @take_all(
; CHECK:      [[OLD:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK:      store i8 8, ptr %{{.*}}, align 1
; CHECK-NEXT: %old = atomicrmw xchg ptr %slot, i64 0 seq_cst, align 8
; CHECK:      store i8 [[OLD]], ptr %{{.*}}, align 1
; CHECK:      store i64 %old, ptr %keep, align 8
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
define void @take_all(ptr %slot, ptr %keep) {
  %old = atomicrmw xchg ptr %slot, i64 0 seq_cst
  store i64 %old, ptr %keep, align 8
  ret void
}
