; The module constructor (priority 1) registers a descriptor listing every defined writable global with its size,
; and the externally visible function definitions (the code that keeps shadow up to date), and nothing else.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
source_filename = "dir/globals.c"

@counter = global i32 0
@ptrs = internal global [10 x ptr] zeroinitializer
@big = common global { i64, [3 x i16] } zeroinitializer
@weakling = weak global ptr null
@table = constant [4 x i32] [i32 1, i32 2, i32 3, i32 4]
@str = private unnamed_addr constant [3 x i8] c"hi\00"
@tls = thread_local global ptr null
@ext = external global ptr
@avail = available_externally global i32 3
@llvm.used = appending global [1 x ptr] [ptr @counter], section "llvm.metadata"

define void @visible() {
  ret void
}
define internal void @hidden() {
  ret void
}
define linkonce_odr void @inline_fn() {
  ret void
}
declare void @elsewhere()

; CHECK-DAG: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @__leakcc_module_ctor, ptr null }]
; CHECK-DAG: @[[NAME:__leakcc_str[.0-9]*]] = private unnamed_addr constant [14 x i8] c"dir/globals.c\00"
; CHECK-DAG: @[[GLOBALS:__leakcc_globals[.0-9]*]] = private constant [4 x { ptr, i64 }] [{ ptr, i64 } { ptr @counter, i64 4 }, { ptr, i64 } { ptr @ptrs, i64 80 }, { ptr, i64 } { ptr @big, i64 16 }, { ptr, i64 } { ptr @weakling, i64 8 }], align 8
; CHECK-DAG: @[[FUNCS:__leakcc_functions[.0-9]*]] = private constant [3 x ptr] [ptr @visible, ptr @inline_fn, ptr @read], align 8
; CHECK-DAG: @[[DESC:__leakcc_module[.0-9]*]] = private constant { i32, i32, ptr, ptr, i64, ptr } { i32 5, i32 4, ptr @[[NAME]], ptr @[[GLOBALS]], i64 3, ptr @[[FUNCS]] }, align 8

; No hooks are needed here, the module registers anyway.
; CHECK-NOT: __leakcc_hook
; CHECK: declare void @__leakcc_register_module(ptr)
; CHECK: define internal void @__leakcc_module_ctor() #[[ATTR:[0-9]+]] {
; CHECK-NEXT: call void @__leakcc_register_module(ptr @[[DESC]])
; CHECK-NEXT: ret void
; CHECK: attributes #[[ATTR]] = { nounwind }
; CHECK: !leakcc.instrumented = !{![[MD:[0-9]+]]}
; CHECK: ![[MD]] = !{}

define i32 @read() {
  %v = load i32, ptr @counter
  ret i32 %v
}
