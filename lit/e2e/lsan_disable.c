// __lsan_disable/__lsan_enable: allocations made by this thread while disabled
// (calls nest) are never reported; allocations after enable, and those of
// another thread while this one is disabled, are.
// RUN: %leakcc -O0 %s -o %t -lpthread && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread && not %run %t.O2 2>&1 | FileCheck %s
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

static void drop(void *p) {
  sink = p;
  sink = NULL;
}

static void *other_thread(void *arg) {
  // CHECK: Direct leak of 99 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in other_thread {{.*}}lsan_disable.c:[[@LINE+1]]
  drop(malloc(99));
  return NULL;
}

int main(void) {
  __lsan_disable();
  drop(malloc(10));
  __lsan_disable();
  drop(malloc(20));
  __lsan_enable();
  drop(malloc(30)); /* still disabled: one level left */
  pthread_t t;
  if (pthread_create(&t, NULL, other_thread, NULL) || pthread_join(t, NULL))
    abort();
  __lsan_enable();
  // CHECK: Direct leak of 40 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in main {{.*}}lsan_disable.c:[[@LINE+1]]
  drop(malloc(40));
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 139 byte(s) leaked in 2 allocation(s).
