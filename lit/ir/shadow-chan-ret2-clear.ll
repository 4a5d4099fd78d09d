; A caller reading a struct result's second word (slot 8) clears slot 8's
; value before the call, so a stale slot with an equal value is not believed.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
; CHECK-LABEL: define void @store_high(
; CHECK:      [[F:%.*]] = getelementptr inbounds i64, ptr %{{.*}}, i64 32
; CHECK-NEXT: store i64 0, ptr [[F]], align 8
; CHECK-NEXT: %r = call { i64, i64 } @halves()
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
declare { i64, i64 } @halves()
define void @store_high(ptr %a) {
  %r = call { i64, i64 } @halves()
  %hi = extractvalue { i64, i64 } %r, 1
  store i64 %hi, ptr %a, align 8
  ret void
}
