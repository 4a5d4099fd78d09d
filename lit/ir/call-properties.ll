; The hook call keeps the original call's calling convention, tail-call kind, operand bundles, metadata and debug location.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare void @free(ptr)

define ptr @f(i64 %n) !dbg !5 {
; CHECK-LABEL: define ptr @f(
; CHECK:      %p = tail call noalias ptr @__leakcc_hook_malloc(i64 %n, ptr @{{__leakcc_site[.0-9]*}}) [ "tag"(i64 %n) ]{{.*}}, !dbg ![[LOC:[0-9]+]]{{.*}}, !prof ![[PROF:[0-9]+]]
; CHECK-NEXT: notail call void @__leakcc_hook_free(ptr %p, ptr @{{__leakcc_site[.0-9]*}}), !dbg ![[LOC]]
; CHECK-NEXT: %q = call coldcc ptr @__leakcc_hook_malloc(i64 1, ptr @{{__leakcc_site[.0-9]*}})
  %p = tail call noalias ptr @malloc(i64 %n) [ "tag"(i64 %n) ], !prof !9, !dbg !8
  notail call void @free(ptr %p), !dbg !8
  %q = call coldcc ptr @malloc(i64 1)
  ret ptr %q
}

; CHECK-DAG: ![[PROF]] = !{!"branch_weights", i32 7}
; CHECK-DAG: ![[LOC]] = !DILocation(line: 3, column: 7,

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "test", isOptimized: false, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "p.c", directory: "/d")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !{i32 7, !"Dwarf Version", i32 5}
!5 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 1, type: !6, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 3, column: 7, scope: !5)
!9 = !{!"branch_weights", i32 7}
