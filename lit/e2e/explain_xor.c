// Explain mode, XOR-encoded pointers (issue 3, idiom 4; side table): an XOR
// doubly linked list H A M B T held by a header through its head and tail.
// A and B appear raw in H's and T's links (NULL ^ next), but M is referenced
// only by the XORed links of A and B, and M's payload block only by M.
// Conservative marking reports M and its payload.  explain=1 blames M on
// an XOR-encoded word at offset 0 of A or B, and says the payload is reached
// through M.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct node {
  uintptr_t link; /* prev ^ next */
  char *payload;
  long id;
};

struct list {
  struct node *head, *tail;
};

struct list *volatile list;

__attribute__((noinline)) static uintptr_t link_of(struct node *prev,
                                                   struct node *next) {
  return (uintptr_t)prev ^ (uintptr_t)next;
}

__attribute__((noinline)) static struct node *step(struct node *from,
                                                   struct node *cur) {
  return (struct node *)(cur->link ^ (uintptr_t)from);
}

__attribute__((noinline)) static struct node *append(struct list *l, long id) {
  struct node *n = calloc(1, sizeof *n);
  n->id = id;
  n->link = link_of(l->tail, NULL);
  if (l->tail)
    l->tail->link = link_of(step(NULL, l->tail), n);
  else
    l->head = n;
  l->tail = n;
  return n;
}

__attribute__((noinline)) static void build(void) {
  struct list *l = calloc(1, sizeof *l);
  struct node *h = append(l, 1), *a = append(l, 2), *m = append(l, 3);
  struct node *b = append(l, 4), *t = append(l, 5);
  m->payload = malloc(100);
  list = l;
  fprintf(stderr, "H %p A %p M %p B %p T %p payload %p\n", (void *)h,
          (void *)a, (void *)m, (void *)b, (void *)t, m->payload);
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: M [[M:0x[0-9a-f]+]] B {{.*}} payload [[PAYLOAD:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 2 block(s): 2 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 24-byte block [[M]] (allocated at {{.*}}explain_xor.c:{{[0-9:]+}}) is live only in precise mode: it is referenced by a XOR-encoded pointer at offset 0 of 24-byte block {{0x[0-9a-f]+}} (allocated at {{.*}}explain_xor.c:{{[0-9:]+}})
// CHECK-NEXT: leakcc: explain: 100-byte block [[PAYLOAD]] (allocated at {{.*}}explain_xor.c:{{[0-9:]+}}) is live only in precise mode: reached through block [[M]]
// CHECK-NOT: leakcc: explain
