; A struct returned in two registers: its first word's provenance goes in channel slot 0 (words 0-3), its second word's in slot 8 (words 32-35); a caller storing the second field reads slot 8 right after the call.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; A pointer split into halves, returned as { lo, hi }: both PART (kind 5).
; CHECK-LABEL: define { i64, i64 } @halves(
; CHECK:      [[LO:%.*]] = extractvalue { i64, i64 } %r1, 0
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 0
; CHECK-NEXT: store i64 [[LO]], ptr [[F0]], align 8
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 1
; CHECK-NEXT: store ptr %p, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 2
; CHECK-NEXT: store ptr null, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 3
; CHECK-NEXT: store i64 5, ptr [[F3]], align 8
; CHECK-NEXT: [[HI:%.*]] = extractvalue { i64, i64 } %r1, 1
; CHECK-NEXT: [[D0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[G0:%.*]] = getelementptr inbounds i64, ptr [[D0]], i64 32
; CHECK-NEXT: store i64 [[HI]], ptr [[G0]], align 8
; CHECK-NEXT: [[D1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[G1:%.*]] = getelementptr inbounds i64, ptr [[D1]], i64 33
; CHECK-NEXT: store ptr %p, ptr [[G1]], align 8
; CHECK-NEXT: [[D2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[G2:%.*]] = getelementptr inbounds i64, ptr [[D2]], i64 34
; CHECK-NEXT: store ptr null, ptr [[G2]], align 8
; CHECK-NEXT: [[D3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[G3:%.*]] = getelementptr inbounds i64, ptr [[D3]], i64 35
; CHECK-NEXT: store i64 5, ptr [[G3]], align 8
; CHECK-NEXT: ret { i64, i64 } %r1
define { i64, i64 } @halves() {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %lo = and i64 %i, 4294967295
  %hi = lshr i64 %i, 32
  %r0 = insertvalue { i64, i64 } undef, i64 %lo, 0
  %r1 = insertvalue { i64, i64 } %r0, i64 %hi, 1
  ret { i64, i64 } %r1
}

; CHECK-LABEL: define void @store_high(
; CHECK:      %r = call { i64, i64 } @halves()
; CHECK-NEXT: [[GOT:%.*]] = extractvalue { i64, i64 } %r, 1
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 32
; CHECK-NEXT: [[VAL:%.*]] = load i64, ptr [[F0]], align 8
; CHECK-NEXT: [[NZ:%.*]] = icmp ne i64 [[GOT]], 0
; CHECK-NEXT: [[EQ:%.*]] = icmp eq i64 [[VAL]], [[GOT]]
; CHECK-NEXT: [[OK:%.*]] = and i1 [[EQ]], [[NZ]]
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 33
; CHECK-NEXT: [[B0:%.*]] = load ptr, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 34
; CHECK-NEXT: [[B1:%.*]] = load ptr, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 35
; CHECK-NEXT: [[KIND:%.*]] = load i64, ptr [[F3]], align 8
; CHECK-NEXT: %hi = extractvalue { i64, i64 } %r, 1
; CHECK:      [[SH:%.*]] = select i1 %{{.*}}, i8 8, i8 0
; CHECK-NEXT: store i8 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: xor i1
; CHECK-NEXT: [[OKE:%.*]] = and i1 [[OK]],
; CHECK-NEXT: br i1 [[OKE]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: [[K8:%.*]] = shl i64 [[KIND]], 8
; CHECK-NEXT: [[HOW:%.*]] = or i64 [[K8]], 8
; CHECK-NEXT: [[SB0:%.*]] = select i1 [[OK]], ptr [[B0]], ptr null
; CHECK-NEXT: [[SB1:%.*]] = select i1 [[OK]], ptr [[B1]], ptr null
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %hi, i64 [[HOW]], ptr [[SB0]], ptr [[SB1]])
; CHECK: [[JOIN]]:
; CHECK-NEXT: store i64 %hi, ptr %a, align 8
define void @store_high(ptr %a) {
  %r = call { i64, i64 } @halves()
  %hi = extractvalue { i64, i64 } %r, 1
  store i64 %hi, ptr %a, align 8
  ret void
}
