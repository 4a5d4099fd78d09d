// Hidden pointer (issue 3, idiom 11): a pointer split into two 32-bit halves
// stored in separate fields, as 32-bit protocols and handle tables carry
// 64-bit cookies.  split() returns the halves through out-parameters,
// set_handle() stores them in fields that never share an aligned word (high
// half at offset 0, low half at offset 8).  A 101-byte object is referenced
// only by its halves; a 203-byte object leaks when its handle is closed
// without freeing it.  mode=precise must keep the first and report the
// second; conservative scanning never sees the whole address and reports the
// live object as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct handle {
  uint32_t hi;    /* offset 0 */
  uint32_t gen;   /* offset 4 */
  uint32_t lo;    /* offset 8 */
  uint32_t flags; /* offset 12 */
};

struct table {
  struct handle h[4];
};

struct table *volatile table;

struct object {
  int id;
  char data[];
};

__attribute__((noinline)) static void split(void *p, uint32_t *lo,
                                            uint32_t *hi) {
  uintptr_t v = (uintptr_t)p;
  *lo = (uint32_t)v;
  *hi = (uint32_t)(v >> 32);
}

__attribute__((noinline)) static void *join(uint32_t lo, uint32_t hi) {
  return (void *)((uintptr_t)hi << 32 | lo);
}

__attribute__((noinline)) static void set_handle(struct handle *h,
                                                 uint32_t lo, uint32_t hi) {
  h->hi = hi;
  h->gen++;
  h->lo = lo;
  h->flags = 0;
}

__attribute__((noinline)) static void open_handle(struct table *t, int i,
                                                  int id, size_t size) {
  struct object *o = calloc(1, size);
  o->id = id;
  uint32_t lo, hi;
  split(o, &lo, &hi);
  set_handle(&t->h[i], lo, hi);
}

__attribute__((noinline)) static void build(void) {
  struct table *t = calloc(1, sizeof *t);
  open_handle(t, 0, 1, 101);
  open_handle(t, 1, 2, 203);
  set_handle(&t->h[1], 0, 0); /* closed without free: the leak */
  table = t;
}

__attribute__((noinline)) static void show(void) {
  struct object *o = join(table->h[0].lo, table->h[0].hi);
  fprintf(stderr, "handle 0: id %d; handle 1: %s, generation %u\n", o->id,
          join(table->h[1].lo, table->h[1].hi) ? "open" : "closed",
          table->h[1].gen);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: handle 0: id 1; handle 1: closed, generation 2
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: handle 0: id 1; handle 1: closed, generation 2
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
