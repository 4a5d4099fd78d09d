; Calls through function pointers and uses of malloc as a value are not rewritten (they reach the runtime's malloc).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@alloc_fn = global ptr @malloc
declare ptr @malloc(i64)
declare void @free(ptr)
declare void @set_allocator(ptr, ptr)

; CHECK-LABEL: define ptr @f()
; CHECK:      %fp = load ptr, ptr @alloc_fn
; The caller token (abi.h): the callee's address, before a call whose
; result is a pointer.
; CHECK:      store i64 [[TOK:%.*]], ptr %{{.*}}, align 8
; CHECK-NEXT: %p = call ptr %fp(i64 8)
; CHECK-NEXT: call void @set_allocator(ptr @malloc, ptr @free)
; CHECK:      ret ptr %p
define ptr @f() {
  %fp = load ptr, ptr @alloc_fn
  %p = call ptr %fp(i64 8)
  call void @set_allocator(ptr @malloc, ptr @free)
  ret ptr %p
}
; CHECK-NOT: __leakcc_hook
