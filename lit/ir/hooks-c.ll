; Every C allocation function in LEAKCC_HOOKS is rewritten into its hook with the same arguments plus a site pointer.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare ptr @calloc(i64, i64)
declare ptr @realloc(ptr, i64)
declare ptr @reallocarray(ptr, i64, i64)
declare void @free(ptr)
declare ptr @strdup(ptr)
declare ptr @strndup(ptr, i64)
declare i32 @posix_memalign(ptr, i64, i64)
declare ptr @aligned_alloc(i64, i64)
declare ptr @memalign(i64, i64)
declare ptr @valloc(i64)
declare ptr @pvalloc(i64)

define void @all(ptr %s, ptr %out) {
; CHECK-LABEL: define void @all(
; CHECK-NEXT:    %m = call ptr @__leakcc_hook_malloc(i64 10, ptr @[[S1:__leakcc_site[.0-9]*]])
; CHECK-NEXT:    %c = call ptr @__leakcc_hook_calloc(i64 3, i64 4, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %r = call ptr @__leakcc_hook_realloc(ptr %m, i64 20, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %ra = call ptr @__leakcc_hook_reallocarray(ptr %r, i64 2, i64 8, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %d = call ptr @__leakcc_hook_strdup(ptr %s, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %nd = call ptr @__leakcc_hook_strndup(ptr %s, i64 2, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %pm = call i32 @__leakcc_hook_posix_memalign(ptr %out, i64 64, i64 100, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %aa = call ptr @__leakcc_hook_aligned_alloc(i64 64, i64 128, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %ma = call ptr @__leakcc_hook_memalign(i64 32, i64 5, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %va = call ptr @__leakcc_hook_valloc(i64 7, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    %pv = call ptr @__leakcc_hook_pvalloc(i64 9, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    call void @__leakcc_hook_free(ptr %ra, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT:    ret void
  %m = call ptr @malloc(i64 10)
  %c = call ptr @calloc(i64 3, i64 4)
  %r = call ptr @realloc(ptr %m, i64 20)
  %ra = call ptr @reallocarray(ptr %r, i64 2, i64 8)
  %d = call ptr @strdup(ptr %s)
  %nd = call ptr @strndup(ptr %s, i64 2)
  %pm = call i32 @posix_memalign(ptr %out, i64 64, i64 100)
  %aa = call ptr @aligned_alloc(i64 64, i64 128)
  %ma = call ptr @memalign(i64 32, i64 5)
  %va = call ptr @valloc(i64 7)
  %pv = call ptr @pvalloc(i64 9)
  call void @free(ptr %ra)
  ret void
}

; Each hook is declared with the original type plus a trailing ptr.
; CHECK-DAG: declare ptr @__leakcc_hook_malloc(i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_calloc(i64, i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_realloc(ptr, i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_reallocarray(ptr, i64, i64, ptr)
; CHECK-DAG: declare void @__leakcc_hook_free(ptr, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_strdup(ptr, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_strndup(ptr, i64, ptr)
; CHECK-DAG: declare i32 @__leakcc_hook_posix_memalign(ptr, i64, i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_aligned_alloc(i64, i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_memalign(i64, i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_valloc(i64, ptr)
; CHECK-DAG: declare ptr @__leakcc_hook_pvalloc(i64, ptr)
