; Without debug info the site has a null file, line and column 0, and still the demangled name of the enclosing function.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @[[CFN:__leakcc_str[.0-9]*]] = private unnamed_addr constant [6 x i8] c"plain\00", align 1
; CHECK: @[[S1:__leakcc_site[.0-9]*]] = private constant { ptr, ptr, i32, i32 } { ptr null, ptr @[[CFN]], i32 0, i32 0 }, align 8
; CHECK: @[[XFN:__leakcc_str[.0-9]*]] = private unnamed_addr constant [38 x i8] c"std::vector<int>::grow(unsigned long)\00", align 1
; CHECK: @[[S2:__leakcc_site[.0-9]*]] = private constant { ptr, ptr, i32, i32 } { ptr null, ptr @[[XFN]], i32 0, i32 0 }, align 8

declare ptr @malloc(i64)

; CHECK-LABEL: define ptr @plain()
; CHECK:      call ptr @__leakcc_hook_malloc(i64 1, ptr @[[S1]])
define ptr @plain() {
  %p = call ptr @malloc(i64 1)
  ret ptr %p
}

; CHECK-LABEL: define linkonce_odr ptr @_ZNSt6vectorIiE4growEm(
; CHECK:      call ptr @__leakcc_hook_malloc(i64 %n, ptr @[[S2]])
define linkonce_odr ptr @_ZNSt6vectorIiE4growEm(ptr %this, i64 %n) {
  %p = call ptr @malloc(i64 %n)
  ret ptr %p
}
