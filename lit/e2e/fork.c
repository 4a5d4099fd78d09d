// fork: the child and the parent each run their own exit-time check and report
// their own leaks (a leak from before the fork in both) under their own PID;
// forking while another thread allocates does not deadlock the child.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: timeout 60 %run %t stress 2>&1 | FileCheck %s --check-prefix=STRESS
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(size_t n) {
  sink = malloc(n);
  sink = NULL;
}

static void *churn(void *arg) {
  for (;;) {
    void *p = malloc(64);
    sink = p;
    free(p);
  }
  return NULL;
}

static int stress(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, churn, NULL))
    abort();
  for (int i = 0; i < 20; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      free(malloc(100)); /* the allocator works in the child */
      exit(0);           /* and the child's exit-time check finds nothing */
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status)) {
      fprintf(stderr, "child %d failed\n", i);
      return 1;
    }
  }
  fprintf(stderr, "20 children ok\n");
  return 0; /* churn is still running */
}

int main(int argc, char **argv) {
  if (argc > 1)
    return stress();
  leak(5);
  fprintf(stderr, "parent pid %d\n", (int)getpid());
  pid_t pid = fork();
  if (pid == 0) {
    fprintf(stderr, "child pid %d\n", (int)getpid());
    leak(11);
    scrub_stack();
    return 0;
  }
  int status;
  if (waitpid(pid, &status, 0) != pid)
    abort();
  fprintf(stderr, "child status %d\n", WEXITSTATUS(status));
  leak(22);
  scrub_stack();
  return 0;
}
// CHECK: parent pid [[PARENT:[0-9]+]]
// CHECK: child pid [[CHILD:[0-9]+]]
// CHECK: ==[[CHILD]]==ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 11 byte(s) in 1 object(s)
// CHECK: Direct leak of 5 byte(s) in 1 object(s)
// CHECK: SUMMARY: leakcc: 16 byte(s) leaked in 2 allocation(s).
// CHECK: child status 23
// CHECK: ==[[PARENT]]==ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 22 byte(s) in 1 object(s)
// CHECK: Direct leak of 5 byte(s) in 1 object(s)
// CHECK: SUMMARY: leakcc: 27 byte(s) leaked in 2 allocation(s).

// STRESS: 20 children ok
// STRESS-NOT: leakcc
