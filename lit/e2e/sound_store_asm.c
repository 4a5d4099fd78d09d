// Sound precision (issue 9, mechanism 6): stores the pass does not decode.
// Inline assembly writes pointers into heap structs behind the pass's back:
// `movq %1, %0` with a memory output stores a 48-byte block's address;
// `xchgq` swaps a 56-byte block's address into a field that held a 200-byte
// block's; `rep movsq` copies three pointers (64-, 72- and 80-byte blocks)
// from a scratch array, which is then freed, into another struct.  The
// blocks whose only references were stored by the asm are live; the 200-byte
// block, swapped out and dropped, leaks.  Whatever the pass cannot classify
// must be scanned as a possible reference.  Every build must also get the
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

struct fields {
  long id;
  char *a;        /* movq */
  char *b;        /* xchgq */
  char *copy[3];  /* rep movsq */
};

struct fields *volatile fields;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void asm_store(struct fields *h, char *p) {
  __asm__ volatile("movq %1, %0" : "=m"(h->a) : "r"(p));
}

__attribute__((noinline)) static char *asm_swap(struct fields *h, char *p) {
  __asm__ volatile("xchgq %0, %1" : "+r"(p), "+m"(h->b));
  return p; /* the old value */
}

__attribute__((noinline)) static void asm_copy(char **dst, char **src,
                                               size_t n) {
  __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

__attribute__((noinline)) static void build(void) {
  struct fields *h = calloc(1, sizeof *h);
  asm_store(h, text(48, "movq"));
  h->b = text(200, "swapped out");
  char *old = asm_swap(h, text(56, "xchg"));
  old[0] = 'S';
  old = NULL; /* the 200-byte block leaks */
  char **scratch = malloc(3 * sizeof *scratch);
  scratch[0] = text(64, "rep");
  scratch[1] = text(72, "movs");
  scratch[2] = text(80, "q");
  asm_copy(h->copy, scratch, 3);
  free(scratch);
  fields = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %s %s %s %s\n", fields->a, fields->b, fields->copy[0],
          fields->copy[1], fields->copy[2]);
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
// PRECISE: movq xchg rep movs q
// PRECISE-NOT: leak of {{48|56|64|72|80|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|64|72|80|120}} byte
// PRECISE: SUMMARY: leakcc: 336 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: movq xchg rep movs q
// CONS-NOT: leak of {{48|56|64|72|80|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|56|64|72|80|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 320 byte(s) leaked in 2 allocation(s).
