// Explain mode, a pointer below its block (issue 3, idiom 8; side table): a
// Numerical Recipes style 1-based vector keeps only `v - 1`, which points
// 8 bytes before the block.  Conservative marking reports the vector.
// explain=1 names the kind (a pointer outside its block) and the holding
// block and offset.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct matrix {
  long n;
  double *v; /* 1-based: v[1..n] */
};

struct matrix *volatile matrix;

__attribute__((noinline)) static double *vector(long n) {
  double *v = malloc(n * sizeof *v);
  return v - 1;
}

__attribute__((noinline)) static void build(void) {
  struct matrix *m = calloc(1, sizeof *m);
  m->n = 40;
  m->v = vector(m->n);
  m->v[1] = 1.0;
  matrix = m;
  fprintf(stderr, "vector %p matrix %p\n", (void *)(m->v + 1), (void *)m);
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: vector [[VEC:0x[0-9a-f]+]] matrix [[MATRIX:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 1 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 320-byte block [[VEC]] (allocated at {{.*}}explain_below.c:24:{{[0-9]+}}) is live only in precise mode: it is referenced by a pointer outside its block at offset 8 of 16-byte block [[MATRIX]] (allocated at {{.*}}explain_below.c:29:{{[0-9]+}})
// CHECK-NOT: leakcc: explain
