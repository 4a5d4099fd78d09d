; A function named malloc with another signature, and a call of free through a mismatched type, are left alone; the output verifies.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,verify -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define i32 @malloc(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}
declare void @free(...)

; CHECK-LABEL: define i32 @user()
; CHECK-NEXT: %a = call i32 @malloc(i32 5)
; CHECK-NEXT: call void (...) @free(i32 3)
; CHECK-NEXT: call void (...) @free(ptr null)
define i32 @user() {
  %a = call i32 @malloc(i32 5)
  call void (...) @free(i32 3)
  call void (...) @free(ptr null)
  ret i32 %a
}
; CHECK-NOT: __leakcc_hook
