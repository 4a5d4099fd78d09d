; Every C++ operator new / new[] variant (plain, nothrow, aligned, aligned nothrow) is rewritten into its hook.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%"struct.std::nothrow_t" = type { i8 }
@_ZSt7nothrow = external global %"struct.std::nothrow_t", align 1

declare ptr @_Znwm(i64)
declare ptr @_Znam(i64)
declare ptr @_ZnwmRKSt9nothrow_t(i64, ptr)
declare ptr @_ZnamRKSt9nothrow_t(i64, ptr)
declare ptr @_ZnwmSt11align_val_t(i64, i64)
declare ptr @_ZnamSt11align_val_t(i64, i64)
declare ptr @_ZnwmSt11align_val_tRKSt9nothrow_t(i64, i64, ptr)
declare ptr @_ZnamSt11align_val_tRKSt9nothrow_t(i64, i64, ptr)

define void @news() {
; CHECK-LABEL: define void @news(
; CHECK-NEXT: %a = call noalias noundef nonnull ptr @__leakcc_hook__Znwm(i64 noundef 4, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %b = call noalias noundef nonnull ptr @__leakcc_hook__Znam(i64 noundef 40, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %c = call noalias ptr @__leakcc_hook__ZnwmRKSt9nothrow_t(i64 8, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %d = call noalias ptr @__leakcc_hook__ZnamRKSt9nothrow_t(i64 80, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %e = call noalias nonnull align 64 ptr @__leakcc_hook__ZnwmSt11align_val_t(i64 64, i64 64, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %f = call noalias nonnull align 64 ptr @__leakcc_hook__ZnamSt11align_val_t(i64 128, i64 64, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %g = call noalias ptr @__leakcc_hook__ZnwmSt11align_val_tRKSt9nothrow_t(i64 64, i64 64, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: %h = call noalias ptr @__leakcc_hook__ZnamSt11align_val_tRKSt9nothrow_t(i64 64, i64 64, ptr @_ZSt7nothrow, ptr @{{__leakcc_site[.0-9]*}})
; CHECK-NEXT: ret void
  %a = call noalias noundef nonnull ptr @_Znwm(i64 noundef 4) #0
  %b = call noalias noundef nonnull ptr @_Znam(i64 noundef 40) #0
  %c = call noalias ptr @_ZnwmRKSt9nothrow_t(i64 8, ptr @_ZSt7nothrow)
  %d = call noalias ptr @_ZnamRKSt9nothrow_t(i64 80, ptr @_ZSt7nothrow)
  %e = call noalias nonnull align 64 ptr @_ZnwmSt11align_val_t(i64 64, i64 64) #0
  %f = call noalias nonnull align 64 ptr @_ZnamSt11align_val_t(i64 128, i64 64) #0
  %g = call noalias ptr @_ZnwmSt11align_val_tRKSt9nothrow_t(i64 64, i64 64, ptr @_ZSt7nothrow)
  %h = call noalias ptr @_ZnamSt11align_val_tRKSt9nothrow_t(i64 64, i64 64, ptr @_ZSt7nothrow)
  ret void
}

; The `builtin` call-site attribute (it lets the optimizer delete new/delete
; pairs) does not survive on the hook call.
; CHECK-NOT: builtin
attributes #0 = { builtin }
