; Argument i's provenance crosses the call through channel slot 1 + i (i64 words 4(1+i) .. 4(1+i)+3 of @__leakcc_chan): the caller fills it before the call unless the argument is a plain pointer; the callee reads it once at entry, after its allocas, and uses the bases only when the slot's value equals the argument.
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; An integer argument (slot 2: words 8-11): UNKNOWN (DATA when the channel says plain data), and a side entry with
; the slot's bases and kind when it matched.
; CHECK-LABEL: define void @put(
; CHECK-NEXT: %local = alloca i64
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 8
; CHECK-NEXT: [[VAL:%.*]] = load i64, ptr [[F0]], align 8
; CHECK-NEXT: [[NZ:%.*]] = icmp ne i64 %v, 0
; CHECK-NEXT: [[EQ:%.*]] = icmp eq i64 [[VAL]], %v
; CHECK-NEXT: [[OK:%.*]] = and i1 [[EQ]], [[NZ]]
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 9
; CHECK-NEXT: [[B0:%.*]] = load ptr, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 10
; CHECK-NEXT: [[B1:%.*]] = load ptr, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 11
; CHECK-NEXT: [[KIND:%.*]] = load i64, ptr [[F3]], align 8
; CHECK-NEXT: store i64 0, ptr %local
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %slot to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; An integer the channel calls plain data (kind 9, a hash) is DATA; else
; it is scanned by its value (UNKNOWN) unless the entry says more.
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
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_store(ptr %slot, i64 %v, i64 [[HOW]], ptr [[SB0]], ptr [[SB1]])
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: [[JOIN]]:
; CHECK-NEXT: store i64 %v, ptr %slot, align 8
define void @put(ptr %slot, i64 %v) {
  %local = alloca i64
  store i64 0, ptr %local
  store i64 %v, ptr %slot, align 8
  ret void
}

; A pointer argument is RAW unless its slot says more (here: below its block).
; CHECK-LABEL: define void @put_ptr(
; CHECK:      [[F0:%.*]] = getelementptr inbounds i64, ptr {{%.*}}, i64 8
; CHECK-NEXT: [[VAL:%.*]] = load i64, ptr [[F0]], align 8
; CHECK-NEXT: [[QI:%.*]] = ptrtoint ptr %q to i64
; CHECK-NEXT: [[NZ:%.*]] = icmp ne i64 [[QI]], 0
; CHECK-NEXT: [[EQ:%.*]] = icmp eq i64 [[VAL]], [[QI]]
; CHECK-NEXT: [[OK:%.*]] = and i1 [[EQ]], [[NZ]]
; CHECK:      store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: br i1 [[OK]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK:      call preserve_mostcc void @__leakcc_side_store(ptr %slot, i64 %{{.*}}, i64 %{{.*}}, ptr %{{.*}}, ptr %{{.*}})
; CHECK: [[JOIN]]:
; CHECK-NEXT: store ptr %q, ptr %slot, align 8
define void @put_ptr(ptr %slot, ptr %q) {
  store ptr %q, ptr %slot, align 8
  ret void
}

; The caller fills the second argument's slot: {%t, %p, null, XOR} and
; {%m, %p, null, BELOW}; a plain pointer argument needs nothing.
; CHECK-LABEL: define void @caller(
; CHECK:      %t = xor i64 %i, 3735928559
; CHECK-NEXT: [[C0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F0:%.*]] = getelementptr inbounds i64, ptr [[C0]], i64 8
; CHECK-NEXT: store i64 %t, ptr [[F0]], align 8
; CHECK-NEXT: [[C1:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F1:%.*]] = getelementptr inbounds i64, ptr [[C1]], i64 9
; CHECK-NEXT: store ptr %p, ptr [[F1]], align 8
; CHECK-NEXT: [[C2:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F2:%.*]] = getelementptr inbounds i64, ptr [[C2]], i64 10
; CHECK-NEXT: store ptr null, ptr [[F2]], align 8
; CHECK-NEXT: [[C3:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[F3:%.*]] = getelementptr inbounds i64, ptr [[C3]], i64 11
; CHECK-NEXT: store i64 3, ptr [[F3]], align 8
; CHECK-NEXT: call void @put(ptr %a, i64 %t)
; CHECK-NEXT: %m = getelementptr i8, ptr %p, i64 -8
; CHECK-NEXT: [[MI:%.*]] = ptrtoint ptr %m to i64
; CHECK-NEXT: [[D0:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[G0:%.*]] = getelementptr inbounds i64, ptr [[D0]], i64 8
; CHECK-NEXT: store i64 [[MI]], ptr [[G0]], align 8
; CHECK:      store ptr %p, ptr %{{.*}}, align 8
; CHECK:      store ptr null, ptr %{{.*}}, align 8
; CHECK:      [[G3:%.*]] = getelementptr inbounds i64, ptr {{%.*}}, i64 11
; CHECK-NEXT: store i64 4, ptr [[G3]], align 8
; CHECK-NEXT: call void @put_ptr(ptr %a, ptr %m)
; CHECK-NEXT: call void @put_ptr(ptr %a, ptr %p)
; CHECK-NEXT: ret void
define void @caller(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %t = xor i64 %i, 3735928559
  call void @put(ptr %a, i64 %t)
  %m = getelementptr i8, ptr %p, i64 -8
  call void @put_ptr(ptr %a, ptr %m)
  call void @put_ptr(ptr %a, ptr %p)
  ret void
}

; A shifted argument: the transform's kind (PART, 5), unless the slot says
; the argument is an offset (2), which a shift leaves an offset: a length
; passed on (jq's `length << 1`) still gets no entry when both of its
; pointers lie in one block.
; CHECK-LABEL: define void @put_shifted(
; CHECK:      getelementptr inbounds i64, ptr {{.*}}, i64 11
; CHECK-NEXT: [[KIND:%.*]] = load i64, ptr
; CHECK:      [[ISOFF:%.*]] = icmp eq i64 [[KIND]], 2
; CHECK-NEXT: [[K:%.*]] = select i1 [[ISOFF]], i64 [[KIND]], i64 5
; CHECK-NEXT: [[K8:%.*]] = shl i64 [[K]], 8
; CHECK-NEXT: [[HOW:%.*]] = or i64 [[K8]], 4
; CHECK:      call preserve_mostcc void @__leakcc_side_store(ptr %slot, i64 {{.*}}, i64 [[HOW]],
define void @put_shifted(ptr %slot, i32 %n) {
  %s = shl i32 %n, 1
  store i32 %s, ptr %slot, align 4
  ret void
}
