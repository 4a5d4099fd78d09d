// strdup and strndup copies are heap blocks of strlen+1 (at most n+1) bytes,
// reported at their own sites, largest first.
// RUN: %leakcc -O0 %s -o %t && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 && not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;
const char *volatile text = "hello, world"; /* opaque to the optimizer */

static void keep(char *p) {
  sink = p;
  sink = 0;
}

// CHECK: copies: hello, world|hell|hello, world
__attribute__((noinline)) static void copies(void) {
  // CHECK: Direct leak of 13 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in copies {{.*}}strdup.c:[[@LINE+1]]
  char *a = strdup(text);
  // CHECK: Direct leak of 5 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in copies {{.*}}strdup.c:[[@LINE+1]]
  char *b = strndup(text, 4);
  // CHECK: Direct leak of 3 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in copies {{.*}}strdup.c:[[@LINE+1]]
  char *c = strndup("ab", 100);
  char *d = strdup(text); /* freed: not reported */
  fprintf(stderr, "copies: %s|%s|%s\n", a, b, d);
  if (strcmp(c, "ab"))
    abort();
  free(d);
  keep(a);
  keep(b);
  keep(c);
}

int main(void) {
  copies();
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 21 byte(s) leaked in 3 allocation(s).
