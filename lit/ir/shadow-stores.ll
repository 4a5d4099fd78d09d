; Plain stores keep the shadow byte of their granule: pointer -> RAW (1), plain integer -> NONE (0), pointer-derived integer -> RAW, loaded value -> the source's shadow read at the load, unaligned pointer -> RAW only if aligned at run time.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; shadow(a) = (a >> 3) + 0x7fff8000 (2147450880), then one byte store.
; CHECK-LABEL: define void @store_ptr(
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: store ptr %p, ptr %a, align 8
; CHECK-NEXT: ret void
define void @store_ptr(ptr %a, ptr %p) {
  store ptr %p, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @store_i64(
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %x, ptr %a, align 8
define void @store_i64(ptr %a, i64 %x) {
  store i64 %x, ptr %a, align 8
  ret void
}

; A 4-byte store into an 8-aligned address clears its one granule.
; CHECK-LABEL: define void @store_i32(
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store i32 %x, ptr %a, align 8
define void @store_i32(ptr %a, i32 %x) {
  store i32 %x, ptr %a, align 8
  ret void
}

; A 4-byte store at align 4 cannot straddle: one byte store.
; CHECK-LABEL: define void @store_i32_align4(
; CHECK-NEXT: ptrtoint
; CHECK-NEXT: lshr
; CHECK-NEXT: add
; CHECK-NEXT: inttoptr
; CHECK-NEXT: store i8 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store i32 %x, ptr %a, align 4
define void @store_i32_align4(ptr %a, i32 %x) {
  store i32 %x, ptr %a, align 4
  ret void
}

; An 8-byte store at align 4 may straddle: both granules cleared.
; CHECK-LABEL: define void @store_i64_align4(
; CHECK: add i64 %{{.*}}, 7
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %x, ptr %a, align 4
define void @store_i64_align4(ptr %a, i64 %x) {
  store i64 %x, ptr %a, align 4
  ret void
}

; ptrtoint, through a constant tag and a bitcast, is a pointer.
; CHECK-LABEL: define void @store_ptrtoint(
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %i, ptr %a, align 8
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store double %d, ptr %a, align 8
define void @store_ptrtoint(ptr %a, ptr %p) {
  %i = ptrtoint ptr %p to i64
  store i64 %i, ptr %a, align 8
  %t = or i64 %i, 1
  %d = bitcast i64 %t to double
  store double %d, ptr %a, align 8
  ret void
}

; A copied word copies the source's shadow, read right after the load.
; CHECK-LABEL: define void @copy_i64(
; CHECK-NEXT: %v = load i64, ptr %src, align 8
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %src to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[SH:%.*]] = load i8, ptr [[P]], align 1
; CHECK: store i8 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %v, ptr %dst, align 8
define void @copy_i64(ptr %dst, ptr %src) {
  %v = load i64, ptr %src, align 8
  store i64 %v, ptr %dst, align 8
  ret void
}

; A swap reads both shadows before either is overwritten.
; CHECK-LABEL: define void @swap(
; CHECK: %x = load i64, ptr %a, align 8
; CHECK: [[SA:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK: %y = load i64, ptr %b, align 8
; CHECK: [[SB:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK: store i8 [[SB]], ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %y, ptr %a, align 8
; CHECK: store i8 [[SA]], ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %x, ptr %b, align 8
define void @swap(ptr %a, ptr %b) {
  %x = load i64, ptr %a, align 8
  %y = load i64, ptr %b, align 8
  store i64 %y, ptr %a, align 8
  store i64 %x, ptr %b, align 8
  ret void
}

; A 16-byte struct copy: two shadow bytes at once.
; CHECK-LABEL: define void @copy_struct(
; CHECK: [[SH:%.*]] = load i16, ptr %{{.*}}, align 1
; CHECK: store i16 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: store { ptr, i64 } %v, ptr %dst, align 8
define void @copy_struct(ptr %dst, ptr %src) {
  %v = load { ptr, i64 }, ptr %src, align 8
  store { ptr, i64 } %v, ptr %dst, align 8
  ret void
}

; A built struct: RAW for its pointer field only (i16 0x0100 = 256).
; CHECK-LABEL: define void @store_struct(
; CHECK: store i16 256, ptr %{{.*}}, align 1
; CHECK-NEXT: store { i64, ptr } %s, ptr %a, align 8
define void @store_struct(ptr %a, ptr %p) {
  %s = insertvalue { i64, ptr } { i64 7, ptr null }, ptr %p, 1
  store { i64, ptr } %s, ptr %a, align 8
  ret void
}

; Unaligned pointer store (packed struct): clear both granules it may touch,
; then RAW only if the address is 8-aligned at run time.
; CHECK-LABEL: define void @store_ptr_unaligned(
; CHECK: [[E:%.*]] = add i64 %{{.*}}, 7
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK: [[LOW:%.*]] = and i64 %{{.*}}, 7
; CHECK-NEXT: [[AL:%.*]] = icmp eq i64 [[LOW]], 0
; CHECK-NEXT: [[B:%.*]] = select i1 [[AL]], i8 1, i8 0
; CHECK: store i8 [[B]], ptr %{{.*}}, align 1
; CHECK-NEXT: store ptr %p, ptr %a, align 1
define void @store_ptr_unaligned(ptr %a, ptr %p) {
  store ptr %p, ptr %a, align 1
  ret void
}

; A plain integer argument carries no provenance (yet; see docs/precise-mode.md).
; CHECK-LABEL: define void @store_arg_i64(
; CHECK: store i8 0,
define void @store_arg_i64(ptr %a, i64 %maybe_ptr) {
  store i64 %maybe_ptr, ptr %a, align 8
  ret void
}

; Stores to other address spaces (%fs/%gs) are left alone.
; CHECK-LABEL: define void @store_gs(
; CHECK-NEXT: store ptr %p, ptr addrspace(256) %a, align 8
define void @store_gs(ptr addrspace(256) %a, ptr %p) {
  store ptr %p, ptr addrspace(256) %a, align 8
  ret void
}

; A function that now writes shadow loses memory(...).
; CHECK-LABEL: define void @store_attrs(
; CHECK-SAME: #[[ATTRS:[0-9]+]]
define void @store_attrs(ptr %a, ptr %p) #0 {
  store ptr %p, ptr %a, align 8
  ret void
}
; CHECK: attributes #[[ATTRS]] = { nounwind }
attributes #0 = { nounwind memory(argmem: write) }
