; Calls of the libc functions memcpy, memmove and memset by name (clang -fno-builtin emits them instead of the intrinsics) update shadow as the intrinsics do, and are not reported as escapes.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @memcpy(ptr, ptr, i64)
declare ptr @memmove(ptr, ptr, i64)
declare ptr @memset(ptr, i32, i64)

; CHECK-LABEL: define void @copy(
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: %r = call ptr @memcpy(ptr %d, ptr %s, i64 %n) #[[NB:[0-9]+]]
; CHECK-NEXT: ret void
define void @copy(ptr %d, ptr %s, i64 %n) {
  %r = call ptr @memcpy(ptr %d, ptr %s, i64 %n) #0
  ret void
}

; CHECK-LABEL: define void @move(
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %d, ptr %s, i64 16)
; CHECK-NEXT: %r = call ptr @memmove(ptr %d, ptr %s, i64 16) #[[NB]]
; CHECK-NEXT: ret void
define void @move(ptr %d, ptr %s) {
  %r = call ptr @memmove(ptr %d, ptr %s, i64 16) #0
  ret void
}

; CHECK-LABEL: define void @clear(
; CHECK-NEXT: call void @__leakcc_shadow_clear(ptr %d, i64 %n)
; CHECK-NEXT: %r = call ptr @memset(ptr %d, i32 0, i64 %n) #[[NB]]
; CHECK-NEXT: ret void
define void @clear(ptr %d, i64 %n) {
  %r = call ptr @memset(ptr %d, i32 0, i64 %n) #0
  ret void
}

; With known alignment and a small constant size: the inline shadow copy.
; CHECK-LABEL: define void @copy_small(
; CHECK:      [[SH:%.*]] = load i16, ptr %{{.*}}, align 1
; CHECK:      call void @__leakcc_shadow_copy(ptr %d, ptr %s, i64 16)
; CHECK:      store i16 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: %r = call ptr @memcpy(ptr align 8 %d, ptr align 8 %s, i64 16) #[[NB]]
define void @copy_small(ptr %d, ptr %s) {
  %r = call ptr @memcpy(ptr align 8 %d, ptr align 8 %s, i64 16) #0
  ret void
}

; CHECK-NOT: @__leakcc_escape
; CHECK: attributes #[[NB]] = { nobuiltin }
attributes #0 = { nobuiltin }
