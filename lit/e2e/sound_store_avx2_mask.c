// Sound precision (issue 9, mechanism 6): a store the pass does not decode.
// _mm256_maskstore_epi64 writes lanes 0 and 2 of four pointer slots in a
// heap struct and leaves lanes 1 and 3 alone.  Plain stores first filled
// the four slots with a 200-, a 56-, a 208- and a 72-byte block; the masked
// store then put a 48- and a 64-byte block in slots 0 and 2.  Slots 1 and 3
// still hold what the plain stores wrote and the masked-off lanes did not
// change: the 48-, 56-, 64- and 72-byte blocks are live, and the 200- and
// 208-byte blocks, overwritten, leak.  Whatever the pass cannot classify must
// be scanned as a possible reference, and a masked-off lane is not a write.
// Every build must also get the Inputs/sound.h decoys right (keep 120,
// report 136), which conservative marking gets wrong.
// REQUIRES: avx2
// RUN: %leakcc -mavx2 -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -mavx2 -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -mavx2 -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -mavx2 -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -mavx2 -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -mavx2 -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct slots {
  long id;
  char *slot[4]; /* 32-byte aligned not required: maskstore is unaligned */
};

struct slots *volatile slots;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void masked(struct slots *h, char *a,
                                             char *c) {
  __m256i v = _mm256_set_epi64x(0, (long long)(uintptr_t)c, 0,
                                (long long)(uintptr_t)a);
  __m256i mask = _mm256_set_epi64x(0, -1, 0, -1); /* lanes 0 and 2 */
  _mm256_maskstore_epi64((long long *)h->slot, mask, v);
}

__attribute__((noinline)) static void build(void) {
  struct slots *h = calloc(1, sizeof *h);
  h->slot[0] = text(200, "replaced0");
  h->slot[1] = text(56, "kept1");
  h->slot[2] = text(208, "replaced2");
  h->slot[3] = text(72, "kept3");
  masked(h, text(48, "new0"), text(64, "new2")); /* 200 and 208 leak */
  slots = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %s %s %s\n", slots->slot[0], slots->slot[1],
          slots->slot[2], slots->slot[3]);
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
// PRECISE: new0 kept1 new2 kept3
// PRECISE-NOT: leak of {{48|56|64|72|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 208 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|64|72|120}} byte
// PRECISE: SUMMARY: leakcc: 544 byte(s) leaked in 3 allocation(s).

// CONS: hidden
// CONS: new0 kept1 new2 kept3
// CONS-NOT: leak of {{48|56|64|72|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 208 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|56|64|72|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 528 byte(s) leaked in 3 allocation(s).
