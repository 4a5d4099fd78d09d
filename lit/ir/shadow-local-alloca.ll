; Stores into stack slots whose address only feeds loads and stores need no shadow when every value stored there has static provenance; a load from such a slot gets that provenance. A slot whose address escapes, or that is given a loaded value or an argument (provenance known only at run time), keeps its shadow.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare void @use(ptr)
declare void @llvm.lifetime.start.p0(i64, ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; A local holding a pointer: its store is untouched; the integer made from
; the pointer loaded back is RAW.
; CHECK-LABEL: define void @local_ptr(
; CHECK-NEXT: %p.addr = alloca ptr
; CHECK-NEXT: call void @llvm.lifetime.start.p0({{(i64 8, )?}}ptr %p.addr)
; CHECK-NEXT: %p = call ptr @__leakcc_hook_malloc(
; CHECK-NEXT: store ptr %p, ptr %p.addr, align 8
; CHECK-NEXT: %l = load ptr, ptr %p.addr, align 8
; CHECK-NEXT: %i = ptrtoint ptr %l to i64
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %heap to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: store i64 %i, ptr %heap, align 8
; CHECK-NEXT: ret void
define void @local_ptr(ptr %heap) {
  %p.addr = alloca ptr
  call void @llvm.lifetime.start.p0(i64 8, ptr %p.addr)
  %p = call ptr @malloc(i64 16)
  store ptr %p, ptr %p.addr, align 8
  %l = load ptr, ptr %p.addr, align 8
  %i = ptrtoint ptr %l to i64
  store i64 %i, ptr %heap, align 8
  ret void
}

; A local that only ever holds plain data: loads from it are NONE.
; CHECK-LABEL: define void @local_plain(
; CHECK-NEXT: %n.addr = alloca i64
; CHECK-NEXT: store i64 7, ptr %n.addr, align 8
; CHECK-NEXT: %v = load i64, ptr %n.addr, align 8
; CHECK:      store i8 8, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %v, ptr %heap, align 8
; CHECK-NEXT: ret void
define void @local_plain(ptr %heap) {
  %n.addr = alloca i64
  store i64 7, ptr %n.addr, align 8
  %v = load i64, ptr %n.addr, align 8
  store i64 %v, ptr %heap, align 8
  ret void
}

; An -O0 parameter spill: the slot keeps shadow (DATA if the channel says
; plain data, UNKNOWN, or the channel's side entry), and a store of the
; value loaded back copies the slot's shadow.
; CHECK-LABEL: define void @spilled_arg(
; CHECK:      [[SH0:%.*]] = select i1 %{{.*}}, i8 8, i8 0
; CHECK-NEXT: store i8 [[SH0]], ptr %{{.*}}, align 1
; CHECK-NEXT: xor i1
; CHECK-NEXT: and i1
; CHECK-NEXT: br i1 %{{.*}}, label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK:      call preserve_mostcc void @__leakcc_side_store(ptr %n.addr, i64 %n,
; CHECK: [[JOIN]]:
; CHECK-NEXT: store i64 %n, ptr %n.addr, align 8
; CHECK-NEXT: %v = load i64, ptr %n.addr, align 8
; CHECK:      [[SH:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK:      store i8 [[SH]], ptr %{{.*}}, align 1
; CHECK:      call preserve_mostcc void @__leakcc_side_derive(ptr %heap, i64 %v, i64 %{{.*}}, ptr %n.addr, i64 %v, ptr null)
; CHECK:      store i64 %v, ptr %heap, align 8
define void @spilled_arg(ptr %heap, i64 %n) {
  %n.addr = alloca i64
  store i64 %n, ptr %n.addr, align 8
  %v = load i64, ptr %n.addr, align 8
  store i64 %v, ptr %heap, align 8
  ret void
}

; The slot's address reaches a call: its stores keep shadow.
; CHECK-LABEL: define void @escaping(
; CHECK:      store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store ptr %p, ptr %s, align 8
define void @escaping() {
  %s = alloca ptr
  %p = call ptr @malloc(i64 16)
  store ptr %p, ptr %s, align 8
  call void @use(ptr %s)
  ret void
}

; A struct slot reached through a GEP and later copied by memcpy keeps shadow.
; CHECK-LABEL: define void @memcpy_source(
; CHECK:      store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store ptr %p, ptr %f, align 8
define void @memcpy_source(ptr %heap) {
  %s = alloca { i64, ptr }
  %p = call ptr @malloc(i64 16)
  %f = getelementptr { i64, ptr }, ptr %s, i32 0, i32 1
  store ptr %p, ptr %f, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %heap, ptr align 8 %s, i64 16, i1 false)
  ret void
}

; A slot given a value loaded from memory keeps shadow, so that copying out
; of it copies the right shadow.
; CHECK-LABEL: define void @loaded_into_slot(
; CHECK:      %x = load i64, ptr %src, align 8
; CHECK:      [[SH:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK:      store i8 [[SH]], ptr %{{.*}}, align 1
; CHECK:      store i64 %x, ptr %t, align 8
; CHECK-NEXT: %y = load i64, ptr %t, align 8
; CHECK:      [[SH2:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK:      store i8 [[SH2]], ptr %{{.*}}, align 1
; CHECK:      store i64 %y, ptr %dst, align 8
define void @loaded_into_slot(ptr %dst, ptr %src) {
  %t = alloca i64
  %x = load i64, ptr %src, align 8
  store i64 %x, ptr %t, align 8
  %y = load i64, ptr %t, align 8
  store i64 %y, ptr %dst, align 8
  ret void
}
