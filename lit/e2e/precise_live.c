// mode=precise keeps alive every block referenced by a raw pointer that
// instrumented code stored into an instrumented block: plain stores into
// heap structs, copies by memcpy (inline and through the runtime hook),
// a block full of pointers moved by realloc, and pointers stored by loops the
// -O2 vectoriser turns into vector stores.  Nothing leaks, in both modes.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise %run %t.O2 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

#define N 64

struct node {
  struct node *next;
  long value;
};

struct root {
  struct node *list;    /* linked list: pointer stores into heap blocks */
  struct node **copy;   /* a pointer array copied with memcpy */
  struct node *pair[2]; /* copied by an inline (constant-size) memcpy */
  void **moved;         /* a block full of pointers, grown by realloc */
  char **interior;      /* vectorised stores of interior pointers */
  char *big;            /* ...into this block, which nothing else holds */
};

struct root *volatile root;
volatile size_t n = N; /* not a constant: memcpy goes through the hook */

__attribute__((noinline)) static struct node *push(struct node *head, long v) {
  struct node *x = malloc(sizeof *x);
  x->next = head;
  x->value = v;
  return x;
}

__attribute__((noinline)) static void build_list(struct root *r) {
  for (long i = 0; i < N; i++)
    r->list = push(r->list, i);
}

__attribute__((noinline)) static void build_copy(struct root *r) {
  struct node **tmp = malloc(n * sizeof *tmp);
  for (size_t i = 0; i < n; i++)
    tmp[i] = push(NULL, (long)i);
  r->copy = malloc(n * sizeof *r->copy);
  memcpy(r->copy, tmp, n * sizeof *tmp);
  struct node *pair[2] = {push(NULL, 1), push(NULL, 2)};
  memcpy(r->pair, pair, sizeof pair);
  free(tmp);
}

__attribute__((noinline)) static void build_moved(struct root *r) {
  size_t used = 0;
  void **v = malloc(4 * sizeof *v);
  while (used < 4)
    v[used++] = malloc(24);
  for (size_t cap = 8; cap <= 8192; cap *= 4) {
    v = realloc(v, cap * sizeof *v); /* moves: small classes, then large */
    v[used++] = malloc(40);
  }
  r->moved = v;
}

__attribute__((noinline)) static void fill_interior(char **dst, char *base,
                                                    size_t count) {
  for (size_t i = 0; i < count; i++)
    dst[i] = base + 16 * i; /* <2 x ptr> stores at -O2 */
}

__attribute__((noinline)) static void build_interior(struct root *r) {
  r->interior = malloc(N * sizeof *r->interior);
  char *big = malloc(16 * N);
  fill_interior(r->interior, big, N);
}

__attribute__((noinline)) static long count_list(const struct node *x) {
  long c = 0;
  for (; x; x = x->next)
    c++;
  return c;
}

int main(void) {
  root = calloc(1, sizeof *root);
  build_list(root);
  build_copy(root);
  build_moved(root);
  build_interior(root);
  scrub_stack();
  fprintf(stderr, "list %ld, copy %ld, pair %ld, interior %s\n",
          count_list(root->list), root->copy[N - 1]->value,
          root->pair[1]->value, root->interior[1] ? "set" : "unset");
  return 0;
}
// CHECK: list 64, copy 63, pair 2, interior set
// CHECK-NOT: leak
