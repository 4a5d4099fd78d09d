// False pointer (issue 3, idiom 20): an integer that equals a leaked block's
// address but was computed by multiplicative hashing (x * K, then the
// inverse), which carries no pointer provenance.  Conservative marking takes
// the integer for a reference and misses the leak; mode=precise records the
// store as "no reference" and reports it.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#define K 0x9e3779b97f4a7c15ULL    /* odd: invertible modulo 2^64 */
#define K_INV 0xf1de83e19937733dULL /* K * K_INV == 1 modulo 2^64 */

struct table {
  uintptr_t hashes[4];
};

struct table *volatile table;
volatile uintptr_t key;

__attribute__((noinline)) static uintptr_t hash(uintptr_t x) { return x * K; }
__attribute__((noinline)) static uintptr_t unhash(uintptr_t h) {
  return h * K_INV;
}

__attribute__((noinline)) static void insert(void) {
  void *p = malloc(55);
  key = hash((uintptr_t)p);       /* the block's only trace: its hash */
  table->hashes[0] = unhash(key); /* equals the address, as an integer */
  key = 0;
  fprintf(stderr, "table holds %s\n",
          table->hashes[0] == (uintptr_t)p ? "the address" : "?");
}

int main(void) {
  table = calloc(1, sizeof *table);
  insert();
  scrub_stack();
  return 0;
}
// PRECISE: table holds the address
// PRECISE: Direct leak of 55 byte(s) in 1 object(s)
// PRECISE: SUMMARY: leakcc: 55 byte(s) leaked in 1 allocation(s).
// CONS: table holds the address
// CONS-NOT: leak
