// Blocks referenced from globals (.data, .bss, static, static locals, inside
// a global struct array, by an interior pointer) are reachable: no report and
// the program's own exit status; with use_globals=0 the same blocks leak.
// RUN: %leakcc -O0 %s -o %t
// RUN: %run %t 2>&1 | FileCheck %s --check-prefix=ROOTS
// RUN: %env_leakcc_opts=use_globals=0 not %run %t 2>&1 | FileCheck %s --check-prefix=NOGLOBALS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %run %t.O2 2>&1 | FileCheck %s --check-prefix=ROOTS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *in_bss;                   /* zero-initialized */
void *in_data = (void *)&in_bss; /* initialized */
static char *in_static;
struct entry {
  int key;
  char *value;
} table[4] = {{1, 0}};
char *interior;

__attribute__((noinline)) static char *cached(void) {
  static char *cache; /* static local */
  if (!cache) {
    cache = malloc(77);
    strcpy(cache, "cached");
  }
  return cache;
}

__attribute__((noinline)) static void fill(void) {
  in_bss = malloc(11);
  in_data = malloc(22);
  in_static = malloc(33);
  table[2].value = malloc(44);
  interior = (char *)malloc(55) + 20;
  cached();
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %p %p %p %p %p\n", cached(), in_bss, in_data,
          (void *)in_static, (void *)table[2].value, (void *)interior);
}

int main(void) {
  fill();
  show();
  /* After show(): its frame (and fprintf's, which spill the arguments)
   * lies below main's, where scrub_stack clears it. */
  scrub_stack();
  return 0;
}
// ROOTS: cached
// ROOTS-NOT: leakcc

// NOGLOBALS: ERROR: leakcc: detected memory leaks
// NOGLOBALS-DAG: Direct leak of 77 byte(s) in 1 object(s)
// NOGLOBALS-DAG: Direct leak of 55 byte(s) in 1 object(s)
// NOGLOBALS-DAG: Direct leak of 44 byte(s) in 1 object(s)
// NOGLOBALS-DAG: Direct leak of 33 byte(s) in 1 object(s)
// NOGLOBALS-DAG: Direct leak of 22 byte(s) in 1 object(s)
// NOGLOBALS-DAG: Direct leak of 11 byte(s) in 1 object(s)
// NOGLOBALS: SUMMARY: leakcc:
