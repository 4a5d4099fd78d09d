// Another thread's stack is a root: while a thread blocked on a pipe holds the
// only pointer, __lsan_do_recoverable_leak_check finds no leak (the thread is
// stopped and scanned, not ignored); with use_stacks=0:use_registers=0 it
// finds the block, and the program continues normally either way.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %run %t 2>&1 | FileCheck %s --check-prefix=LIVE
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0:report_objects=1 %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %run %t.O2 2>&1 | FileCheck %s --check-prefix=LIVE
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int ready[2], go[2];

static void *holder(void *arg) {
  void *volatile only_ref = malloc(4321);
  fprintf(stderr, "Test alloc: %p.\n", only_ref);
  char c = 1;
  if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
    abort();
  free(only_ref);
  return NULL;
}

int main(void) {
  pthread_t t;
  char c;
  if (pipe(ready) || pipe(go) || pthread_create(&t, NULL, holder, NULL) ||
      read(ready[0], &c, 1) != 1)
    abort();
  int first = __lsan_do_recoverable_leak_check();
  int second = __lsan_do_recoverable_leak_check();
  fprintf(stderr, "leaks=%d,%d\n", first, second);
  if (write(go[1], &c, 1) != 1)
    abort();
  pthread_join(t, NULL);
  fprintf(stderr, "joined\n");
  return 0;
}
// LIVE: Test alloc: 0x
// LIVE-NEXT: leaks=0,0
// LIVE-NEXT: joined
// LIVE-NOT: leakcc

// CHECK: Test alloc: [[ADDR:0x[0-9a-f]+]].
// CHECK: Direct leak of 4321 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in holder {{.*}}roots_threads.c:19
// CHECK: [[ADDR]] (4321 bytes)
// CHECK: Direct leak of 4321 byte(s) in 1 object(s) allocated from:
// CHECK: [[ADDR]] (4321 bytes)
// CHECK: leaks=1,1
// CHECK-NEXT: joined
// CHECK-NOT: leakcc
