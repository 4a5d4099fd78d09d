; A call whose own type matches abi.h is rewritten even when the callee was declared without a prototype (K&R C).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @strdup()

; CHECK-LABEL: define ptr @f(ptr %s)
; CHECK:      %d = call ptr @__leakcc_hook_strdup(ptr %s, ptr @{{__leakcc_site[.0-9]*}})
define ptr @f(ptr %s) {
  %d = call ptr @strdup(ptr %s)
  ret ptr %d
}
; CHECK: declare ptr @__leakcc_hook_strdup(ptr, ptr)
