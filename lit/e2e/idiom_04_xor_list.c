// Hidden pointer (issue 3, idiom 4): an XOR doubly linked list, each node
// keeping prev ^ next in one word.  List: H A M X B T.  The head and tail are
// held raw by the list header, A and B appear raw in H's and T's links
// (NULL ^ next), but the 101-byte node M is referenced only by A->link (H ^ M)
// and B->link (M ^ B's other neighbour).  Unlinking the 203-byte node X
// without freeing it leaks it.  Links are computed by helpers from decoded
// neighbours.  mode=precise must keep M and report X; conservative scanning
// cannot read XORed words and reports M as leaked.
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

struct node {
  uintptr_t link; /* prev ^ next */
  int id;
  char payload[];
};

struct list {
  struct node *head, *tail;
};

struct list *volatile list;

__attribute__((noinline)) static uintptr_t link_of(struct node *prev,
                                                   struct node *next) {
  return (uintptr_t)prev ^ (uintptr_t)next;
}

/* The neighbour of cur that is not from. */
__attribute__((noinline)) static struct node *step(struct node *from,
                                                   struct node *cur) {
  return (struct node *)(cur->link ^ (uintptr_t)from);
}

__attribute__((noinline)) static void append(struct list *l, int id,
                                             size_t size) {
  struct node *n = malloc(size);
  n->id = id;
  n->link = link_of(l->tail, NULL);
  if (l->tail)
    l->tail->link = link_of(step(NULL, l->tail), n);
  else
    l->head = n;
  l->tail = n;
}

/* Unlinks the node with this id (and forgets to free it: the leak). */
__attribute__((noinline)) static void unlink_id(struct list *l, int id) {
  struct node *prev = NULL, *cur = l->head;
  while (cur && cur->id != id) {
    struct node *next = step(prev, cur);
    prev = cur;
    cur = next;
  }
  if (!cur)
    return;
  struct node *next = step(prev, cur);
  if (prev)
    prev->link = link_of(step(cur, prev), next);
  else
    l->head = next;
  if (next)
    next->link = link_of(prev, step(cur, next));
  else
    l->tail = prev;
}

__attribute__((noinline)) static void build(void) {
  struct list *l = calloc(1, sizeof *l);
  append(l, 1, 48);  /* H */
  append(l, 2, 48);  /* A */
  append(l, 3, 101); /* M: only XORed references */
  append(l, 4, 203); /* X: unlinked below */
  append(l, 5, 48);  /* B */
  append(l, 6, 48);  /* T */
  unlink_id(l, 4);
  list = l;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "forward:");
  for (struct node *prev = NULL, *cur = list->head, *next; cur;
       prev = cur, cur = next) {
    next = step(prev, cur);
    fprintf(stderr, " %d", cur->id);
  }
  fprintf(stderr, "; backward:");
  for (struct node *prev = NULL, *cur = list->tail, *next; cur;
       prev = cur, cur = next) {
    next = step(prev, cur);
    fprintf(stderr, " %d", cur->id);
  }
  fprintf(stderr, "\n");
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: forward: 1 2 3 5 6; backward: 6 5 3 2 1
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: forward: 1 2 3 5 6; backward: 6 5 3 2 1
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
