; Every C++ operator delete / delete[] variant (plain, sized, aligned, sized+aligned, nothrow) is rewritten into its hook.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@_ZSt7nothrow = external global i8

declare void @_ZdlPv(ptr)
declare void @_ZdaPv(ptr)
declare void @_ZdlPvm(ptr, i64)
declare void @_ZdaPvm(ptr, i64)
declare void @_ZdlPvSt11align_val_t(ptr, i64)
declare void @_ZdaPvSt11align_val_t(ptr, i64)
declare void @_ZdlPvmSt11align_val_t(ptr, i64, i64)
declare void @_ZdaPvmSt11align_val_t(ptr, i64, i64)
declare void @_ZdlPvRKSt9nothrow_t(ptr, ptr)
declare void @_ZdaPvRKSt9nothrow_t(ptr, ptr)
declare void @_ZdlPvSt11align_val_tRKSt9nothrow_t(ptr, i64, ptr)
declare void @_ZdaPvSt11align_val_tRKSt9nothrow_t(ptr, i64, ptr)

define void @deletes(ptr %p) {
; CHECK-LABEL: define void @deletes(
; CHECK-NEXT: call void @__leakcc_hook__ZdlPv(ptr noundef %p, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdaPv(ptr %p, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdlPvm(ptr %p, i64 16, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdaPvm(ptr %p, i64 16, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdlPvSt11align_val_t(ptr %p, i64 64, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdaPvSt11align_val_t(ptr %p, i64 64, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdlPvmSt11align_val_t(ptr %p, i64 64, i64 64, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdaPvmSt11align_val_t(ptr %p, i64 128, i64 64, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdlPvRKSt9nothrow_t(ptr %p, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdaPvRKSt9nothrow_t(ptr %p, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdlPvSt11align_val_tRKSt9nothrow_t(ptr %p, i64 64, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: call void @__leakcc_hook__ZdaPvSt11align_val_tRKSt9nothrow_t(ptr %p, i64 64, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: ret void
  call void @_ZdlPv(ptr noundef %p)
  call void @_ZdaPv(ptr %p)
  call void @_ZdlPvm(ptr %p, i64 16)
  call void @_ZdaPvm(ptr %p, i64 16)
  call void @_ZdlPvSt11align_val_t(ptr %p, i64 64)
  call void @_ZdaPvSt11align_val_t(ptr %p, i64 64)
  call void @_ZdlPvmSt11align_val_t(ptr %p, i64 64, i64 64)
  call void @_ZdaPvmSt11align_val_t(ptr %p, i64 128, i64 64)
  call void @_ZdlPvRKSt9nothrow_t(ptr %p, ptr @_ZSt7nothrow)
  call void @_ZdaPvRKSt9nothrow_t(ptr %p, ptr @_ZSt7nothrow)
  call void @_ZdlPvSt11align_val_tRKSt9nothrow_t(ptr %p, i64 64, ptr @_ZSt7nothrow)
  call void @_ZdaPvSt11align_val_tRKSt9nothrow_t(ptr %p, i64 64, ptr @_ZSt7nothrow)
  ret void
}

; CHECK-DAG: declare void @__leakcc_hook__ZdlPv(ptr, ptr)
; CHECK-DAG: declare void @__leakcc_hook__ZdaPvmSt11align_val_t(ptr, i64, i64, ptr)
; CHECK-DAG: declare void @__leakcc_hook__ZdaPvSt11align_val_tRKSt9nothrow_t(ptr, i64, ptr, ptr)
