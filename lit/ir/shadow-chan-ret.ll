; A return value's provenance crosses the call through channel slot 0 (TLS @__leakcc_chan, i64 words value/base/base2/kind at indices 0-3): the callee fills it before `ret`; the caller clears the value before the call, reads the slot right after it and believes it only if the value matches the result (and is not 0).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; CHECK: @__leakcc_chan = external thread_local(initialexec) externally_initialized global [40 x i64]

; {value %t, base %p, base2 null, kind XOR}
; CHECK-LABEL: define i64 @encode(
; CHECK:      %t = xor i64 %i, 3735928559
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 0
; CHECK-NEXT: store i64 %t, ptr [[F0]], align 8
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 1
; CHECK-NEXT: store ptr %p, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 2
; CHECK-NEXT: store ptr null, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 3
; CHECK-NEXT: store i64 3, ptr [[F3]], align 8
; CHECK-NEXT: ret i64 %t
define i64 @encode(ptr %p) {
  %i = ptrtoint ptr %p to i64
  %t = xor i64 %i, 3735928559
  ret i64 %t
}

; A plain pointer is what a reader assumes anyway: nothing is written.
; CHECK-LABEL: define ptr @make(
; CHECK:      %p = call ptr @__leakcc_hook_malloc(
; CHECK:      ret ptr %p
define ptr @make() {
  %p = call ptr @malloc(i64 16)
  ret ptr %p
}

; A call's result returned unchanged: the inner callee has filled slot 0.
; CHECK-LABEL: define i64 @forward(
; CHECK-NEXT: %t = call i64 @encode(ptr %p)
; CHECK-NEXT: ret i64 %t
define i64 @forward(ptr %p) {
  %t = call i64 @encode(ptr %p)
  ret i64 %t
}

; The stored result: UNKNOWN (DATA if the channel says so), then a side entry with the slot's bases and kind
; (how = kind << 8 | 8) when the slot matched.
; CHECK-LABEL: define void @caller(
; CHECK:      [[CC:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[CF:%.*]] = getelementptr inbounds i64, ptr [[CC]], i64 0
; CHECK-NEXT: store i64 0, ptr [[CF]], align 8
; CHECK-NEXT: %t = call i64 @encode(ptr %p)
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 0
; CHECK-NEXT: [[VAL:%.*]] = load i64, ptr [[F0]], align 8
; CHECK-NEXT: [[NZ:%.*]] = icmp ne i64 %t, 0
; CHECK-NEXT: [[EQ:%.*]] = icmp eq i64 [[VAL]], %t
; CHECK-NEXT: [[OK:%.*]] = and i1 [[EQ]], [[NZ]]
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 1
; CHECK-NEXT: [[B0:%.*]] = load ptr, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 2
; CHECK-NEXT: [[B1:%.*]] = load ptr, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 3
; CHECK-NEXT: [[KIND:%.*]] = load i64, ptr [[F3]], align 8
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[ISD:%.*]] = icmp eq i64 [[KIND]], 9
; CHECK-NEXT: [[D:%.*]] = and i1 [[OK]], [[ISD]]
; CHECK-NEXT: [[SH:%.*]] = select i1 [[D]], i8 8, i8 0
; CHECK-NEXT: store i8 [[SH]], ptr [[P]], align 1
; CHECK-NEXT: [[ND:%.*]] = xor i1 [[D]], true
; CHECK-NEXT: [[OKE:%.*]] = and i1 [[OK]], [[ND]]
; CHECK-NEXT: br i1 [[OKE]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: [[K8:%.*]] = shl i64 [[KIND]], 8
; CHECK-NEXT: [[HOW:%.*]] = or i64 [[K8]], 8
; CHECK-NEXT: [[SB0:%.*]] = select i1 [[OK]], ptr [[B0]], ptr null
; CHECK-NEXT: [[SB1:%.*]] = select i1 [[OK]], ptr [[B1]], ptr null
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %a, i64 %t, i64 [[HOW]], ptr [[SB0]], ptr [[SB1]])
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: [[JOIN]]:
; CHECK-NEXT: store i64 %t, ptr %a, align 8
define void @caller(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %t = call i64 @encode(ptr %p)
  store i64 %t, ptr %a, align 8
  ret void
}
