// Sound precision (issue 9, mechanism 3): the runtime's own out-parameters.
// posix_memalign stores the block it allocates through its first argument:
// into a field of a heap struct (&h->buf: a 200-byte block; &h->spare: a
// 256-byte block, then a 168-byte one over it) and into a field of a global
// struct (&g.buf: a 104-byte block).  Those words are written by the runtime,
// not by instrumented stores, so they must be scanned as references: the
// 200-, 168- and 104-byte blocks are live, and the 256-byte block, whose only
// pointer was overwritten, leaks.  Every build must also get the
// Inputs/sound.h decoys right (keep 120, report 136), which conservative
// marking gets wrong.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct holder {
  long n;
  void *buf;
  void *spare;
};

struct {
  long n;
  void *buf;
} g;

struct holder *volatile holder;

__attribute__((noinline)) static void build(void) {
  struct holder *h = calloc(1, sizeof *h);
  if (posix_memalign(&h->buf, 64, 200) || posix_memalign(&h->spare, 64, 256))
    abort();
  memset(h->spare, 's', 256);
  /* The 256-byte block's only pointer is overwritten: the leak. */
  if (posix_memalign(&h->spare, 64, 168) || posix_memalign(&g.buf, 64, 104))
    abort();
  strcpy(h->buf, "heap field");
  strcpy(h->spare, "spare");
  strcpy(g.buf, "global field");
  h->n = 1;
  g.n = 2;
  holder = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s, %s, %s\n", (char *)holder->buf, (char *)holder->spare,
          (char *)g.buf);
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
// PRECISE: heap field, spare, global field
// PRECISE-NOT: leak of {{200|168|104|120}} byte
// PRECISE-DAG: Direct leak of 256 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{200|168|104|120}} byte
// PRECISE: SUMMARY: leakcc: 392 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: heap field, spare, global field
// CONS-NOT: leak of {{200|168|104|136}} byte
// CONS-DAG: Direct leak of 256 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{200|168|104|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 376 byte(s) leaked in 2 allocation(s).
