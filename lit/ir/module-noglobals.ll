; A module without writable globals or functions still registers, with num_globals 0, num_functions 0 and null tables.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
source_filename = "empty.c"

@k = constant i32 7

; CHECK: @[[DESC:__leakcc_module[.0-9]*]] = private constant { i32, i32, ptr, ptr, i64, ptr } { i32 5, i32 0, ptr @{{__leakcc_str[.0-9]*}}, ptr null, i64 0, ptr null }
; CHECK: define internal void @__leakcc_module_ctor()
; CHECK-NEXT: call void @__leakcc_register_module(ptr @[[DESC]])
