// Memory handed to code built without leakcc is scanned conservatively in
// mode=precise (__leakcc_escape): an uninstrumented library stores pointers
// to fresh blocks into an instrumented global and into an instrumented heap
// block, without shadow; those blocks stay live.  A global that nothing
// hands out stays precise: the block whose address it holds only as a
// multiplicative hash is still reported.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O0 -fno-omit-frame-pointer -shared -fPIC %S/Inputs/escape_lib.c -o %t.dir/libescape.so
// RUN: %leakcc -O0 %s -o %t -L%t.dir -lescape -Wl,-rpath,%t.dir
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -L%t.dir -lescape -Wl,-rpath,%t.dir
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#define K 0x9e3779b97f4a7c15ULL     /* odd: invertible modulo 2^64 */
#define K_INV 0xf1de83e19937733dULL /* K * K_INV == 1 modulo 2^64 */

void lib_fill(void **slot, size_t n);

void *filled_global;           /* written by the library only */
struct holder {
  long id;
  void *filled;                /* written by the library only */
} *volatile holder;
volatile uintptr_t hashed_slot; /* never handed out: stays precise */
volatile uintptr_t key;

__attribute__((noinline)) static uintptr_t hash(uintptr_t x) { return x * K; }
__attribute__((noinline)) static uintptr_t unhash(uintptr_t h) {
  return h * K_INV;
}

__attribute__((noinline)) static void fill(void) {
  lib_fill(&filled_global, 66);
  holder = malloc(sizeof *holder);
  lib_fill(&holder->filled, 88);
  key = hash((uintptr_t)malloc(77));
  hashed_slot = unhash(key);
  key = 0;
}

int main(void) {
  fill();
  scrub_stack();
  fprintf(stderr, "filled\n");
  return 0;
}
// CHECK: filled
// CHECK: Direct leak of 77 byte(s) in 1 object(s)
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 77 byte(s) leaked in 1 allocation(s).
