; A struct passed byval is copied by the call sequence, which writes no shadow: the caller puts {BYVAL ^ size, source, null, BYVAL} in the argument's slot (BYVAL = 0xb7a1b7a1b7a10000, here ^ 24) and clears its value after the call; the callee, finding exactly that at entry, clears it and copies the source's shadow onto its copy.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%big = type { ptr, ptr, ptr }
@g = global %big zeroinitializer
@out = global ptr null

; CHECK-LABEL: define void @take(
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 4
; CHECK-NEXT: [[VAL:%.*]] = load i64, ptr [[F0]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 7
; CHECK-NEXT: [[KIND:%.*]] = load i64, ptr [[F3]], align 8
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 5
; CHECK-NEXT: [[SRC:%.*]] = load ptr, ptr [[F1]], align 8
; CHECK-NEXT: [[ISK:%.*]] = icmp eq i64 [[KIND]], -5214684988319924224
; CHECK-NEXT: [[ISV:%.*]] = icmp eq i64 [[VAL]], -5214684988319924200
; CHECK-NEXT: [[OK:%.*]] = and i1 [[ISV]], [[ISK]]
; CHECK-NEXT: br i1 [[OK]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: [[C:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F:%.*]] = getelementptr inbounds i64, ptr [[C]], i64 4
; CHECK-NEXT: store i64 0, ptr [[F]], align 8
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %s, ptr [[SRC]], i64 24)
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: [[JOIN]]:
; CHECK-NEXT: %f = load ptr, ptr %s, align 8
define void @take(ptr byval(%big) align 8 %s) {
  %f = load ptr, ptr %s, align 8
  store ptr %f, ptr @out, align 8
  ret void
}

; CHECK-LABEL: define void @give(
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 4
; CHECK-NEXT: store i64 -5214684988319924200, ptr [[F0]], align 8
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 5
; CHECK-NEXT: store ptr @g, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 6
; CHECK-NEXT: store ptr null, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 7
; CHECK-NEXT: store i64 -5214684988319924224, ptr [[F3]], align 8
; CHECK-NEXT: call void @take(ptr byval(%big) align 8 @g)
; CHECK-NEXT: [[D0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[G0:%.*]] = getelementptr inbounds i64, ptr [[D0]], i64 4
; CHECK-NEXT: store i64 0, ptr [[G0]], align 8
; CHECK-NEXT: ret void
define void @give() {
  call void @take(ptr byval(%big) align 8 @g)
  ret void
}
