; A musttail call of malloc becomes a plain tail call of the hook (the extra site argument makes musttail invalid); the output verifies.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,verify -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; CHECK-LABEL: define ptr @xmalloc(i64 %n)
; CHECK:      %p = tail call ptr @__leakcc_hook_malloc(i64 %n, ptr @{{__leakcc_site[.0-9]*}})
; CHECK:      ret ptr %p
define ptr @xmalloc(i64 %n) {
  %p = musttail call ptr @malloc(i64 %n)
  ret ptr %p
}
