// False pointer (issue 3, idiom 20): an address kept only as a multiplicative
// hash.  Objects are known to clients by an opaque id (address * K, K odd),
// and an event log records, for debugging, the address recovered from an id
// (id * K^-1) as an integer.  An object dropped from the table without being
// freed (203 bytes) survives only as that logged integer, which equals its
// address but carries no pointer provenance; a 101-byte object stays in the
// table.  mode=precise must report the first and keep the second;
// conservative scanning takes the logged integer for a reference and misses
// the leak.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#define K UINT64_C(0x9e3779b97f4a7c15)     /* odd: invertible mod 2^64 */
#define K_INV UINT64_C(0xf1de83e19937733d) /* K * K_INV == 1 mod 2^64 */

struct object {
  int id;
  char data[];
};

struct event {
  int kind;
  uintptr_t addr; /* for the debug dump */
};

struct registry {
  struct object *live[4];
  uint64_t ids[4];
  int n;
  struct event log[8];
  int nlog;
};

struct registry *volatile reg;

__attribute__((noinline)) static uint64_t id_of(struct object *o) {
  return (uint64_t)(uintptr_t)o * K;
}

__attribute__((noinline)) static uintptr_t addr_of_id(uint64_t id) {
  return (uintptr_t)(id * K_INV);
}

__attribute__((noinline)) static void log_event(struct registry *r, int kind,
                                                uint64_t id) {
  r->log[r->nlog].kind = kind;
  r->log[r->nlog].addr = addr_of_id(id);
  r->nlog++;
}

__attribute__((noinline)) static uint64_t add(struct registry *r, int id,
                                              size_t size) {
  struct object *o = calloc(1, size);
  o->id = id;
  r->live[r->n] = o;
  r->ids[r->n] = id_of(o);
  return r->ids[r->n++];
}

/* Drops the last object (and forgets to free it: the leak). */
__attribute__((noinline)) static void drop_last(struct registry *r) {
  r->n--;
  log_event(r, 2, r->ids[r->n]);
  r->live[r->n] = NULL;
  r->ids[r->n] = 0;
}

__attribute__((noinline)) static void build(void) {
  struct registry *r = calloc(1, sizeof *r);
  log_event(r, 1, add(r, 1, 101));
  log_event(r, 1, add(r, 2, 203));
  drop_last(r);
  reg = r;
}

__attribute__((noinline)) static void show(void) {
  /* The log's integer equals the dropped object's address. */
  fprintf(stderr, "%d live, %d events, logged address is %s\n", reg->n,
          reg->nlog,
          reg->log[2].addr == reg->log[1].addr ? "the dropped object's"
                                               : "?");
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 1 live, 3 events, logged address is the dropped object's
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 1 live, 3 events, logged address is the dropped object's
// CONS-NOT: leak
