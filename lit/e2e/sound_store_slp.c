// Sound precision (issue 9, mechanism 6): a store the pass does not decode.
// Two adjacent tagged-pointer stores, h->a = p | 1 and h->b = q | 7 << 56,
// which the SLP vectorizer merges into one 128-bit store at -O2 and -O3.
// The 48-byte block p (low tag) and the 56-byte block q (high tag) are
// referenced only there and are live: whatever the pass cannot classify must
// be scanned as a possible reference, tags included.  A first pair of tagged
// stores referenced a 200-byte block in place of p: the second pair replaced
// it, and it leaks.  Conservative marking does not see through the high tag
// (it reports the 56-byte block) and gets the Inputs/sound.h decoys wrong
// (reports 120, misses 136); every build must keep 120 and report 136.
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

struct tagged {
  long id;
  uintptr_t a; /* p | 1 */
  uintptr_t b; /* q | 7 << 56 */
};

struct tagged *volatile tagged;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void set(struct tagged *h, char *p, char *q) {
  h->a = (uintptr_t)p | 1;
  h->b = (uintptr_t)q | (7ull << 56);
}

__attribute__((noinline)) static void build(void) {
  struct tagged *h = calloc(1, sizeof *h);
  char *q = text(56, "high");
  set(h, text(200, "replaced"), q);
  set(h, text(48, "low"), q); /* the 200-byte block leaks */
  tagged = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %s\n", (char *)(tagged->a & ~(uintptr_t)1),
          (char *)(tagged->b & ((1ull << 56) - 1)));
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
// PRECISE: low high
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE: SUMMARY: leakcc: 336 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: low high
// CONS-NOT: leak of {{48|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 56 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 376 byte(s) leaked in 3 allocation(s).
