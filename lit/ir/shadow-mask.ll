; Constant encodings cost one byte store like a plain pointer: tags or a NaN box in the high 16 bits (also a run-time kind shifted there) give MASK (2), the scanner decoding value & 0x0000ffffffffffff; small low tags (p | 1, p | 3) still resolve into the block and stay RAW (1); the tag bits alone (p & 15) are NONE.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
@kind = global i64 0

; kind << 48 | p
; CHECK-LABEL: define void @high_tag(
; CHECK:      %t = or i64 %i, 281474976710656
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 2, ptr [[P]], align 1
; CHECK-NEXT: store i64 %t, ptr %a, align 8
; CHECK-NEXT: ret void
define void @high_tag(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %t = or i64 %i, 281474976710656
  store i64 %t, ptr %a, align 8
  ret void
}

; A quiet-NaN box (0xfff8000000000000 | p) stored as a double.
; CHECK-LABEL: define void @nan_box(
; CHECK:      %d = bitcast i64 %t to double
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 2, ptr [[P]], align 1
; CHECK-NEXT: store double %d, ptr %a, align 8
; CHECK-NEXT: ret void
define void @nan_box(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %t = or i64 %i, -2251799813685248
  %d = bitcast i64 %t to double
  store double %d, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @low_tag(
; CHECK:      %t1 = or i64 %i, 1
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: store i64 %t1, ptr %a, align 8
; CHECK:      %t3 = or i64 %i, 3
; CHECK:      store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %t3, ptr %a, align 8
; CHECK-NOT:  call
; CHECK:      ret void
define void @low_tag(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %t1 = or i64 %i, 1
  store i64 %t1, ptr %a, align 8
  %t3 = or i64 %i, 3
  store i64 %t3, ptr %a, align 8
  ret void
}

; Both at once (a low tag under a high one) is still MASK.
; CHECK-LABEL: define void @both_tags(
; CHECK:      store i8 2, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %t, ptr %a, align 8
define void @both_tags(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %l = or i64 %i, 1
  %t = or i64 %l, -281474976710656
  store i64 %t, ptr %a, align 8
  ret void
}

; A kind known only at run time, shifted into the top byte.
; CHECK-LABEL: define void @runtime_tag(
; CHECK:      %t = or i64 %i, %s
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 2, ptr [[P]], align 1
; CHECK-NEXT: store i64 %t, ptr %a, align 8
define void @runtime_tag(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %k = load i64, ptr @kind, align 8
  %s = shl i64 %k, 56
  %t = or i64 %i, %s
  store i64 %t, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @tag_bits_only(
; CHECK:      %m = and i64 %t, 15
; CHECK:      store i8 8, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %m, ptr %a, align 8
define void @tag_bits_only(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %t = or i64 %i, 3
  %m = and i64 %t, 15
  store i64 %m, ptr %a, align 8
  ret void
}
