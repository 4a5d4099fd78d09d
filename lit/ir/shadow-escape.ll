; Pointers handed to code that may not be instrumented (an external declaration, an indirect call) are reported to __leakcc_escape, guarded by a private per-callee `known` byte the runtime sets once it finds the callee in a registered module; stack slots, null, defined functions and libc functions that store no pointer (strlen, mbrtowc) are not reported; mbsrtowcs, which stores a source pointer, is.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare void @ext(ptr, ptr)
declare void @ext2(ptr)
declare i64 @strlen(ptr)
declare i64 @mbrtowc(ptr, ptr, i64, ptr)
declare i64 @mbsrtowcs(ptr, ptr, i64, ptr)
@g = global [16 x i8] zeroinitializer

; CHECK: @[[K1:__leakcc_known[.0-9]*]] = private global i8 0
; CHECK: @[[K2:__leakcc_known[.0-9]*]] = private global i8 0

define void @defined(ptr %p) {
  ret void
}

; CHECK-LABEL: define void @f(
; CHECK:      %s = alloca [16 x i8]
; CHECK-NEXT: [[KV:%.*]] = load i8, ptr @[[K1]], align 1
; CHECK-NEXT: [[UNKNOWN:%.*]] = icmp eq i8 [[KV]], 0
; CHECK-NEXT: br i1 [[UNKNOWN]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: call void @__leakcc_escape(ptr @[[K1]], ptr @ext, ptr %p)
; CHECK-NEXT: call void @__leakcc_escape(ptr @[[K1]], ptr @ext, ptr @g)
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: [[JOIN]]:
; CHECK-NEXT: call void @ext(ptr %p, ptr @g)
; A stack slot handed to the callee (an out-parameter) loses its DATA bits
; first (an unaligned one through the runtime), and the blocks it points to
; may be written through.
; CHECK-NEXT: call void @__leakcc_shadow_unknown(ptr %s, i64 16)
; CHECK-NEXT: call void @__leakcc_slot_escape(ptr %s, i64 16)
; CHECK-NEXT: call void @ext(ptr %s, ptr null)
; CHECK-NEXT: [[KV2:%.*]] = load i8, ptr @[[K2]], align 1
; CHECK-NEXT: [[UNKNOWN2:%.*]] = icmp eq i8 [[KV2]], 0
; CHECK-NEXT: br i1 [[UNKNOWN2]], label %[[THEN2:.*]], label %[[JOIN2:.*]], !prof
; CHECK: [[THEN2]]:
; CHECK-NEXT: call void @__leakcc_escape(ptr @[[K2]], ptr @ext2, ptr %p)
; CHECK-NEXT: br label %[[JOIN2]]
; CHECK: [[JOIN2]]:
; CHECK-NEXT: call void @ext2(ptr %p)
; CHECK-NEXT: %n = call i64 @strlen(ptr %p)
; CHECK-NEXT: call void @defined(ptr %p)
; An indirect call: the runtime is asked unless this site's last callee was
; found instrumented.
; CHECK-NEXT: [[LAST:%.*]] = load ptr, ptr @[[LC:__leakcc_last_callee[.0-9]*]], align 8
; CHECK-NEXT: [[NEW:%.*]] = icmp ne ptr [[LAST]], %fp
; CHECK-NEXT: br i1 [[NEW]], label %[[THEN3:.*]], label %[[JOIN3:.*]], !prof
; CHECK: [[THEN3]]:
; CHECK-NEXT: call void @__leakcc_escape_indirect(ptr @[[LC]], ptr %fp, ptr %p)
; CHECK-NEXT: br label %[[JOIN3]]
; CHECK: [[JOIN3]]:
; CHECK-NEXT: call void %fp(ptr %p)
; CHECK-NEXT: ret void
define void @f(ptr %fp) {
  %p = call ptr @malloc(i64 16)
  %s = alloca [16 x i8]
  call void @ext(ptr %p, ptr @g)
  call void @ext(ptr %s, ptr null)
  call void @ext2(ptr %p)
  %n = call i64 @strlen(ptr %p)
  call void @defined(ptr %p)
  call void %fp(ptr %p)
  ret void
}

; CHECK-LABEL: define void @wide(
; CHECK-NOT:  call void @__leakcc_escape(
; CHECK:      %n = call i64 @mbrtowc(ptr %w, ptr %p, i64 4, ptr %st)
; CHECK:      call void @__leakcc_escape(ptr @{{__leakcc_known[.0-9]*}}, ptr @mbsrtowcs, ptr %w)
; CHECK:      %m = call i64 @mbsrtowcs(
define void @wide(ptr %st) {
  %w = call ptr @malloc(i64 64)
  %p = call ptr @malloc(i64 16)
  %n = call i64 @mbrtowc(ptr %w, ptr %p, i64 4, ptr %st)
  %m = call i64 @mbsrtowcs(ptr %w, ptr %p, i64 4, ptr %st)
  ret void
}

; CHECK: declare void @__leakcc_escape(ptr, ptr, ptr) #[[NU:[0-9]+]]
; CHECK: attributes #[[NU]] = { nounwind }
