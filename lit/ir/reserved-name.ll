; A module that already uses a hook name for something else gets a clear error through LLVM's diagnostics, not a crash.
; RUN: not %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s -o /dev/null 2>&1 | FileCheck %s
; CHECK: error: leakpass: {{.*}}reserved-name.ll: the module already defines '__leakcc_hook_malloc' with another type; that name is reserved for leakcc
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@__leakcc_hook_malloc = global i32 0
declare ptr @malloc(i64)

define ptr @f() {
  %p = call ptr @malloc(i64 4)
  ret ptr %p
}
