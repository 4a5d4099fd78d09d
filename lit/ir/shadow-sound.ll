; The soundness rule in the pass (issue 9): what it cannot classify is UNKNOWN (0), never DATA (8); memory that inline asm, masked stores and va_start write without shadow, and stack slots handed to a possibly uninstrumented callee, lose their DATA records; exit and main set the exit-time stack floor; a pointer returned to a caller that is not instrumented escapes (the caller token).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare void @exit(i32)
declare i64 @strtol(ptr, ptr, i32)
declare void @llvm.va_start.p0(ptr)
declare void @llvm.va_end.p0(ptr)
declare void @llvm.masked.store.v2i64.p0(<2 x i64>, ptr, i32, <2 x i1>)

; Inline asm writes its memory operands (their granules lose DATA, keeping
; only the SIDE bit), with a "memory" clobber anything reachable from its
; pointer operands, and no memory through a register operand.
; CHECK-LABEL: define void @asm_store(
; CHECK-NOT: __leakcc_unknown_write
; CHECK: and i8 %{{.*}}, 4
; CHECK: and i8 %{{.*}}, 4
; CHECK-NOT: __leakcc_unknown_write
; CHECK: call void asm sideeffect "movq
define void @asm_store(ptr %h, ptr %q) {
  call void asm sideeffect "movq $1, $0", "=*m,r"(ptr elementtype(ptr) %h, ptr %q)
  ret void
}

; CHECK-LABEL: define void @asm_clobber(
; CHECK-NEXT: call void @__leakcc_unknown_write(ptr %h)
; CHECK-NEXT: call void @__leakcc_unknown_write(ptr %q)
; CHECK-NEXT: call void asm sideeffect
define void @asm_clobber(ptr %h, ptr %q) {
  call void asm sideeffect "rep movsq", "r,r,~{memory}"(ptr %h, ptr %q)
  ret void
}

; CHECK-LABEL: define void @asm_register(
; CHECK-NOT: __leakcc_unknown_write
; CHECK: call ptr asm sideeffect
; CHECK-NOT: __leakcc_unknown_write
; CHECK: ret void
define void @asm_register(ptr %h) {
  %r = call ptr asm sideeffect "", "=r,0"(ptr %h)
  ret void
}

; An asm result is no value the pass can classify: UNKNOWN, not DATA.
; CHECK-LABEL: define void @asm_value(
; CHECK: store i8 0, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %v, ptr %h, align 8
define void @asm_value(ptr %h) {
  %v = call i64 asm "movq $$0, $0", "=r"()
  store i64 %v, ptr %h, align 8
  ret void
}

; CHECK-LABEL: define void @masked(
; CHECK-NEXT: call void @__leakcc_unknown_write(ptr %h)
; CHECK-NEXT: call void @llvm.masked.store
define void @masked(ptr %h, <2 x i64> %v) {
  call void @llvm.masked.store.v2i64.p0(<2 x i64> %v, ptr %h, i32 8, <2 x i1> <i1 true, i1 false>)
  ret void
}

; A product by 3 is a hash (DATA); (p / 16) * 16 is an aligned pointer: a
; side entry of kind PART (how 0x508) with base p.
; CHECK-LABEL: define void @scaled(
; CHECK: store i8 8, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %hash, ptr %h, align 8
; CHECK: call preserve_mostcc void @__leakcc_side_store(ptr %g, i64 %a, i64 1288, ptr %p, ptr null)
; CHECK-NEXT: store i64 %a, ptr %g, align 8
define void @scaled(ptr %h) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %hash = mul i64 %i, 3
  store i64 %hash, ptr %h, align 8
  %d = udiv i64 %i, 16
  %a = mul i64 %d, 16
  %g = getelementptr i8, ptr %h, i64 8
  store i64 %a, ptr %g, align 8
  ret void
}

; CHECK-LABEL: define void @varargs(
; CHECK: call void @llvm.va_start.p0(ptr %ap)
; CHECK-NEXT: call void @__leakcc_va_start(ptr %ap)
; CHECK-NEXT: call void @llvm.va_end.p0(ptr %ap)
define void @varargs(ptr %h, ...) {
  %ap = alloca [24 x i8], align 16
  call void @llvm.va_start.p0(ptr %ap)
  call void @llvm.va_end.p0(ptr %ap)
  ret void
}

; The slot strtol writes loses DATA (and ~8 = -9) before the call; the end
; pointer loaded from it then copies the slot's shadow into the heap.
; CHECK-LABEL: define void @outparam(
; CHECK: [[OLD:%.*]] = load i8, ptr [[SP:%.*]], align 1
; CHECK-NEXT: [[NEW:%.*]] = and i8 [[OLD]], -9
; CHECK-NEXT: store i8 [[NEW]], ptr [[SP]], align 1
; CHECK: %n = call i64 @strtol(ptr %s, ptr %end, i32 10)
; CHECK-NEXT: %e = load ptr, ptr %end, align 8
; CHECK: [[SH:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK: store i8 [[SH]], ptr %{{.*}}, align 1
; CHECK: store ptr %e, ptr %h, align 8
define void @outparam(ptr %h, ptr %s) {
  %end = alloca ptr, align 8
  %n = call i64 @strtol(ptr %s, ptr %end, i32 10)
  %e = load ptr, ptr %end, align 8
  store ptr %e, ptr %h, align 8
  ret void
}

; CHECK-LABEL: define void @quit(
; CHECK-NEXT: call void @__leakcc_exit_frame()
; CHECK-NEXT: call void @exit(i32 3)
define void @quit(ptr %h) {
  call void @exit(i32 3)
  unreachable
}

; CHECK-LABEL: define i32 @main(
; CHECK-NEXT: [[RA:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT: call void @__leakcc_main_return(ptr [[RA]])
; CHECK-NEXT: ret i32 0
define i32 @main() {
  ret i32 0
}

; A function returning a pointer that outside code may call reads and
; clears the caller token (word 36 of the channel) and lets the block
; escape when its caller did not name it.
; CHECK-LABEL: define ptr @callback(
; CHECK-NEXT: [[C:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__leakcc_chan)
; CHECK-NEXT: [[T:%.*]] = getelementptr inbounds i64, ptr [[C]], i64 36
; CHECK-NEXT: [[TOK:%.*]] = load i64, ptr [[T]], align 8
; CHECK-NEXT: store i64 0, ptr [[T]], align 8
; CHECK-NEXT: [[OUT:%.*]] = icmp ne i64 [[TOK]], ptrtoint (ptr @callback to i64)
; CHECK-NEXT: %p = call ptr @__leakcc_hook_malloc(
; CHECK-NEXT: [[NN:%.*]] = icmp ne ptr %p, null
; CHECK-NEXT: [[ESC:%.*]] = and i1 [[OUT]], [[NN]]
; CHECK-NEXT: br i1 [[ESC]]
; CHECK: call void @__leakcc_escape(ptr null, ptr null, ptr %p)
define ptr @callback(i64 %n) {
  %p = call ptr @malloc(i64 %n)
  ret ptr %p
}

; A caller writes the token before a call whose result is a pointer.
; CHECK-LABEL: define internal ptr @caller(
; CHECK: store i64 ptrtoint (ptr @callback to i64), ptr %{{.*}}, align 8
; CHECK-NEXT: %p = call ptr @callback(i64 8)
define internal ptr @caller() {
  %p = call ptr @callback(i64 8)
  ret ptr %p
}
