// Sound precision (issue 9, mechanism 5): pointers passed through `...`.
// bag_add reads each heap pointer with va_arg and stores it in a heap
// struct, the only reference.  va_arg loads from the register save area
// (spilled by the callee's prologue) or, past the sixth integer argument,
// from the caller's outgoing argument area on the stack: no instrumented
// store wrote either, so what va_arg returns must be taken as a possible
// reference.  One call passes one pointer (a 48-byte block), another passes
// ten (blocks of 56 to 152 bytes, in registers and on the stack), of which
// bag_add keeps nine: the tenth, a 200-byte block, leaks.  Every build must
// also get the Inputs/sound.h decoys right (keep 120, report 136), which
// conservative marking gets wrong.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct bag {
  int n;
  char *items[12];
};

struct bag *volatile bag;

__attribute__((noinline)) static char *block(size_t size, char c) {
  char *p = malloc(size);
  memset(p, c, size);
  p[size - 1] = 0;
  return p;
}

/* Keeps the first n of the variadic pointers. */
__attribute__((noinline)) static void bag_add(struct bag *b, int n, ...) {
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++)
    b->items[b->n++] = va_arg(ap, char *);
  va_end(ap);
}

__attribute__((noinline)) static void build(void) {
  struct bag *b = calloc(1, sizeof *b);
  bag_add(b, 1, block(48, 'a'));
  bag_add(b, 9, block(56, 'b'), block(64, 'c'), block(72, 'd'), block(80, 'e'),
          block(88, 'f'), block(96, 'g'), block(104, 'h'), block(112, 'i'),
          block(152, 'j'), block(200, 'z') /* not kept: the leak */);
  bag = b;
}

__attribute__((noinline)) static void show(void) {
  for (int i = 0; i < bag->n; i++)
    fprintf(stderr, "%c", bag->items[i][0]);
  fprintf(stderr, " (%d)\n", bag->n);
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
// PRECISE: abcdefghij (10)
// PRECISE-NOT: leak of {{48|56|64|72|80|88|96|104|112|152|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|64|72|80|88|96|104|112|152|120}} byte
// PRECISE: SUMMARY: leakcc: 336 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: abcdefghij (10)
// CONS-NOT: leak of {{48|56|64|72|80|88|96|104|112|152|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|56|64|72|80|88|96|104|112|152|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 320 byte(s) leaked in 2 allocation(s).
