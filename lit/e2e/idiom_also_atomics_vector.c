// Stores by atomics and vector instructions (issue 3, "Also") of hidden
// (high-tagged) pointers:
//  - a Treiber stack whose head word packs a 16-bit ABA counter above the
//    48-bit address, updated with compare-and-swap: the top node (104 bytes)
//    is referenced only by the tagged head, the node below (101 bytes) by the
//    top node's raw next pointer; a 203-byte node is popped and dropped
//    without free, so it leaks;
//  - a slot written by atomic_exchange with a tagged value (111 bytes);
//  - eight 120-byte blocks referenced only by tagged words that a loop the
//    -O2 vectoriser turns into vector stores writes from pointers held on
//    the stack, and a pair written by straight-line code SLP vectorises
//    (two 56-byte blocks).
// mode=precise must keep all the tagged blocks and report the popped node;
// conservative scanning does not recognise tagged words and reports every
// block they hold.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

#define ADDR_MASK ((UINT64_C(1) << 48) - 1)
#define COUNT_ONE (UINT64_C(1) << 48)
#define TAG_OBJ (UINT64_C(0x8001) << 48)
#define UNTAG(v) ((void *)(uintptr_t)((v) & ADDR_MASK))
#define NVEC 8

struct node {
  struct node *next;
  int id;
  char data[];
};

struct shared {
  _Atomic uint64_t head; /* ABA counter << 48 | node address */
  _Atomic uint64_t current;
  uint64_t tagged[NVEC];
  uint64_t pair[2];
};

struct shared *volatile shared;

__attribute__((noinline)) static void push(struct shared *s, struct node *n) {
  uint64_t old = atomic_load(&s->head);
  do {
    n->next = UNTAG(old);
  } while (!atomic_compare_exchange_weak(
      &s->head, &old, ((old & ~ADDR_MASK) + COUNT_ONE) | (uintptr_t)n));
}

__attribute__((noinline)) static struct node *pop(struct shared *s) {
  uint64_t old = atomic_load(&s->head);
  struct node *n;
  do {
    n = UNTAG(old);
    if (!n)
      return NULL;
  } while (!atomic_compare_exchange_weak(
      &s->head, &old, ((old & ~ADDR_MASK) + COUNT_ONE) | (uintptr_t)n->next));
  return n;
}

__attribute__((noinline)) static struct node *new_node(int id, size_t size) {
  struct node *n = calloc(1, size);
  n->id = id;
  return n;
}

__attribute__((noinline)) static void tag_all(uint64_t *restrict out,
                                              void *const *restrict in,
                                              size_t n) {
  for (size_t i = 0; i < n; i++)
    out[i] = TAG_OBJ | (uintptr_t)in[i];
}

__attribute__((noinline)) static void tag_pair(uint64_t *restrict out,
                                               void *a, void *b) {
  out[0] = TAG_OBJ | (uintptr_t)a;
  out[1] = TAG_OBJ | (uintptr_t)b;
}

__attribute__((noinline)) static void fill_vectors(struct shared *s) {
  void *in[NVEC];
  for (int i = 0; i < NVEC; i++) {
    in[i] = malloc(120);
    memset(in[i], 'v', 120);
  }
  tag_all(s->tagged, in, NVEC);
  tag_pair(s->pair, calloc(1, 56), calloc(1, 56));
}

__attribute__((noinline)) static void build(void) {
  struct shared *s = calloc(1, sizeof *s);
  push(s, new_node(1, 101));
  push(s, new_node(2, 203));
  pop(s); /* dropped without free: the leak */
  push(s, new_node(3, 104));
  atomic_exchange(&s->current, TAG_OBJ | (uintptr_t)new_node(4, 111));
  fill_vectors(s);
  shared = s;
}

__attribute__((noinline)) static void show(void) {
  uint64_t head = atomic_load(&shared->head);
  struct node *top = UNTAG(head);
  fprintf(stderr, "count %u, stack %d %d, current %d, vector %c\n",
          (unsigned)(head >> 48), top->id, top->next->id,
          ((struct node *)UNTAG(atomic_load(&shared->current)))->id,
          *(char *)UNTAG(shared->tagged[NVEC - 1]));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: count 4, stack 3 1, current 4, vector v
// PRECISE-NOT: leak of {{101|104|111|120|960|56}} byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{101|104|111|120|960|56}} byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: count 4, stack 3 1, current 4, vector v
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 111 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 104 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of {{120|960}} byte(s)
// CONS-DAG: Direct leak of 56 byte(s)
// CONS-DAG: Indirect leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 1591 byte(s) leaked in 14 allocation(s).
