// Hidden pointer (issue 3, idiom 1): low-bit tags.  A Lisp-style value keeps
// its type in the two low bits of an object's address (p | 1 for a pair,
// p | 3 for a string).  A 101-byte string is referenced only by a tagged word
// in a pair, the pair only by a tagged word in an environment block that is
// snapshotted with memcpy; a 203-byte string is leaked when its slot is
// overwritten.  mode=precise must keep the first and report the second.
//
// No mode=conservative run line: a low tag keeps the word inside its block, so
// conservative scanning (interior pointers count) happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

typedef uintptr_t value;
#define TAG_MASK ((value)3)
#define TAG_FIXNUM ((value)0)
#define TAG_PAIR ((value)1)
#define TAG_STRING ((value)3)
#define MAKE(p, tag) ((value)(p) | (tag))
#define UNTAG(v) ((void *)((v) & ~TAG_MASK))
#define FIXNUM(n) ((value)(n) << 2 | TAG_FIXNUM)

struct pair {
  value car, cdr;
};

struct string {
  size_t len;
  char text[];
};

struct env {
  value slots[4];
};

struct env *volatile globals;

__attribute__((noinline)) static value make_string(const char *s,
                                                   size_t size) {
  struct string *str = malloc(size);
  str->len = strlen(s);
  memcpy(str->text, s, str->len + 1);
  return MAKE(str, TAG_STRING);
}

__attribute__((noinline)) static value cons(value car, value cdr) {
  struct pair *p = malloc(sizeof *p);
  p->car = car;
  p->cdr = cdr;
  return MAKE(p, TAG_PAIR);
}

__attribute__((noinline)) static void define(struct env *e, int slot,
                                             value v) {
  e->slots[slot] = v;
}

/* A copy of the environment: the tagged words travel through memcpy. */
__attribute__((noinline)) static struct env *snapshot(const struct env *e) {
  struct env *copy = malloc(sizeof *copy);
  memcpy(copy, e, sizeof *copy);
  return copy;
}

__attribute__((noinline)) static void build(void) {
  struct env *e = calloc(1, sizeof *e);
  define(e, 0, cons(make_string("kept", 101), FIXNUM(7)));
  define(e, 1, make_string("dropped", 203));
  define(e, 1, FIXNUM(42)); /* the 203-byte string leaks */
  globals = snapshot(e);
  free(e);
}

__attribute__((noinline)) static void show(void) {
  struct pair *p = UNTAG(globals->slots[0]);
  struct string *s = UNTAG(p->car);
  fprintf(stderr, "car %s, cdr %ld, slot1 %ld\n", s->text,
          (long)(p->cdr >> 2), (long)(globals->slots[1] >> 2));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: car kept, cdr 7, slot1 42
// CHECK-NOT: leak of 101 byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 101 byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
