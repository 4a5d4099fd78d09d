; Vector stores (one shadow byte per element granule), atomic stores, cmpxchg (only if it succeeds) and atomicrmw xchg keep shadow; other atomicrmw operations leave it.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; <2 x ptr>: two RAW bytes, i16 0x0101 = 257.
; CHECK-LABEL: define void @vec_ptr(
; CHECK: store i16 257, ptr %{{.*}}, align 1
; CHECK-NEXT: store <2 x ptr> %v, ptr %a, align 16
define void @vec_ptr(ptr %a, <2 x ptr> %v) {
  store <2 x ptr> %v, ptr %a, align 16
  ret void
}

; SLP output: pointers converted lane-wise, then stored as <4 x i64>.
; CHECK-LABEL: define void @vec_ptrtoint(
; CHECK: store i32 16843009, ptr %{{.*}}, align 1
; CHECK-NEXT: store <4 x i64> %i, ptr %a, align 8
define void @vec_ptrtoint(ptr %a, <4 x ptr> %v) {
  %i = ptrtoint <4 x ptr> %v to <4 x i64>
  store <4 x i64> %i, ptr %a, align 8
  ret void
}

; A vectorised copy of two words copies two shadow bytes.
; CHECK-LABEL: define void @vec_copy(
; CHECK: %v = load <2 x i64>, ptr %s, align 8
; CHECK: [[SH:%.*]] = load i16, ptr %{{.*}}, align 1
; CHECK: store i16 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: store <2 x i64> %v, ptr %d, align 8
define void @vec_copy(ptr %d, ptr %s) {
  %v = load <2 x i64>, ptr %s, align 8
  store <2 x i64> %v, ptr %d, align 8
  ret void
}

; CHECK-LABEL: define void @vec_i64(
; CHECK: store i16 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store <2 x i64> %v, ptr %a, align 16
define void @vec_i64(ptr %a, <2 x i64> %v) {
  store <2 x i64> %v, ptr %a, align 16
  ret void
}

; CHECK-LABEL: define void @atomic_store(
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store atomic ptr %p, ptr %a seq_cst, align 8
define void @atomic_store(ptr %a, ptr %p) {
  store atomic ptr %p, ptr %a seq_cst, align 8
  ret void
}

; The shadow follows the cmpxchg and changes only when it succeeded.
; CHECK-LABEL: define void @cmpxchg_ptr(
; CHECK-NEXT: %r = cmpxchg ptr %a, ptr %old, ptr %new seq_cst seq_cst, align 8
; CHECK-NEXT: [[OK:%.*]] = extractvalue { ptr, i1 } %r, 1
; CHECK: [[SP:%.*]] = inttoptr i64 %{{.*}} to ptr
; CHECK-NEXT: [[CUR:%.*]] = load i8, ptr [[SP]], align 1
; CHECK-NEXT: [[B:%.*]] = select i1 [[OK]], i8 1, i8 [[CUR]]
; CHECK-NEXT: store i8 [[B]], ptr [[SP]], align 1
define void @cmpxchg_ptr(ptr %a, ptr %old, ptr %new) {
  %r = cmpxchg ptr %a, ptr %old, ptr %new seq_cst seq_cst
  ret void
}

; CHECK-LABEL: define void @cmpxchg_i64(
; CHECK: [[OK:%.*]] = extractvalue { i64, i1 } %r, 1
; CHECK: select i1 [[OK]], i8 0, i8 %{{.*}}
define void @cmpxchg_i64(ptr %a, i64 %old, i64 %new) {
  %r = cmpxchg ptr %a, i64 %old, i64 %new seq_cst seq_cst
  ret void
}

; A 4-byte cmpxchg stays in one granule: NONE if it succeeded.
; CHECK-LABEL: define void @cmpxchg_i32(
; CHECK: [[OK:%.*]] = extractvalue { i32, i1 } %r, 1
; CHECK: select i1 [[OK]], i8 0, i8 %{{.*}}
define void @cmpxchg_i32(ptr %a, i32 %old, i32 %new) {
  %r = cmpxchg ptr %a, i32 %old, i32 %new seq_cst seq_cst, align 4
  ret void
}

; CHECK-LABEL: define void @xchg_ptr(
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: %o = atomicrmw xchg ptr %a, ptr %p seq_cst, align 8
define void @xchg_ptr(ptr %a, ptr %p) {
  %o = atomicrmw xchg ptr %a, ptr %p seq_cst
  ret void
}

; A refcount kept in a tagged pointer word: the result derives from the old
; word, so its shadow stays.
; CHECK-LABEL: define void @rmw_add(
; CHECK-NEXT: %o = atomicrmw add ptr %a, i64 65536 seq_cst, align 8
; CHECK-NEXT: ret void
define void @rmw_add(ptr %a) {
  %o = atomicrmw add ptr %a, i64 65536 seq_cst
  ret void
}
