// Sound precision (issue 9, mechanism 6): a store the pass does not decode.
// _mm_storeu_si128 writes two pointers, packed into one 128-bit vector, into
// a heap struct: a 48- and a 56-byte block, referenced only there, are live.
// The first vector stored there held a 200-byte block and the 56-byte one;
// the second store replaced the 200-byte block's pointer: it leaks.  Whatever
// the pass cannot classify must be scanned as a possible reference.  Every
// build must also get the Inputs/sound.h decoys right (keep 120, report 136),
// which conservative marking gets wrong.
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
#include <emmintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct pair {
  long id;
  char *first, *second; /* written by one 16-byte store */
};

struct pair *volatile pair;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void store2(struct pair *h, char *a,
                                             char *b) {
  _mm_storeu_si128((__m128i *)&h->first,
                   _mm_set_epi64x((long long)(uintptr_t)b,
                                  (long long)(uintptr_t)a));
}

__attribute__((noinline)) static void build(void) {
  struct pair *h = calloc(1, sizeof *h);
  char *second = text(56, "second");
  store2(h, text(200, "replaced"), second);
  store2(h, text(48, "first"), second); /* the 200-byte block leaks */
  pair = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %s\n", pair->first, pair->second);
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
// PRECISE: first second
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE: SUMMARY: leakcc: 336 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: first second
// CONS-NOT: leak of {{48|56|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|56|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 320 byte(s) leaked in 2 allocation(s).
