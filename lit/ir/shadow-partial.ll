; A store that covers part of a granule, or may straddle two, keeps the SIDE bit of each granule it touches (the other bytes may still hold a 4-byte side entry), and DATA too when it writes plain data (shadow &= 12); anything else may be a byte of a pointer (shadow &= 4: UNKNOWN). An 8-byte pointer at an unknown alignment goes to the runtime (__leakcc_side_store, kind RAW).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; CHECK-LABEL: define void @store_i16(
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[OLD:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 12
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: store i16 7, ptr %a, align 8
; CHECK-NEXT: ret void
define void @store_i16(ptr %a) {
  store i16 7, ptr %a, align 8
  ret void
}

; An i32 at align 4 cannot straddle: one granule.
; CHECK-LABEL: define void @store_i32_align4(
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[OLD:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 12
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: store i32 7, ptr %a, align 4
; CHECK-NEXT: ret void
define void @store_i32_align4(ptr %a) {
  store i32 7, ptr %a, align 4
  ret void
}

; An i64 at align 4 may straddle: the granule of its last byte, then its
; first (the same one when it turns out aligned).
; CHECK-LABEL: define void @store_i64_align4(
; CHECK-NEXT: [[END:%.*]] = getelementptr i8, ptr %a, i64 7
; CHECK-NEXT: [[E:%.*]] = ptrtoint ptr [[END]] to i64
; CHECK-NEXT: [[ES:%.*]] = lshr i64 [[E]], 3
; CHECK-NEXT: [[EO:%.*]] = add i64 [[ES]], 2147450880
; CHECK-NEXT: [[EP:%.*]] = inttoptr i64 [[EO]] to ptr
; CHECK-NEXT: [[EOLD:%.*]] = load i8, ptr [[EP]], align 1
; CHECK-NEXT: [[ENEW:%.*]] = and i8 [[EOLD]], 4
; CHECK-NEXT: store i8 [[ENEW]], ptr [[EP]], align 1
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[OLD:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 4
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: store i64 7, ptr %a, align 4
define void @store_i64_align4(ptr %a) {
  store i64 7, ptr %a, align 4
  ret void
}

; A packed struct's pointer field: the runtime sets RAW if the address is
; aligned, else records a side entry (how = 8: width 8, kind RAW).
; CHECK-LABEL: define void @store_ptr_unaligned(
; CHECK-NEXT: %p = call ptr @__leakcc_hook_malloc(
; CHECK-NEXT: [[V:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 [[V]], i64 8, ptr %p, ptr null)
; CHECK-NEXT: store ptr %p, ptr %a, align 1
; CHECK-NEXT: ret void
define void @store_ptr_unaligned(ptr %a) {
  %p = call ptr @malloc(i64 16)
  store ptr %p, ptr %a, align 1
  ret void
}

; A byte copied from memory may be a byte of a pointer (a byte-wise copy
; loop): the granule becomes UNKNOWN, scanned by its value once whole.
; CHECK-LABEL: define void @copy_byte(
; CHECK: [[P:%.*]] = inttoptr i64 %{{.*}} to ptr
; CHECK-NEXT: [[OLD:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], 4
; CHECK-NEXT: store i8 [[NEW]], ptr [[P]], align 1
; CHECK-NEXT: store i8 %b, ptr %dst, align 1
define void @copy_byte(ptr %dst, ptr %src) {
  %b = load i8, ptr %src, align 1
  store i8 %b, ptr %dst, align 1
  ret void
}
