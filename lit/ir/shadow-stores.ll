; Plain 8-byte stores set the shadow byte of their granule inline: pointer -> RAW (1), plain data -> DATA (8), a value nothing classifies -> UNKNOWN (0), pointer-derived integer -> RAW, loaded word -> the source's shadow read right after the load (SIDE entries copied by __leakcc_side_derive).
; RUN: %opt -load-pass-plugin=%leakpass -passes=leakpass,dce -S %s | FileCheck %s
; (dce: the checks follow what runs, not address computations left unused.)
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)

; shadow(a) = (a >> 3) + 0x7fff8000 (2147450880), then one byte store.
; CHECK-LABEL: define void @store_ptr(
; CHECK-NEXT: %p = call ptr @__leakcc_hook_malloc(i64 16, ptr @{{.*}})
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 1, ptr [[P]], align 1
; CHECK-NEXT: store ptr %p, ptr %a, align 8
; CHECK-NEXT: ret void
define void @store_ptr(ptr %a) {
  %p = call ptr @malloc(i64 16)
  store ptr %p, ptr %a, align 8
  ret void
}

; CHECK-LABEL: define void @store_data(
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %a to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: store i8 8, ptr [[P]], align 1
; CHECK-NEXT: store i64 42, ptr %a, align 8
; CHECK-NEXT: ret void
define void @store_data(ptr %a) {
  store i64 42, ptr %a, align 8
  ret void
}

; A product of an address is a hash, not a reference.
; CHECK-LABEL: define void @store_hash(
; CHECK: store i8 8, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %h, ptr %a, align 8
; CHECK-NOT: call void @__leakcc_side
; CHECK: ret void
define void @store_hash(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %h = mul i64 %i, -7046029254386353131
  store i64 %h, ptr %a, align 8
  ret void
}

; ptrtoint, also seen through a bitcast to double, is the pointer itself.
; CHECK-LABEL: define void @store_ptrtoint(
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store i64 %i, ptr %a, align 8
; CHECK: store i8 1, ptr %{{.*}}, align 1
; CHECK-NEXT: store double %d, ptr %a, align 8
; CHECK-NEXT: ret void
define void @store_ptrtoint(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %i = ptrtoint ptr %p to i64
  store i64 %i, ptr %a, align 8
  %d = bitcast i64 %i to double
  store double %d, ptr %a, align 8
  ret void
}

; A copied word copies the source's shadow byte, read right after the load;
; if that byte has the SIDE bit, the runtime copies the side entry too
; (how = 0x808: width 8, kind COPY, the source's shadow in bits 16-23).
; CHECK-LABEL: define void @copy_i64(
; CHECK-NEXT: %v = load i64, ptr %src, align 8
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %src to i64
; CHECK-NEXT: [[S:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[O:%.*]] = add i64 [[S]], 2147450880
; CHECK-NEXT: [[P:%.*]] = inttoptr i64 [[O]] to ptr
; CHECK-NEXT: [[SH:%.*]] = load i8, ptr [[P]], align 1
; CHECK-NEXT: [[D:%.*]] = ptrtoint ptr %dst to i64
; CHECK-NEXT: [[DS:%.*]] = lshr i64 [[D]], 3
; CHECK-NEXT: [[DO:%.*]] = add i64 [[DS]], 2147450880
; CHECK-NEXT: [[DP:%.*]] = inttoptr i64 [[DO]] to ptr
; CHECK-NEXT: [[BIT:%.*]] = and i8 [[SH]], 4
; CHECK-NEXT: [[ISSIDE:%.*]] = icmp ne i8 [[BIT]], 0
; CHECK-NEXT: store i8 [[SH]], ptr [[DP]], align 1
; CHECK-NEXT: br i1 [[ISSIDE]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: [[Z:%.*]] = zext i8 [[SH]] to i64
; CHECK-NEXT: [[HI:%.*]] = shl i64 [[Z]], 16
; CHECK-NEXT: [[HOW:%.*]] = or i64 2056, [[HI]]
; CHECK-NEXT: call preserve_mostcc void @__leakcc_side_derive(ptr %dst, i64 %v, i64 [[HOW]], ptr %src, i64 %v, ptr null)
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: [[JOIN]]:
; CHECK-NEXT: store i64 %v, ptr %dst, align 8
define void @copy_i64(ptr %dst, ptr %src) {
  %v = load i64, ptr %src, align 8
  store i64 %v, ptr %dst, align 8
  ret void
}

; A swap reads both shadows before either is overwritten.
; CHECK-LABEL: define void @swap(
; CHECK: %x = load i64, ptr %a, align 8
; CHECK: [[SA:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK-NEXT: %y = load i64, ptr %b, align 8
; CHECK: [[SB:%.*]] = load i8, ptr %{{.*}}, align 1
; CHECK: store i8 [[SB]], ptr %{{.*}}, align 1
; CHECK: store i64 %y, ptr %a, align 8
; CHECK: store i8 [[SA]], ptr %{{.*}}, align 1
; CHECK: store i64 %x, ptr %b, align 8
define void @swap(ptr %a, ptr %b) {
  %x = load i64, ptr %a, align 8
  %y = load i64, ptr %b, align 8
  store i64 %y, ptr %a, align 8
  store i64 %x, ptr %b, align 8
  ret void
}

; A 16-byte struct copy: two shadow bytes at once; any SIDE bit (0x0404)
; has the runtime copy the entries first.
; CHECK-LABEL: define void @copy_struct(
; CHECK: [[SH:%.*]] = load i16, ptr %{{.*}}, align 1
; CHECK: [[BITS:%.*]] = and i16 [[SH]], 1028
; CHECK-NEXT: [[ANY:%.*]] = icmp ne i16 [[BITS]], 0
; CHECK-NEXT: br i1 [[ANY]], label %[[THEN:.*]], label %[[JOIN:.*]], !prof
; CHECK: [[THEN]]:
; CHECK-NEXT: call void @__leakcc_shadow_copy(ptr %dst, ptr %src, i64 16)
; CHECK: [[JOIN]]:
; CHECK-NEXT: store i16 [[SH]], ptr %{{.*}}, align 1
; CHECK-NEXT: store { ptr, i64 } %v, ptr %dst, align 8
define void @copy_struct(ptr %dst, ptr %src) {
  %v = load { ptr, i64 }, ptr %src, align 8
  store { ptr, i64 } %v, ptr %dst, align 8
  ret void
}

; A built struct: RAW for its pointer field only (i16 0x0100 = 256).
; CHECK-LABEL: define void @store_struct(
; CHECK: store i16 256, ptr %{{.*}}, align 1
; CHECK-NEXT: store { i64, ptr } %s, ptr %a, align 8
define void @store_struct(ptr %a) {
  %p = call ptr @malloc(i64 16)
  %s = insertvalue { i64, ptr } { i64 7, ptr null }, ptr %p, 1
  store { i64, ptr } %s, ptr %a, align 8
  ret void
}

; Stores to other address spaces (%fs/%gs) are left alone.
; CHECK-LABEL: define void @store_gs(
; CHECK-NEXT: %p = call ptr @__leakcc_hook_malloc(
; CHECK-NEXT: store ptr %p, ptr addrspace(256) %a, align 8
define void @store_gs(ptr addrspace(256) %a) {
  %p = call ptr @malloc(i64 16)
  store ptr %p, ptr addrspace(256) %a, align 8
  ret void
}

; A function that now writes shadow loses memory(...).
; CHECK-LABEL: define void @store_attrs(
; CHECK-SAME: #[[ATTRS:[0-9]+]]
define void @store_attrs(ptr %a) #0 {
  store i64 0, ptr %a, align 8
  ret void
}
; CHECK: attributes #[[ATTRS]] = { nounwind }
attributes #0 = { nounwind memory(argmem: write) }
