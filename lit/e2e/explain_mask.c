// Explain mode, tagged and NaN-boxed pointers (issue 3, idioms 2 and 3;
// shadow MASK): one object is referenced only by a handle with a kind in its
// top 16 bits, stored in a registry block; another only by a NaN-boxed
// double in a global; the tagged object points to a child.  Conservative
// marking reports the three as leaks.  explain=1 names the kind and where
// each hidden pointer lives (holding block and offset, or the global), and
// says the child is reached through the tagged object.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

#define NAN_BOX UINT64_C(0xfff9000000000000)

struct object {
  struct object *child;
  long id;
};

struct registry {
  long n;
  uint64_t handles[2];
};

struct registry *volatile registry;
double boxed; /* a NaN-boxed object pointer */

__attribute__((noinline)) static uint64_t tag(void *p, unsigned kind) {
  return (uint64_t)kind << 56 | (uintptr_t)p;
}

__attribute__((noinline)) static double box(void *p) {
  uint64_t bits = NAN_BOX | (uintptr_t)p;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

__attribute__((noinline)) static struct object *make(long id) {
  struct object *o = calloc(1, sizeof *o);
  o->id = id;
  return o;
}

__attribute__((noinline)) static void build(void) {
  struct registry *r = calloc(1, sizeof *r);
  struct object *tagged = make(1);
  tagged->child = make(2);
  r->handles[0] = tag(tagged, 0x21);
  r->n = 1;
  registry = r;
  struct object *nan = make(3);
  boxed = box(nan);
  fprintf(stderr, "registry %p tagged %p child %p nan %p global %p\n",
          (void *)r, (void *)tagged, (void *)tagged->child, (void *)nan,
          (void *)&boxed);
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: registry [[REG:0x[0-9a-f]+]] tagged [[TAGGED:0x[0-9a-f]+]] child [[CHILD:0x[0-9a-f]+]] nan [[NAN:0x[0-9a-f]+]] global [[GLOBAL:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 3 block(s): 3 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-DAG: leakcc: explain: 16-byte block [[TAGGED]] (allocated at {{.*}}explain_mask.c:{{[0-9:]+}}) is live only in precise mode: it is referenced by a tagged or NaN-boxed pointer at offset 8 of 24-byte block [[REG]] (allocated at {{.*}}explain_mask.c:{{[0-9:]+}})
// CHECK-DAG: leakcc: explain: 16-byte block [[NAN]] (allocated at {{.*}}explain_mask.c:{{[0-9:]+}}) is live only in precise mode: it is referenced by a tagged or NaN-boxed pointer in instrumented globals at [[GLOBAL]]
// CHECK-DAG: leakcc: explain: 16-byte block [[CHILD]] (allocated at {{.*}}explain_mask.c:{{[0-9:]+}}) is live only in precise mode: reached through block [[TAGGED]]
// CHECK-NOT: leakcc: explain
