; An invoke of operator new becomes an invoke of its hook with the same normal and unwind edges and return attributes.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @_Znwm(i64)
declare void @_ZdlPv(ptr)
declare i32 @__gxx_personality_v0(...)
declare void @may_throw(ptr)

define ptr @f(ptr %old) personality ptr @__gxx_personality_v0 {
; CHECK-LABEL: define ptr @f(ptr %old)
; CHECK:      %p = invoke noalias noundef nonnull ptr @__leakcc_hook__Znwm(i64 noundef 16, ptr @[[S1:__leakcc_site[.0-9]*]])
; CHECK-NEXT:   to label %ok unwind label %lpad
; CHECK:      ok:
; may_throw is not known to be instrumented: %p escapes to it.
; CHECK:      call void @__leakcc_escape(ptr @__leakcc_known, ptr @may_throw, ptr %p)
; CHECK:      invoke void @may_throw(ptr %p)
; CHECK:      lpad:
; CHECK-NEXT: %lp = landingpad { ptr, i32 }
; CHECK:      invoke void @__leakcc_hook__ZdlPv(ptr %old, ptr @[[S2:__leakcc_site[.0-9]*]])
; CHECK-NEXT:   to label %resume unwind label %terminate
; CHECK:      resume:
; CHECK-NEXT: resume { ptr, i32 } %lp
entry:
  %p = invoke noalias noundef nonnull ptr @_Znwm(i64 noundef 16)
          to label %ok unwind label %lpad
ok:
  invoke void @may_throw(ptr %p)
          to label %done unwind label %lpad
done:
  ret ptr %p
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  invoke void @_ZdlPv(ptr %old)
          to label %resume unwind label %terminate
resume:
  resume { ptr, i32 } %lp
terminate:
  %lp2 = landingpad { ptr, i32 } catch ptr null
  unreachable
}
