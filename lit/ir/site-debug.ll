; With debug info the site descriptor holds the file as written, line, column and the demangled function (the inlined callee's for inlined code); file strings are shared.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; One string per distinct file, shared by all sites in it.
; CHECK:     @[[FILE:__leakcc_str[.0-9]*]] = private unnamed_addr constant [10 x i8] c"src/x.cpp\00", align 1
; CHECK-NOT: c"src/x.cpp\00"
; CHECK:     @[[FN:__leakcc_str[.0-9]*]] = private unnamed_addr constant [24 x i8] c"ns::Box::make(int, int)\00", align 1
; CHECK:     @[[S1:__leakcc_site[.0-9]*]] = private constant { ptr, ptr, i32, i32 } { ptr @[[FILE]], ptr @[[FN]], i32 12, i32 9 }, align 8
; CHECK-NOT: c"src/x.cpp\00"
; CHECK:     @[[S2:__leakcc_site[.0-9]*]] = private constant { ptr, ptr, i32, i32 } { ptr @[[FILE]], ptr @[[FN]], i32 13, i32 3 }, align 8
; The call inlined from helper() reports helper at its own line.
; CHECK:     @[[HFILE:__leakcc_str[.0-9]*]] = private unnamed_addr constant [8 x i8] c"inc/h.h\00", align 1
; CHECK:     @[[HFN:__leakcc_str[.0-9]*]] = private unnamed_addr constant [13 x i8] c"helper(long)\00", align 1
; CHECK:     @[[S3:__leakcc_site[.0-9]*]] = private constant { ptr, ptr, i32, i32 } { ptr @[[HFILE]], ptr @[[HFN]], i32 40, i32 10 }, align 8

declare ptr @_Znwm(i64)
declare void @_ZdlPv(ptr)

; CHECK-LABEL: define ptr @_ZN2ns3Box4makeEii(
; CHECK: call ptr @__leakcc_hook__Znwm(i64 8, ptr @[[S1]]), !dbg
; CHECK: call void @__leakcc_hook__ZdlPv(ptr %a, ptr @[[S2]]), !dbg
; CHECK: call ptr @__leakcc_hook__Znwm(i64 4, ptr @[[S3]]), !dbg
define ptr @_ZN2ns3Box4makeEii(i32 %x, i32 %y) !dbg !5 {
  %a = call ptr @_Znwm(i64 8), !dbg !8
  call void @_ZdlPv(ptr %a), !dbg !9
  %b = call ptr @_Znwm(i64 4), !dbg !12
  ret ptr %b
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "test", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "src/x.cpp", directory: "/build")
!2 = !DIFile(filename: "inc/h.h", directory: "/build")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "make", scope: !1, file: !1, line: 10, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 12, column: 9, scope: !5)
!9 = !DILocation(line: 13, column: 3, scope: !5)
!10 = distinct !DISubprogram(name: "helper", linkageName: "_Z6helperl", scope: !2, file: !2, line: 39, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!11 = !DILocation(line: 14, column: 5, scope: !5)
!12 = !DILocation(line: 40, column: 10, scope: !10, inlinedAt: !11)
