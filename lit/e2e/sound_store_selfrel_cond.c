// Sound precision (issue 9, mechanism 6): stores the pass does not decode.
// A self-relative offset computed inside a conditional expression,
// o->off = p ? (char *)p - (char *)&o->off : 0, so that the stored value is
// a select (or a phi) of an offset and a constant.  Two heap structs hold
// such offsets, the only references to a 48- and a 56-byte block, which are
// live; a third struct gets p == NULL.  The first offset stored in the first
// struct referenced a 200-byte block, which the second replaced: it leaks.
// Whatever the pass cannot classify must be scanned as a possible
// reference, decoded as an offset from the word's own address.
// Conservative marking cannot see offsets (it reports the 48- and 56-byte
// blocks) and gets the Inputs/sound.h decoys wrong (reports 120, misses 136).
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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct rel {
  long id;
  ptrdiff_t off; /* target - &off, or 0 */
};

struct rel *volatile rels[3];

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void set(struct rel *o, char *p) {
  o->off = p ? (char *)p - (char *)&o->off : 0;
}

__attribute__((noinline)) static const char *get(struct rel *o) {
  return o->off ? (char *)&o->off + o->off : "(null)";
}

__attribute__((noinline)) static void build(void) {
  struct rel *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b),
             *c = calloc(1, sizeof *c);
  set(a, text(200, "replaced"));
  set(a, text(48, "first")); /* the 200-byte block leaks */
  set(b, text(56, "second"));
  set(c, NULL);
  rels[0] = a;
  rels[1] = b;
  rels[2] = c;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %s %s\n", get(rels[0]), get(rels[1]), get(rels[2]));
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
// PRECISE: first second (null)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE: SUMMARY: leakcc: 336 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: first second (null)
// CONS-NOT: leak of 136 byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 56 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 48 byte(s) in 1 object(s)
// CONS-NOT: leak of 136 byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 424 byte(s) leaked in 4 allocation(s).
