; Functions that now call a hook lose memory(...), nosync and speculatable; functions without hook calls keep them.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64) #1

; CHECK: define ptr @alloc() #[[A:[0-9]+]]
define ptr @alloc() #0 {
  %p = call ptr @malloc(i64 4)
  ret ptr %p
}

; CHECK: define i32 @pure() #[[B:[0-9]+]]
define i32 @pure() #0 {
  ret i32 1
}

; CHECK: attributes #[[A]] = { nounwind willreturn }
; CHECK: attributes #[[B]] = { nosync nounwind speculatable willreturn memory(inaccessiblemem: readwrite) }
attributes #0 = { nounwind willreturn nosync speculatable memory(inaccessiblemem: readwrite) }
attributes #1 = { nounwind }
