// A block grown by a chain of realloc calls (moving it from small size
// classes to a separately mapped large block) keeps its contents and is
// reported with its final size at the last realloc site; reallocarray too.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

// CHECK: contents kept
// CHECK: Direct leak of 100000 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static void grow(void) {
  char *p = realloc(NULL, 8);
  strcpy(p, "abcdefg");
  p = realloc(p, 64);
  p = realloc(p, 512);
  p = realloc(p, 4096);
  // CHECK-NEXT: #0 {{.*}} in grow {{.*}}realloc.c:[[@LINE+1]]
  p = realloc(p, 100000);
  if (strcmp(p, "abcdefg"))
    abort();
  fprintf(stderr, "contents kept\n");
  sink = p;
  sink = 0;
}

// CHECK: Direct leak of 160 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static void grow_array(void) {
  long *a = reallocarray(NULL, 10, sizeof(long));
  a[9] = 42;
  // CHECK-NEXT: #0 {{.*}} in grow_array {{.*}}realloc.c:[[@LINE+1]]
  a = reallocarray(a, 20, sizeof(long));
  if (a[9] != 42)
    abort();
  sink = a;
  sink = 0;
}

// CHECK: Direct leak of 24 byte(s) in 1 object(s) allocated from:
__attribute__((noinline)) static void shrink(void) {
  char *p = malloc(3000);
  // CHECK-NEXT: #0 {{.*}} in shrink {{.*}}realloc.c:[[@LINE+1]]
  p = realloc(p, 24);
  sink = p;
  sink = 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 100184 byte(s) leaked in 3 allocation(s).

int main(void) {
  grow();
  grow_array();
  shrink();
  scrub_stack();
  return 0;
}
