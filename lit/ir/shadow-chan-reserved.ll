; A module that already defines @__leakcc_chan (not thread-local) gets the
; reserved-name error, as for hook names, instead of invalid IR.
; RUN: not %opt -load-pass-plugin=%leakpass -passes=leakpass -S %s -o /dev/null 2>&1 | FileCheck %s
; CHECK: error: leakpass: {{.*}}'__leakcc_chan'{{.*}}reserved for leakcc
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"
@__leakcc_chan = global i32 0
define i64 @f(ptr %p) {
  %i = ptrtoint ptr %p to i64
  %t = xor i64 %i, 3735928559
  ret i64 %t
}
