; Running the pass twice (as clang does with both -fplugin= and -fpass-plugin=) gives exactly the output of one run.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s -o %t.once
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,leakpass -S %s -o %t.twice
; RUN: diff %t.once %t.twice
; RUN: FileCheck %s < %t.twice
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g = global ptr null
declare ptr @malloc(i64)

; CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }]
; CHECK-LABEL: define void @f()
; CHECK-NEXT: %p = call ptr @__leakcc_hook_malloc(i64 4, ptr @__leakcc_site)
; CHECK-NOT: __leakcc_hook___leakcc_hook
; CHECK-NOT: define internal void @__leakcc_module_ctor.
define void @f() {
  %p = call ptr @malloc(i64 4)
  store ptr %p, ptr @g
  ret void
}
