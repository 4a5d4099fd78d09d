// Hidden pointer (issue 3, idiom 9): blocks remembered only by their
// one-past-the-end pointer.  A scanner that consumed its whole 101-byte
// buffer keeps cursor == limit == buf + 101; an empty downward-growing stack
// keeps top == base + 13 slots (104 bytes).  Refilling the scanner drops its
// previous 203-byte buffer without freeing it.  mode=precise must keep the
// 101- and 104-byte blocks and report the 203-byte one.
//
// No mode=conservative run line: LSan does not count an end pointer as a
// reference to its block and reports both live blocks, but leakcc's
// allocator leaves slack after every block and its lookup counts the
// one-past-the-end address as part of the block, so its conservative
// marking happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct scanner {
  const char *cursor, *limit;
  long sum;
};

struct stack {
  void **top; /* grows down; empty when top is one past the end */
  long pushed;
};

struct state {
  struct scanner sc;
  struct stack st;
};

struct state *volatile state;

__attribute__((noinline)) static void refill(struct scanner *s, size_t n,
                                             char fill) {
  char *buf = malloc(n); /* the previous buffer is not freed: the leak */
  memset(buf, fill, n);
  s->cursor = buf;
  s->limit = buf + n;
}

__attribute__((noinline)) static void consume(struct scanner *s) {
  while (s->cursor < s->limit)
    s->sum += *s->cursor++;
}

__attribute__((noinline)) static void **stack_init(size_t slots) {
  void **base = malloc(slots * sizeof *base);
  return base + slots;
}

__attribute__((noinline)) static void push(struct stack *st, void *v) {
  *--st->top = v;
  st->pushed++;
}

__attribute__((noinline)) static void *pop(struct stack *st) {
  return *st->top++;
}

__attribute__((noinline)) static void build(void) {
  struct state *s = calloc(1, sizeof *s);
  refill(&s->sc, 203, 1);
  consume(&s->sc);
  refill(&s->sc, 101, 2);
  consume(&s->sc);
  s->st.top = stack_init(13);
  push(&s->st, s);
  push(&s->st, NULL);
  pop(&s->st);
  pop(&s->st);
  state = s;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "sum %ld, at end %d, pushed %ld, last %d\n", state->sc.sum,
          state->sc.cursor == state->sc.limit, state->st.pushed,
          state->st.top[-1] == state);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: sum 405, at end 1, pushed 2, last 1
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
