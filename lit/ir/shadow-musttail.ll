; musttail calls stay right before their ret: no channel read, struct-return
; extractvalue or byval slot clear goes between them.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,verify -S %s | FileCheck %s
; CHECK-LABEL: define { i64, i64 } @ret_struct(
; CHECK:      %r = musttail call { i64, i64 } @g(i64 %x)
; CHECK-NEXT: ret { i64, i64 } %r
; CHECK-LABEL: define i32 @pass_byval(
; CHECK:      %r = musttail call i32 @h(ptr byval(%big) align 8 %s)
; CHECK-NEXT: ret i32 %r
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
%big = type { ptr, ptr, ptr }
declare { i64, i64 } @g(i64)
declare i32 @h(ptr byval(%big) align 8)

define { i64, i64 } @ret_struct(i64 %x) {
  %r = musttail call { i64, i64 } @g(i64 %x)
  ret { i64, i64 } %r
}

define i32 @pass_byval(ptr byval(%big) align 8 %s) {
  %r = musttail call i32 @h(ptr byval(%big) align 8 %s)
  ret i32 %r
}
