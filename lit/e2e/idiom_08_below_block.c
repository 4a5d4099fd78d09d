// Hidden pointer (issue 3, idiom 8): pointers below their block, as Numerical
// Recipes' vector(nl, nh) returns v - nl so that v[nl..nh] is valid.  A model
// keeps a 1-based double vector (104 bytes, 8 bytes below) and an int vector
// indexed from 10 (84 bytes, 40 bytes below), each referenced only by its
// biased pointer; refitting replaces the 200-byte coefficient vector without
// free_vector, which leaks it.  mode=precise must keep the 104- and 84-byte
// blocks and report the 200-byte one; conservative scanning finds no address
// inside them and reports them as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#define NR_END 0

__attribute__((noinline)) static double *vector(long nl, long nh) {
  double *v = malloc((size_t)(nh - nl + 1 + NR_END) * sizeof(double));
  if (!v)
    abort();
  return v - nl + NR_END;
}

__attribute__((noinline)) static int *ivector(long nl, long nh) {
  int *v = malloc((size_t)(nh - nl + 1 + NR_END) * sizeof(int));
  if (!v)
    abort();
  return v - nl + NR_END;
}

struct model {
  long n;
  double *coef; /* coef[1..n] */
  int *hist;    /* hist[10..30] */
};

struct model *volatile model;

__attribute__((noinline)) static void fit(struct model *m, long n) {
  double *c = vector(1, n);
  for (long i = 1; i <= n; i++)
    c[i] = 1.0 / (double)i;
  m->coef = c; /* the previous coefficients are not freed: the leak */
  m->n = n;
}

__attribute__((noinline)) static void build(void) {
  struct model *m = calloc(1, sizeof *m);
  m->hist = ivector(10, 30);
  for (long i = 10; i <= 30; i++)
    m->hist[i] = (int)i;
  fit(m, 25); /* 200 bytes */
  fit(m, 13); /* 104 bytes */
  model = m;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "n %ld, coef[1] %g, coef[n] %.4f, hist[10] %d, hist[30] %d\n",
          model->n, model->coef[1], model->coef[model->n], model->hist[10],
          model->hist[30]);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: n 13, coef[1] 1, coef[n] 0.0769, hist[10] 10, hist[30] 30
// PRECISE-NOT: leak of {{104|84}} byte
// PRECISE: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{104|84}} byte
// PRECISE: SUMMARY: leakcc: 200 byte(s) leaked in 1 allocation(s).

// CONS: n 13, coef[1] 1, coef[n] 0.0769, hist[10] 10, hist[30] 30
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 104 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 84 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 388 byte(s) leaked in 3 allocation(s).
