; A pointer difference is an offset that leads back to the minuend: __leakcc_side_store with kind OFFSET (how = 0x208), the minuend as base and the subtrahend as second base (the runtime drops the entry when both lie in one block: a length), for base-relative (p - heap_base) and self-relative (p - &field) offsets.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
@heap_base = global ptr null

; CHECK-LABEL: define void @base_relative(
; CHECK:      %d = sub i64 %pi, %bi
; CHECK-NEXT: call void @__leakcc_side_store(ptr %a, i64 %d, i64 520, ptr %p, ptr %b)
; CHECK-NEXT: store i64 %d, ptr %a, align 8
define void @base_relative(ptr %a) {
  %b = load ptr, ptr @heap_base, align 8
  %p = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %bi = ptrtoint ptr %b to i64
  %d = sub i64 %pi, %bi
  store i64 %d, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @self_relative(
; CHECK:      %d = sub i64 %pi, %fi
; CHECK-NEXT: call void @__leakcc_side_store(ptr %field, i64 %d, i64 520, ptr %p, ptr %field)
; CHECK-NEXT: store i64 %d, ptr %field, align 8
define void @self_relative(ptr %field) {
  %p = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %fi = ptrtoint ptr %field to i64
  %d = sub i64 %pi, %fi
  store i64 %d, ptr %field, align 8
  ret void
}
