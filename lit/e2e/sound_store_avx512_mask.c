// Sound precision (issue 9, mechanism 6): stores the pass does not decode.
// _mm512_mask_storeu_epi64 writes lanes 0, 2, 4 and 6 of eight pointer
// slots in a heap struct (mask 0x55) and leaves the odd lanes alone;
// _mm512_i64scatter_epi64 then writes two more pointers into slots 9 and 11
// of the same struct.  Plain stores first put a block in each of slots 0-7
// (odd slots: 56, 72, 88 and 104 bytes; even slots: 200, 208, 216 and 224
// bytes); the masked store replaced the even ones with 48-, 64-, 80- and
// 96-byte blocks, and the scatter stored a 112- and a 128-byte block.  The
// odd-slot, masked-in and scattered blocks are live; the four replaced
// blocks leak.  Whatever the pass cannot classify must be scanned as a
// possible reference, and a masked-off lane is not a write.  Every build
// must also get the Inputs/sound.h decoys right (keep 120, report 136),
// which conservative marking gets wrong.
// REQUIRES: avx512f
// RUN: %leakcc -mavx512f -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -mavx512f -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -mavx512f -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -mavx512f -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -mavx512f -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -mavx512f -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct slots {
  long id;
  char *slot[12];
};

struct slots *volatile slots;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void masked(struct slots *h, char *a,
                                             char *b, char *c, char *d) {
  __m512i v = _mm512_set_epi64(0, (long long)(uintptr_t)d, 0,
                               (long long)(uintptr_t)c, 0,
                               (long long)(uintptr_t)b, 0,
                               (long long)(uintptr_t)a);
  _mm512_mask_storeu_epi64(h->slot, 0x55, v);
}

__attribute__((noinline)) static void scattered(struct slots *h, char *x,
                                                char *y) {
  __m512i idx = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 11, 9);
  __m512i v = _mm512_set_epi64(0, 0, 0, 0, 0, 0, (long long)(uintptr_t)y,
                               (long long)(uintptr_t)x);
  _mm512_mask_i64scatter_epi64(h->slot, 0x03, idx, v, 8);
}

__attribute__((noinline)) static void build(void) {
  struct slots *h = calloc(1, sizeof *h);
  h->slot[0] = text(200, "r0");
  h->slot[1] = text(56, "k1");
  h->slot[2] = text(208, "r2");
  h->slot[3] = text(72, "k3");
  h->slot[4] = text(216, "r4");
  h->slot[5] = text(88, "k5");
  h->slot[6] = text(224, "r6");
  h->slot[7] = text(104, "k7");
  /* The 200-, 208-, 216- and 224-byte blocks leak. */
  masked(h, text(48, "n0"), text(64, "n2"), text(80, "n4"), text(96, "n6"));
  scattered(h, text(112, "s9"), text(128, "s11"));
  slots = h;
}

__attribute__((noinline)) static void show(void) {
  for (int i = 0; i < 12; i++)
    fprintf(stderr, "%s ", slots->slot[i] ? slots->slot[i] : "-");
  fprintf(stderr, "\n");
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
// PRECISE: n0 k1 n2 k3 n4 k5 n6 k7 - s9 - s11
// PRECISE-NOT: leak of {{48|56|64|72|80|88|96|104|112|120|128}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 208 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 216 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 224 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|64|72|80|88|96|104|112|120|128}} byte
// PRECISE: SUMMARY: leakcc: 984 byte(s) leaked in 5 allocation(s).

// CONS: hidden
// CONS: n0 k1 n2 k3 n4 k5 n6 k7 - s9 - s11
// CONS-NOT: leak of {{48|56|64|72|80|88|96|104|112|128|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 208 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 216 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 224 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|56|64|72|80|88|96|104|112|128|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 968 byte(s) leaked in 5 allocation(s).
