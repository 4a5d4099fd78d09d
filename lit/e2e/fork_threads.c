// fork from a process with other threads: the child has only the forking
// thread, and the blocks the parent's other threads held (on their stacks or
// only in their registers, which no process can see any more) are the
// parent's, not leaks of the child.  So 20 children forked while 4 threads
// allocate, which free everything they allocate and exit(0), all exit 0 with
// no report, as in the plain build; a child's own leak is still reported
// (by that child), and the parent reports its own leak at its exit
// (docs/reliability.md, "Fork").
// RUN: %clang -O0 %s -o %t.plain -lpthread
// RUN: %run %t.plain 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: not %run %t.O2 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/scrub.h"

#define THREADS 4
#define CHILDREN 20

void *volatile sink;
static volatile int stop;

// Keeps blocks in its registers and on its stack, and frees them.
static void *allocator(void *arg) {
  void *held[8] = {0};
  for (unsigned i = 0; !stop; i++) {
    char *p = malloc(16 + i % 512);
    p[0] = (char)i;
    free(held[i % 8]);
    held[i % 8] = p;
    if (i % 64 == 0)
      usleep(100); // leave the CPU to the children
  }
  for (unsigned i = 0; i < 8; i++)
    free(held[i]);
  return NULL;
}

__attribute__((noinline)) static void leak(size_t n) {
  sink = malloc(n);
  sink = NULL;
}

int main(void) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&t[i], NULL, allocator, NULL))
      abort();
  usleep(20000);
  leak(55); // the parent's leak: reported by the parent only
  int clean = 0, leaky = 0;
  for (int i = 0; i < CHILDREN + 1; i++) {
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
      for (int j = 0; j < 1000; j++) // the allocator works in the child
        free(malloc(j % 300 + 1));
      if (i == CHILDREN)
        leak(66); // the child's own leak
      scrub_stack();
      exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
      abort();
    if (WEXITSTATUS(status) == 0)
      clean++;
    else if (i == CHILDREN)
      leaky = WEXITSTATUS(status);
    else
      fprintf(stderr, "child %d exited %d\n", i, WEXITSTATUS(status));
  }
  fprintf(stderr, "%d children exited 0; the leaky one %d\n", clean, leaky);
  stop = 1;
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  scrub_stack();
  return 0;
}
// PLAIN: 21 children exited 0; the leaky one 0
// PLAIN-NOT: {{.}}

// CHECK-NOT: exited
// CHECK: Direct leak of 66 byte(s) in 1 object(s) allocated from:
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 66 byte(s) leaked in 1 allocation(s).
// CHECK-NOT: leak of
// CHECK: 20 children exited 0; the leaky one 23
// CHECK: Direct leak of 55 byte(s) in 1 object(s) allocated from:
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 55 byte(s) leaked in 1 allocation(s).
