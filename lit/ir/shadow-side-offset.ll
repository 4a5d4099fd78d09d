; A pointer difference is an offset that leads back to the minuend: __leakcc_side_store with kind OFFSET (how = 0x208), the minuend as base and the subtrahend as second base (the runtime drops the entry when both lie in one block: a length), for base-relative (p - heap_base) and self-relative (p - &field) offsets.  Two pointers computed from one pointer (GEPs, a loop's cursor) differ by a length: plain data, no call.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
@heap_base = global ptr null

; CHECK-LABEL: define void @base_relative(
; CHECK:      %d = sub i64 %pi, %bi
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %d, i64 520, ptr %p, ptr %b)
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
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %field, i64 %d, i64 520, ptr %p, ptr %field)
; CHECK-NEXT: store i64 %d, ptr %field, align 8
define void @self_relative(ptr %field) {
  %p = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %fi = ptrtoint ptr %field to i64
  %d = sub i64 %pi, %fi
  store i64 %d, ptr %field, align 8
  ret void
}

; CHECK-LABEL: define void @length_in_object(
; CHECK-NOT:  __leakcc_side_store
; CHECK:      store i8 8, ptr
; CHECK-NEXT: store i64 %d, ptr %a, align 8
define void @length_in_object(ptr %a, ptr %s, i64 %n) {
  %end = getelementptr inbounds i8, ptr %s, i64 %n
  %ei = ptrtoint ptr %end to i64
  %si = ptrtoint ptr %s to i64
  %d = sub i64 %ei, %si
  store i64 %d, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @length_of_scan(
; CHECK-NOT:  __leakcc_side_store
; CHECK:      ret void
define void @length_of_scan(ptr %a, ptr %s) {
entry:
  br label %loop
loop:
  %cur = phi ptr [ %s, %entry ], [ %next, %loop ]
  %c = load i8, ptr %cur, align 1
  %next = getelementptr inbounds i8, ptr %cur, i64 1
  %z = icmp eq i8 %c, 0
  br i1 %z, label %done, label %loop
done:
  %ci = ptrtoint ptr %cur to i64
  %si = ptrtoint ptr %s to i64
  %d = sub i64 %ci, %si
  %t = trunc i64 %d to i32
  store i32 %t, ptr %a, align 4
  ret void
}
