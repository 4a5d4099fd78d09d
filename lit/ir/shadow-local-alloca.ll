; Stores into stack slots whose address only feeds loads and stores need no shadow; a slot whose address escapes, or that is given a loaded value, keeps it; values loaded from a local slot get the provenance of what was stored there.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @use(ptr)
declare void @llvm.lifetime.start.p0(i64, ptr)

; -O0 style: parameters spilled to slots, then loaded and stored to the heap.
; The slots' stores are untouched; the pointer-derived integer loaded from
; %i.addr is RAW.
; CHECK-LABEL: define void @local(
; CHECK-NEXT: %p.addr = alloca ptr
; CHECK-NEXT: %i.addr = alloca i64
; CHECK-NEXT: call void @llvm.lifetime.start.p0({{(i64 8, )?}}ptr %i.addr)
; CHECK-NEXT: store ptr %p, ptr %p.addr, align 8
; CHECK-NEXT: %l = load ptr, ptr %p.addr, align 8
; CHECK-NEXT: %i = ptrtoint ptr %l to i64
; CHECK-NEXT: store i64 %i, ptr %i.addr, align 8
; CHECK-NEXT: %v = load i64, ptr %i.addr, align 8
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %v, ptr %heap, align 8
define void @local(ptr %heap, ptr %p) {
  %p.addr = alloca ptr
  %i.addr = alloca i64
  call void @llvm.lifetime.start.p0(i64 8, ptr %i.addr)
  store ptr %p, ptr %p.addr, align 8
  %l = load ptr, ptr %p.addr, align 8
  %i = ptrtoint ptr %l to i64
  store i64 %i, ptr %i.addr, align 8
  %v = load i64, ptr %i.addr, align 8
  store i64 %v, ptr %heap, align 8
  ret void
}

; An integer slot that only ever holds plain data: loads from it are NONE.
; CHECK-LABEL: define void @local_plain(
; CHECK-NEXT: %n.addr = alloca i64
; CHECK-NEXT: store i64 %n, ptr %n.addr, align 8
; CHECK-NEXT: %v = load i64, ptr %n.addr, align 8
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %v, ptr %heap, align 8
define void @local_plain(ptr %heap, i64 %n) {
  %n.addr = alloca i64
  store i64 %n, ptr %n.addr, align 8
  %v = load i64, ptr %n.addr, align 8
  store i64 %v, ptr %heap, align 8
  ret void
}

; The slot's address reaches a call: its stores keep shadow.
; CHECK-LABEL: define void @escaping(
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store ptr %p, ptr %s, align 8
define void @escaping(ptr %p) {
  %s = alloca ptr
  store ptr %p, ptr %s, align 8
  call void @use(ptr %s)
  ret void
}

; A struct slot reached through a GEP and later copied by memcpy keeps shadow.
; CHECK-LABEL: define void @memcpy_source(
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store ptr %p, ptr %f, align 8
define void @memcpy_source(ptr %heap, ptr %p) {
  %s = alloca { i64, ptr }
  %f = getelementptr { i64, ptr }, ptr %s, i32 0, i32 1
  store ptr %p, ptr %f, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %heap, ptr align 8 %s, i64 16, i1 false)
  ret void
}
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; A slot given a value loaded from memory keeps shadow, so that copying out
; of it copies the right shadow.
; CHECK-LABEL: define void @loaded_into_slot(
; CHECK: %x = load i64, ptr %src, align 8
; CHECK: [[SH:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK: store i8 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %x, ptr %t, align 8
; CHECK: %y = load i64, ptr %t, align 8
; CHECK: [[SH2:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK: store i8 [[SH2]], ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %y, ptr %dst, align 8
define void @loaded_into_slot(ptr %dst, ptr %src) {
  %t = alloca i64
  %x = load i64, ptr %src, align 8
  store i64 %x, ptr %t, align 8
  %y = load i64, ptr %t, align 8
  store i64 %y, ptr %dst, align 8
  ret void
}
