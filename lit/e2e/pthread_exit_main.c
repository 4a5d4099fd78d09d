// The main thread may leave with pthread_exit while another thread runs and
// later exits the process: the check still runs, the dead main thread is
// neither waited for nor scanned, and frames in the executable are symbolized
// (its path is not read from /proc/self, which the exited main thread owned).
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: timeout 60 not %run %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  sink = malloc(66);
  sink = NULL;
}

static void *worker(void *arg) {
  usleep(50000); /* let main finish pthread_exit */
  leak();
  scrub_stack();
  fprintf(stderr, "worker exits the process\n");
  exit(0);
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL))
    abort();
  pthread_exit(NULL);
}
// CHECK: worker exits the process
// CHECK-NOT: LLVMSymbolizer
// CHECK: Direct leak of 66 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak {{.*}}pthread_exit_main.c:17
// CHECK-NEXT: #1 {{.*}} in worker {{.*}}pthread_exit_main.c:23
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 66 byte(s) leaked in 1 allocation(s).
