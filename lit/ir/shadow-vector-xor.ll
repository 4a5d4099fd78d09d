; An SLP-style <8 x i64> store of XOR-encoded words: a vector of integers is
; not a pointer, and eight lanes are more than the pass decodes one by one,
; so the granules are UNKNOWN (i64 0: scanned by their value, as a
; conservative scan would), never DATA and not RAW.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
declare ptr @malloc(i64)

; CHECK-LABEL: define void @vec_xor8(
; CHECK: store i64 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store <8 x i64> %v, ptr %a, align 8
define void @vec_xor8(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %pi = ptrtoint ptr %p to i64
  %x = xor i64 %pi, 3735928559
  %v0 = insertelement <8 x i64> poison, i64 %x, i64 0
  %v = shufflevector <8 x i64> %v0, <8 x i64> poison, <8 x i32> zeroinitializer
  store <8 x i64> %v, ptr %a, align 8
  ret void
}
