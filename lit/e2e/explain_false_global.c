// Explain mode, false pointer in a root: a global of an instrumented module
// (scanned precisely) holds an integer equal to a leaked block's address,
// computed by multiplicative hashing and its inverse (no pointer
// provenance).  explain=1 names the global's address and module, and says
// that its shadow records no reference.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 not %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#define K 0x9e3779b97f4a7c15ULL    /* odd: invertible modulo 2^64 */
#define K_INV 0xf1de83e19937733dULL /* K * K_INV == 1 modulo 2^64 */

volatile uintptr_t key;
volatile uintptr_t remembered; /* the false pointer */

__attribute__((noinline)) static uintptr_t hash(uintptr_t x) { return x * K; }
__attribute__((noinline)) static uintptr_t unhash(uintptr_t h) {
  return h * K_INV;
}

__attribute__((noinline)) static void remember(void) {
  void *p = malloc(91);
  key = hash((uintptr_t)p);
  remembered = unhash(key);
  key = 0;
  fprintf(stderr, "block %p global %p\n", p, (void *)&remembered);
}

int main(void) {
  remember();
  scrub_stack();
  return 0;
}
// CHECK: block [[LEAK:0x[0-9a-f]+]] global [[GLOBAL:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 0 live only in precise mode {{.*}}, 1 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 91-byte block [[LEAK]] (allocated at {{.*}}explain_false_global.c:29:{{[0-9]+}}) is live only in conservative mode: its only reference is a false pointer in instrumented globals at [[GLOBAL]] ({{.*}}explain_false_global.c.tmp{{(.O2)?}}+0x{{[0-9a-f]+}}): the word holds [[LEAK]] but its shadow says it holds no reference
// CHECK-NOT: leakcc: explain
