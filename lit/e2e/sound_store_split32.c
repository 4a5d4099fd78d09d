// Sound precision (issue 9, mechanism 6): stores the pass does not decode.
// A pointer copied as two uint32_t halves without memcpy, h->lo =
// (uint32_t)x; h->hi = x >> 32, and reassembled by the reader.  With the
// halves adjacent (one 8-byte word that equals the address once both are
// written; the optimizer may merge the two stores) the 48-byte block is
// referenced only there; with the halves in different words (neither holds
// an address) the 56-byte block is.  Both are live.  The first pair of
// halves written to each place referenced a 200- or 208-byte block, which
// the second pair replaced: both leak.  Whatever the pass cannot classify
// must be scanned as a possible reference.  Conservative marking cannot see
// the separated halves (it reports the 56-byte block) and gets the
// Inputs/sound.h decoys wrong (reports 120, misses 136).
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct halves {
  long id;
  uint32_t lo, hi;      /* adjacent: one word */
  uint32_t far_lo, pad; /* separated: two words */
  long other;
  uint32_t far_hi, pad2;
};

struct halves *volatile halves;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void set_near(struct halves *h, char *p) {
  uint64_t x = (uintptr_t)p;
  h->lo = (uint32_t)x;
  h->hi = x >> 32;
}

__attribute__((noinline)) static void set_far(struct halves *h, char *p) {
  uint64_t x = (uintptr_t)p;
  h->far_lo = (uint32_t)x;
  h->far_hi = x >> 32;
}

__attribute__((noinline)) static char *get(uint32_t lo, uint32_t hi) {
  return (char *)(uintptr_t)((uint64_t)hi << 32 | lo);
}

__attribute__((noinline)) static void build(void) {
  struct halves *h = calloc(1, sizeof *h);
  set_near(h, text(200, "old near"));
  set_far(h, text(208, "old far"));
  set_near(h, text(48, "near")); /* the 200-byte block leaks */
  set_far(h, text(56, "far"));   /* the 208-byte block leaks */
  halves = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %s\n", get(halves->lo, halves->hi),
          get(halves->far_lo, halves->far_hi));
}

int main(void) {
  sound_decoys();
  sound_print();
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: near far
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 208 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE: SUMMARY: leakcc: 544 byte(s) leaked in 3 allocation(s).

// CONS: hidden
// CONS: near far
// CONS-NOT: leak of {{48|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 208 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 56 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 584 byte(s) leaked in 4 allocation(s).
