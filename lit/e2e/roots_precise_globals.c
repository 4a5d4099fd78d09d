// Globals of an instrumented module are scanned precisely in mode=precise:
// a global whose value equals a leaked block's address, but was computed by
// a multiplicative hash (no pointer provenance), is no reference, so the
// block is reported; conservative marking takes the integer for a pointer
// and misses the leak.  Blocks held by real pointers in globals (extern,
// static, a static local, a field of a global array, an interior pointer)
// stay live in both modes.
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

#define K 0x9e3779b97f4a7c15ULL     /* odd: invertible modulo 2^64 */
#define K_INV 0xf1de83e19937733dULL /* K * K_INV == 1 modulo 2^64 */

volatile uintptr_t hashed_slot; /* the leaked block's address, as an integer */
volatile uintptr_t key;
void *live_extern;
static void *volatile live_static;
struct entry {
  long id;
  char *name;
} live_table[3];
char *live_interior;

__attribute__((noinline)) static uintptr_t hash(uintptr_t x) { return x * K; }
__attribute__((noinline)) static uintptr_t unhash(uintptr_t h) {
  return h * K_INV;
}

__attribute__((noinline)) static void *cached(void) {
  static void *cache; /* static local */
  if (!cache)
    cache = malloc(44);
  return cache;
}

__attribute__((noinline)) static void fill(void) {
  void *p = malloc(77);
  key = hash((uintptr_t)p); /* the block's only trace: its hash */
  hashed_slot = unhash(key);
  key = 0;
  fprintf(stderr, "global holds %s\n",
          hashed_slot == (uintptr_t)p ? "the address" : "?");
  live_extern = malloc(11);
  live_static = malloc(22);
  live_table[1].name = malloc(33);
  live_interior = (char *)malloc(55) + 40;
  cached();
}

int main(void) {
  fill();
  scrub_stack();
  return 0;
}
// PRECISE: global holds the address
// PRECISE: Direct leak of 77 byte(s) in 1 object(s)
// PRECISE-NOT: leak of
// PRECISE: SUMMARY: leakcc: 77 byte(s) leaked in 1 allocation(s).
// CONS: global holds the address
// CONS-NOT: leak
