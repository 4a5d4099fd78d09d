// Hidden pointer (issue 3, idiom 2): high-bit tags.  A handle keeps an
// object's kind in bits 56-63 and a reference count in bits 48-55 above a
// 48-bit address.  A 101-byte object is referenced only by such a handle in
// a registry block (built by helpers, retained in place with +=, copied in a
// struct returned by value); a 203-byte object leaks when its registry slot
// is reused.  mode=precise must keep the first and report the second;
// conservative scanning does not recognise the tagged word and reports the
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
#include <string.h>

#include "Inputs/scrub.h"

typedef uint64_t handle;
#define ADDR_BITS 48
#define ADDR_MASK ((UINT64_C(1) << ADDR_BITS) - 1)
#define REF_ONE (UINT64_C(1) << ADDR_BITS)
#define KIND_SHIFT 56
#define KIND_OF(h) ((unsigned)((h) >> KIND_SHIFT))
#define REFS_OF(h) ((unsigned)(((h) >> ADDR_BITS) & 0xff))

enum { KIND_BUFFER = 0x21, KIND_IMAGE = 0x42 };

struct object {
  int id;
  char data[];
};

/* A registry entry is returned by value: the handle travels in a struct. */
struct entry {
  handle h;
  int id;
};

struct registry {
  int n;
  handle slots[8];
};

struct registry *volatile registry;

__attribute__((noinline)) static handle make_handle(void *p, unsigned kind) {
  return (uint64_t)kind << KIND_SHIFT | REF_ONE | (uintptr_t)p;
}

__attribute__((noinline)) static void *object_of(handle h) {
  return (void *)(uintptr_t)(h & ADDR_MASK);
}

__attribute__((noinline)) static struct entry new_object(int id, size_t size,
                                                         unsigned kind) {
  struct object *o = malloc(size);
  memset(o, 0, size);
  o->id = id;
  struct entry e = {make_handle(o, kind), id};
  return e;
}

__attribute__((noinline)) static int add(struct registry *r, struct entry e) {
  r->slots[r->n] = e.h;
  return r->n++;
}

__attribute__((noinline)) static void retain(handle *h) { *h += REF_ONE; }

/* Removes slot i by moving the last handle into it (and forgets to release
 * the removed object: the leak). */
__attribute__((noinline)) static void remove_slot(struct registry *r, int i) {
  r->slots[i] = r->slots[--r->n];
  r->slots[r->n] = 0;
}

__attribute__((noinline)) static void build(void) {
  struct registry *r = calloc(1, sizeof *r);
  int dropped = add(r, new_object(2, 203, KIND_IMAGE));
  int kept = add(r, new_object(1, 101, KIND_BUFFER));
  retain(&r->slots[kept]);
  remove_slot(r, dropped);
  registry = r;
}

__attribute__((noinline)) static void show(void) {
  handle h = registry->slots[0];
  struct object *o = object_of(h);
  fprintf(stderr, "%d slot(s): id %d, kind %#x, refs %u\n", registry->n,
          o->id, KIND_OF(h), REFS_OF(h));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 1 slot(s): id 1, kind 0x21, refs 2
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 1 slot(s): id 1, kind 0x21, refs 2
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
