; Vector stores (one shadow byte per element granule; integer elements with side provenance get their own side entries), atomic stores, cmpxchg (only if it succeeds) and atomicrmw xchg keep shadow; other atomicrmw operations leave it.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; <2 x ptr>: two RAW bytes, i16 0x0101 = 257.
; CHECK-LABEL: define void @vec_ptr(
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i16 257, ptr [[P]], align 1
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

; SLP output: two XOR-encoded words stored at once, each its own entry.
; CHECK-LABEL: define void @vec_xor(
; CHECK:      [[E0:%.*]] = extractelement <2 x i64> %v1, i32 0
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 [[E0]], i64 776, ptr %p, ptr null)
; CHECK-NEXT: [[E1:%.*]] = extractelement <2 x i64> %v1, i32 1
; CHECK-NEXT: [[A8:%.*]] = getelementptr i8, ptr %a, i64 8
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr [[A8]], i64 [[E1]], i64 776, ptr %q, ptr null)
; CHECK-NEXT: store <2 x i64> %v1, ptr %a, align 8
define void @vec_xor(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %q = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %qi = ptrtoint ptr %q to i64
  %x0 = xor i64 %pi, 3735928559
  %x1 = xor i64 %qi, 3735928559
  %v0 = insertelement <2 x i64> poison, i64 %x0, i64 0
  %v1 = insertelement <2 x i64> %v0, i64 %x1, i64 1
  store <2 x i64> %v1, ptr %a, align 8
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
; CHECK:      [[P:%.*]] = inttoptr i64 %{{.*}} to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: store atomic ptr %p, ptr %a seq_cst, align 8
define void @atomic_store(ptr %a) {
  %p = call ptr @malloc(i64 16)
  store atomic ptr %p, ptr %a seq_cst, align 8
  ret void
}

; The shadow follows the cmpxchg and changes only when it succeeded.
; CHECK-LABEL: define void @cmpxchg_ptr(
; CHECK-NEXT: %r = cmpxchg ptr %a, ptr %old, ptr %new seq_cst seq_cst, align 8
; CHECK-NEXT: [[OK:%.*]] = extractvalue { ptr, i1 } %r, 1
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[SP:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[CUR:%.*]] = load i8, ptr [[SP]], align 1
; CHECK-NEXT: [[B:%.*]] = select i1 [[OK]], i8 1, i8 [[CUR]]
; CHECK-NEXT: store i8 [[B]], ptr [[SP]], align 1
define void @cmpxchg_ptr(ptr %a, ptr %old, ptr %new) {
  %r = cmpxchg ptr %a, ptr %old, ptr %new seq_cst seq_cst
  ret void
}

; CHECK-LABEL: define void @cmpxchg_i64(
; CHECK: [[OK:%.*]] = extractvalue { i64, i1 } %r, 1
; CHECK: [[CUR:%.*]] = load i8, ptr [[SP:%.*]], align 1
; CHECK-NEXT: [[B:%.*]] = select i1 [[OK]], i8 0, i8 [[CUR]]
; CHECK-NEXT: store i8 [[B]], ptr [[SP]], align 1
define void @cmpxchg_i64(ptr %a, i64 %old, i64 %new) {
  %r = cmpxchg ptr %a, i64 %old, i64 %new seq_cst seq_cst
  ret void
}

; CHECK-LABEL: define void @xchg_ptr(
; CHECK:      [[P:%.*]] = inttoptr i64 %{{.*}} to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: %o = atomicrmw xchg ptr %a, ptr %p seq_cst, align 8
define void @xchg_ptr(ptr %a) {
  %p = call ptr @malloc(i64 16)
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
