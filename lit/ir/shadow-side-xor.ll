; XOR-encoded pointers go to the side table (kind XOR = 3, how = 0x308): with a constant key __leakcc_side_store names the pointer, with two pointers (XOR list) both, and with a key loaded from memory __leakcc_side_derive names the key's word so the runtime adds whatever that word refers to.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
@key = global i64 0

; CHECK-LABEL: define void @xor_const(
; CHECK:      %x = xor i64 %i, 3735928559
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %x, i64 776, ptr %p, ptr null)
; CHECK-NEXT: store i64 %x, ptr %a, align 8
define void @xor_const(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %x = xor i64 %i, 3735928559
  store i64 %x, ptr %a, align 8
  ret void
}

; prev ^ next in one word.
; CHECK-LABEL: define void @xor_list(
; CHECK:      %x = xor i64 %pi, %qi
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %x, i64 776, ptr %p, ptr %q)
; CHECK-NEXT: store i64 %x, ptr %a, align 8
define void @xor_list(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %q = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %qi = ptrtoint ptr %q to i64
  %x = xor i64 %pi, %qi
  store i64 %x, ptr %a, align 8
  ret void
}

; A per-process key (PTR_MANGLE style) loaded from a global: the key's
; shadow byte is read after its load and travels in bits 16-23 of how.
; CHECK-LABEL: define void @xor_loaded_key(
; CHECK:      %k = load i64, ptr @key, align 8
; CHECK-NEXT: [[KS:%.*]] = lshr i64 ptrtoint (ptr @key to i64), 3
; CHECK-NEXT: [[KO:%.*]] = add i64 [[KS]], 2147450880
; CHECK-NEXT: [[KP:%.*]] = inttoptr i64 [[KO]] to ptr
; CHECK-NEXT: [[KSH:%.*]] = load i8, ptr [[KP]], align 1
; CHECK:      %x = xor i64 %i, %k
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[KD:%.*]] = and i8 [[KSH]], 8
; CHECK-NEXT: store i8 [[KD]], ptr [[P]], align 1
; CHECK-NEXT: [[Z:%.*]] = zext i8 [[KSH]] to i64
; CHECK-NEXT: [[HI:%.*]] = shl i64 [[Z]], 16
; CHECK-NEXT: [[HOW:%.*]] = or i64 776, [[HI]]
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_derive(ptr %a, i64 %x, i64 [[HOW]], ptr @key, i64 %k, ptr %p)
; CHECK-NEXT: store i64 %x, ptr %a, align 8
define void @xor_loaded_key(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %k = load i64, ptr @key, align 8
  %i = ptrtoint ptr %p to i64
  %x = xor i64 %i, %k
  store i64 %x, ptr %a, align 8
  ret void
}
