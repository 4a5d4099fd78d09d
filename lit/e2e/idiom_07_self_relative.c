// Hidden pointer (issue 3, idiom 7): self-relative offsets (target - &field),
// as PostgreSQL's relptr and Swift's relative pointers store them.  The
// relptr_store/relptr_load macros encode and decode at the field's own
// address; cloning a directory re-encodes every entry at its new address.
// A 101-byte blob is referenced only by such an offset in the clone; a
// 203-byte blob leaks when its entry is overwritten.  mode=precise must keep
// the first and report the second; conservative scanning sees a distance,
// not an address, and reports the live blob as leaked.
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

typedef intptr_t relptr; /* 0 is NULL */

#define relptr_store(field, p)                                                 \
  ((field) = (p) ? (intptr_t)(p) - (intptr_t) & (field) : 0)
#define relptr_load(field)                                                     \
  ((field) ? (void *)((char *)&(field) + (field)) : NULL)

struct blob {
  int id;
  char bytes[];
};

struct dir {
  int n;
  relptr entries[4];
};

struct dir *volatile dir;

__attribute__((noinline)) static void set_entry(struct dir *d, int i,
                                                struct blob *b) {
  relptr_store(d->entries[i], b);
}

__attribute__((noinline)) static struct blob *get_entry(struct dir *d,
                                                        int i) {
  return relptr_load(d->entries[i]);
}

__attribute__((noinline)) static struct blob *new_blob(int id, size_t size) {
  struct blob *b = calloc(1, size);
  b->id = id;
  return b;
}

/* A copy at another address: every entry is re-encoded. */
__attribute__((noinline)) static struct dir *clone(struct dir *src) {
  struct dir *d = calloc(1, sizeof *d);
  d->n = src->n;
  for (int i = 0; i < src->n; i++)
    set_entry(d, i, get_entry(src, i));
  return d;
}

__attribute__((noinline)) static void build(void) {
  struct dir *d = calloc(1, sizeof *d);
  d->n = 2;
  set_entry(d, 0, new_blob(1, 101));
  set_entry(d, 1, new_blob(2, 203));
  set_entry(d, 1, NULL); /* the 203-byte blob leaks */
  dir = clone(d);
  free(d);
}

__attribute__((noinline)) static void show(void) {
  struct blob *b = get_entry(dir, 0);
  fprintf(stderr, "entry 0: id %d, entry 1: %s\n", b->id,
          get_entry(dir, 1) ? "set" : "empty");
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: entry 0: id 1, entry 1: empty
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: entry 0: id 1, entry 1: empty
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
