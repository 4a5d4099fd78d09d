// memmove over overlapping ranges (issue 3, "Also") of hidden pointers.  A
// value vector holds NaN-boxed objects and XOR-mangled handles; inserting at
// the front shifts it up with memmove of a run-time length, deleting shifts
// it down over the deleted slot, and rotating uses a constant-size
// overlapping memmove.  A 101-byte object is referenced only by a boxed
// value and a 104-byte one only by a mangled value, both moved several
// times; a 203-byte object leaks when its slot is deleted.  mode=precise
// must keep the first two and report the third; conservative scanning
// recognises neither encoding and reports the live blocks too.
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

#define BOX_TAG UINT64_C(0xfffc000000000000)
#define BOX(p) (BOX_TAG | (uint64_t)(uintptr_t)(p))
#define IS_BOX(v) (((v) & BOX_TAG) == BOX_TAG)
#define UNBOX(v) ((struct obj *)(uintptr_t)((v) & ~BOX_TAG))

static uint64_t key; /* handles are address ^ key */

struct obj {
  int id;
  char data[];
};

struct vec {
  size_t n;
  uint64_t v[16];
};

struct vec *volatile vec;

__attribute__((noinline)) static uint64_t new_boxed(int id, size_t size) {
  struct obj *o = calloc(1, size);
  o->id = id;
  return BOX(o);
}

__attribute__((noinline)) static uint64_t new_handle(int id, size_t size) {
  struct obj *o = calloc(1, size);
  o->id = id;
  return (uintptr_t)o ^ key;
}

__attribute__((noinline)) static struct obj *deref(uint64_t v) {
  return IS_BOX(v) ? UNBOX(v) : (struct obj *)(uintptr_t)(v ^ key);
}

__attribute__((noinline)) static void insert_front(struct vec *a, uint64_t x) {
  memmove(&a->v[1], &a->v[0], a->n * sizeof a->v[0]);
  a->v[0] = x;
  a->n++;
}

/* Deletes slot i (and forgets to free what it held: the leak). */
__attribute__((noinline)) static void delete_at(struct vec *a, size_t i) {
  memmove(&a->v[i], &a->v[i + 1], (a->n - i - 1) * sizeof a->v[0]);
  a->v[--a->n] = 0;
}

/* Moves the third element to the front: a constant-size overlapping move. */
__attribute__((noinline)) static void rotate3(struct vec *a) {
  uint64_t third = a->v[2];
  memmove(&a->v[1], &a->v[0], 2 * sizeof a->v[0]);
  a->v[0] = third;
}

__attribute__((noinline)) static void build(void) {
  if (getrandom(&key, sizeof key, 0) != sizeof key)
    abort();
  /* Random low 48 bits, bit 62 set: never a box, never an address. */
  key = (key & ((UINT64_C(1) << 48) - 1)) | UINT64_C(1) << 62;
  struct vec *a = calloc(1, sizeof *a);
  insert_front(a, new_boxed(1, 101));
  insert_front(a, new_boxed(3, 203));
  insert_front(a, new_handle(2, 104));
  insert_front(a, 0x4000000000000000); /* a number */
  /* [number, handle 2, box 3, box 1] */
  delete_at(a, 2); /* [number, handle 2, box 1]: box 3 leaks */
  rotate3(a);      /* [box 1, number, handle 2] */
  vec = a;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%zu values: [0] %d, [2] %d\n", vec->n, deref(vec->v[0])->id,
          deref(vec->v[2])->id);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 3 values: [0] 1, [2] 2
// PRECISE-NOT: leak of {{101|104}} byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{101|104}} byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 3 values: [0] 1, [2] 2
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 104 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 408 byte(s) leaked in 3 allocation(s).
