// realloc moving a block full of pointers (issue 3, "Also"), hidden ones
// included.  A table of words grows by doubling from 2 entries to 32768
// (256 KiB: small size classes, then a large block), so realloc moves it
// many times; slot 0 holds a high-tagged reference to a 101-byte block,
// slot 1 an XOR-mangled one to a 104-byte block, the rest numbers and, last,
// a raw pointer to a 203-byte block.  Shrinking the table by one entry with
// realloc drops that raw pointer, so the 203-byte block leaks.  mode=precise
// must keep the first two (their references moved with the data) and
// report the third; conservative scanning recognises neither encoding and
// reports the live blocks too.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "Inputs/scrub.h"

#define ADDR_MASK ((UINT64_C(1) << 48) - 1)
#define TAGGED(p) (UINT64_C(0x7a00) << 48 | (uintptr_t)(p))
#define NUMBER(i) ((uint64_t)(i) << 1 | 1)

static uint64_t key;

struct table {
  size_t n, cap;
  uint64_t *slots;
  unsigned moves;
};

struct table *volatile table;

__attribute__((noinline)) static void append(struct table *t, uint64_t w) {
  if (t->n == t->cap) {
    uint64_t *old = t->slots;
    t->cap = t->cap ? 2 * t->cap : 2;
    t->slots = realloc(t->slots, t->cap * sizeof *t->slots);
    if (!t->slots)
      abort();
    t->moves += t->slots != old;
  }
  t->slots[t->n++] = w;
}

/* Drops the last entry by shrinking the array (and forgets what it held:
 * the leak). */
__attribute__((noinline)) static void truncate_last(struct table *t) {
  t->n--;
  t->cap = t->n;
  t->slots = realloc(t->slots, t->cap * sizeof *t->slots);
}

__attribute__((noinline)) static void *block(size_t size, char fill) {
  char *p = malloc(size);
  memset(p, fill, size);
  return p;
}

__attribute__((noinline)) static void build(void) {
  if (getrandom(&key, sizeof key, 0) != sizeof key)
    abort();
  key |= UINT64_C(1) << 62;
  struct table *t = calloc(1, sizeof *t);
  append(t, TAGGED(block(101, 't')));
  append(t, (uintptr_t)block(104, 'x') ^ key);
  while (t->n < 32767)
    append(t, NUMBER(t->n));
  append(t, (uintptr_t)block(203, 'r'));
  truncate_last(t);
  table = t;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%zu slots, moved %s, [0] %c, [1] %c, [2] %d\n", table->n,
          table->moves > 5 ? "often" : "rarely",
          *(char *)(uintptr_t)(table->slots[0] & ADDR_MASK),
          *(char *)(uintptr_t)(table->slots[1] ^ key),
          (int)(table->slots[2] >> 1));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 32767 slots, moved often, [0] t, [1] x, [2] 2
// PRECISE-NOT: leak of {{101|104}} byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{101|104}} byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 32767 slots, moved often, [0] t, [1] x, [2] 2
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 104 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 408 byte(s) leaked in 3 allocation(s).
