// Hidden pointer (issue 3, idiom 18): interior pointers far into the block.
// Items carry an intrusive list link 1040 bytes in (after a large header),
// and the list (a circular list with a sentinel in a heap queue) links the
// link fields, so a 1101-byte item is referenced only by pointers 1040
// bytes past its start.  A 2203-byte item is unlinked with list_del and not
// freed, so it leaks.  mode=precise must keep the first and report the
// second.
//
// No mode=conservative run line: leakcc's conservative marking, like LSan,
// accepts interior pointers anywhere in a block, so it happens to be right
// here (tools that only honour pointers near the start are not).
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct list_head {
  struct list_head *next, *prev;
};

#define container_of(ptr, type, member)                                        \
  ((type *)((char *)(ptr) - offsetof(type, member)))

struct item {
  int id;
  char header[1036];
  struct list_head link; /* offset 1040 */
  char tail[];
};

_Static_assert(offsetof(struct item, link) == 1040, "link far inside");

struct queue {
  struct list_head items;
  int n;
};

struct queue *volatile queue;

__attribute__((noinline)) static void list_add_tail(struct list_head *n,
                                                    struct list_head *head) {
  n->prev = head->prev;
  n->next = head;
  head->prev->next = n;
  head->prev = n;
}

__attribute__((noinline)) static void list_del(struct list_head *n) {
  n->prev->next = n->next;
  n->next->prev = n->prev;
}

__attribute__((noinline)) static struct list_head *new_item(int id,
                                                            size_t size) {
  struct item *it = calloc(1, size);
  it->id = id;
  return &it->link;
}

__attribute__((noinline)) static void build(void) {
  struct queue *q = calloc(1, sizeof *q);
  q->items.next = q->items.prev = &q->items;
  list_add_tail(new_item(1, 1101), &q->items);
  struct list_head *dropped = new_item(2, 2203);
  list_add_tail(dropped, &q->items);
  list_del(dropped); /* not freed: the leak */
  q->n = 1;
  queue = q;
}

__attribute__((noinline)) static void show(void) {
  for (struct list_head *l = queue->items.next; l != &queue->items;
       l = l->next)
    fprintf(stderr, "queued item %d\n", container_of(l, struct item, link)->id);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: queued item 1
// CHECK-NOT: leak of 1101 byte
// CHECK: Direct leak of 2203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 1101 byte
// CHECK: SUMMARY: leakcc: 2203 byte(s) leaked in 1 allocation(s).
