// Hidden pointer (issue 3, idiom 15): pointers written by libc.  tsearch
// stores the tree's root into a field of an instrumented heap struct and
// keeps the keys in nodes libc allocates: the root word gets no shadow from
// the pass, and a 101-byte key is referenced only from a libc node.  A
// 203-byte key is removed with tdelete and not freed, so it leaks.
// mode=precise must keep the tree and its keys (the summary admits no other
// leak) and report the removed key.
//
// No mode=conservative run line: the libc-written words are raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <search.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct key {
  int id;
  char data[];
};

struct index {
  void *root;
  int n;
};

struct index *volatile idx;

static int cmp(const void *a, const void *b) {
  return ((const struct key *)a)->id - ((const struct key *)b)->id;
}

__attribute__((noinline)) static void add(struct index *ix, int id,
                                          size_t size) {
  struct key *k = calloc(1, size);
  k->id = id;
  if (!tsearch(k, &ix->root, cmp))
    abort();
  ix->n++;
}

/* Removes an id from the index (and forgets to free the key: the leak). */
__attribute__((noinline)) static void drop(struct index *ix, int id) {
  struct key probe = {id};
  if (tdelete(&probe, &ix->root, cmp))
    ix->n--;
}

__attribute__((noinline)) static void build(void) {
  struct index *ix = calloc(1, sizeof *ix);
  add(ix, 3, 48);
  add(ix, 1, 101);
  add(ix, 2, 203);
  add(ix, 5, 48);
  drop(ix, 2);
  idx = ix;
}

__attribute__((noinline)) static void show(void) {
  struct key probe = {1};
  struct key **found = tfind(&probe, &idx->root, cmp);
  fprintf(stderr, "%d keys, 1 %s, 2 %s\n", idx->n,
          found && (*found)->id == 1 ? "found" : "missing",
          tfind(&(struct key){2}, &idx->root, cmp) ? "found" : "missing");
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: 3 keys, 1 found, 2 missing
// CHECK-NOT: leak of 101 byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 101 byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
