// Hidden pointer (issue 3, idiom 17): a pointer kept in a union with a
// double, as dynamic-language values (Lua's TValue) are.  Values are made by
// helpers and passed and returned by value (the union travels in an integer
// register), and a slot is copied through its double member, a copy that
// moves the pointer's bits through a floating-point load and store.  A
// 101-byte object is referenced only by such a copied value; a 203-byte
// object leaks when its slot is set to a number.  mode=precise must keep the
// first and report the second.
//
// No mode=conservative run line: the word holds the raw address, so
// conservative scanning happens to be right here; the case is about
// provenance surviving floating-point and by-value copies.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct object {
  int id;
  char data[];
};

enum type { T_NUM, T_OBJ };

struct value {
  enum type type;
  union {
    double num;
    struct object *obj;
  } as;
};

struct table {
  struct value slots[4];
};

struct table *volatile table;

__attribute__((noinline)) static struct value make_num(double d) {
  struct value v;
  v.type = T_NUM;
  v.as.num = d;
  return v;
}

__attribute__((noinline)) static struct value make_obj(int id, size_t size) {
  struct value v;
  v.type = T_OBJ;
  v.as.obj = calloc(1, size);
  v.as.obj->id = id;
  return v;
}

__attribute__((noinline)) static void set_slot(struct table *t, int i,
                                               struct value v) {
  t->slots[i] = v;
}

/* Copies a slot through the union's double member, as generic code that
 * moves "any 8-byte payload" does. */
__attribute__((noinline)) static void copy_slot(struct table *t, int dst,
                                                int src) {
  t->slots[dst].type = t->slots[src].type;
  t->slots[dst].as.num = t->slots[src].as.num;
}

__attribute__((noinline)) static void build(void) {
  struct table *t = calloc(1, sizeof *t);
  set_slot(t, 0, make_obj(1, 101));
  set_slot(t, 1, make_obj(2, 203));
  copy_slot(t, 2, 0);
  set_slot(t, 0, make_num(0.25));
  set_slot(t, 1, make_num(0.5)); /* the 203-byte object leaks */
  table = t;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "slot 0 %g, slot 1 %g, slot 2 object %d\n",
          table->slots[0].as.num, table->slots[1].as.num,
          table->slots[2].as.obj->id);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: slot 0 0.25, slot 1 0.5, slot 2 object 1
// CHECK-NOT: leak of 101 byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 101 byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
