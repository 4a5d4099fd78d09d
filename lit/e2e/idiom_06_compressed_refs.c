// Hidden pointer (issue 3, idiom 6): 32-bit compressed references, signed
// offsets from a heap base (the root object), as in pointer-compressing VMs.
// Each object holds int32 child and sibling references; make_links returns
// both in one 8-byte struct by value, so at -O2 they travel packed in one
// register.  A 101-byte object is referenced only by its root's compressed
// child reference; a 109-byte sibling leaks when it is detached.  Objects
// share one size class (16..128 by 16), because a 32-bit offset cannot span
// the allocator's per-class regions.  mode=precise must keep the first and
// report the second; conservative scanning sees small integers and reports
// the live object as leaked.
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

typedef int32_t ref; /* 0 is null: the base object is never referenced */

struct links {
  ref child;
  ref sibling;
};

struct obj {
  struct links links;
  int id;
  char data[];
};

static char *heap_base;
struct obj *volatile root;

__attribute__((noinline)) static ref compress(struct obj *p) {
  return p ? (ref)((char *)p - heap_base) : 0;
}

__attribute__((noinline)) static struct obj *decompress(ref r) {
  return r ? (struct obj *)(heap_base + r) : NULL;
}

__attribute__((noinline)) static struct links make_links(struct obj *child,
                                                         struct obj *sibling) {
  struct links l = {compress(child), compress(sibling)};
  return l;
}

__attribute__((noinline)) static void set_links(struct obj *o,
                                                struct links l) {
  o->links = l;
}

__attribute__((noinline)) static struct obj *new_obj(int id, size_t size) {
  struct obj *o = malloc(size);
  memset(o, 0, size);
  o->id = id;
  return o;
}

__attribute__((noinline)) static void build(void) {
  struct obj *r = new_obj(0, 100);
  heap_base = (char *)r;
  struct obj *kept = new_obj(1, 101);
  struct obj *dropped = new_obj(2, 109);
  set_links(kept, make_links(NULL, dropped));
  set_links(r, make_links(kept, NULL));
  /* Detach the sibling (and forget to free it: the leak). */
  struct obj *first = decompress(r->links.child);
  set_links(first, make_links(decompress(first->links.child), NULL));
  root = r;
}

__attribute__((noinline)) static void show(void) {
  struct obj *child = decompress(root->links.child);
  fprintf(stderr, "root's child: id %d, sibling %s\n", child->id,
          decompress(child->links.sibling) ? "present" : "none");
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: root's child: id 1, sibling none
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 109 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 109 byte(s) leaked in 1 allocation(s).

// CONS: root's child: id 1, sibling none
// CONS-DAG: Direct leak of 109 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 210 byte(s) leaked in 2 allocation(s).
