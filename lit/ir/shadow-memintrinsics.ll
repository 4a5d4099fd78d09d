; memcpy/memmove copy shadow (inline for small aligned constant sizes, else __leakcc_shadow_copy); memset clears it (inline when small, else __leakcc_shadow_clear).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

; CHECK-LABEL: define void @memcpy_small(
; CHECK: [[SH:%.*]] = load i32, ptr %{{.*}}, align 1
; CHECK: store i32 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d, ptr align 8 %s, i64 32, i1 false)
define void @memcpy_small(ptr %d, ptr %s) {
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d, ptr align 8 %s, i64 32, i1 false)
  ret void
}

; CHECK-LABEL: define void @memcpy_var(
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
define void @memcpy_var(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret void
}

; Unaligned constant copies need the runtime (granules may split).
; CHECK-LABEL: define void @memcpy_unaligned(
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %d, ptr %s, i64 16)
define void @memcpy_unaligned(ptr %d, ptr %s) {
  call void @llvm.memcpy.p0.p0.i64(ptr align 4 %d, ptr align 8 %s, i64 16, i1 false)
  ret void
}

; CHECK-LABEL: define void @memmove_var(
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: call void @llvm.memmove.p0.p0.i64(
define void @memmove_var(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memmove.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret void
}

; Small aligned memmove: one shadow load before one shadow store, so
; overlapping ranges are right.
; CHECK-LABEL: define void @memmove_small(
; CHECK: [[SH:%.*]] = load i16, ptr %{{.*}}, align 1
; CHECK: store i16 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: call void @llvm.memmove.p0.p0.i64(
define void @memmove_small(ptr %d) {
  %s = getelementptr i8, ptr %d, i64 8
  call void @llvm.memmove.p0.p0.i64(ptr align 8 %d, ptr align 8 %s, i64 16, i1 false)
  ret void
}

; 20 bytes from an aligned address: three granules, the last partly written.
; CHECK-LABEL: define void @memset_small(
; CHECK: store i24 0, ptr %{{.*}}, align 1
; CHECK-NEXT: call void @llvm.memset.p0.i64(ptr align 8 %d, i8 -1, i64 20, i1 false)
define void @memset_small(ptr %d) {
  call void @llvm.memset.p0.i64(ptr align 8 %d, i8 255, i64 20, i1 false)
  ret void
}

; CHECK-LABEL: define void @memset_var(
; CHECK-NEXT: call void @__leakcc_shadow_clear(ptr %d, i64 %n)
; CHECK-NEXT: call void @llvm.memset.p0.i64(
define void @memset_var(ptr %d, i64 %n) {
  call void @llvm.memset.p0.i64(ptr %d, i8 0, i64 %n, i1 false)
  ret void
}

; CHECK-LABEL: define void @memset_large(
; CHECK-NEXT: call void @__leakcc_shadow_clear(ptr %d, i64 4096)
define void @memset_large(ptr %d) {
  call void @llvm.memset.p0.i64(ptr align 16 %d, i8 0, i64 4096, i1 false)
  ret void
}

; CHECK-DAG: declare void @__leakcc_shadow_copy(ptr, ptr, i64) #[[NU:[0-9]+]]
; CHECK-DAG: declare void @__leakcc_shadow_clear(ptr, i64) #[[NU]]
; CHECK-DAG: attributes #[[NU]] = { nounwind }
