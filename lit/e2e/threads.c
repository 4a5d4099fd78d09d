// Multithreaded programs: blocks leaked by several joined threads aggregate
// into one record at the thread function's site; churn on all threads at once
// (per-thread caches, cross-thread frees) loses nothing; threads still running
// at exit are stopped and their stacks scanned, so what they hold is not
// reported.
// RUN: %leakcc -O0 %s -o %t -lpthread && not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread && not %run %t.O2 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NLEAKERS 4
#define NSLEEPERS 2

void *volatile sink;
static void *handoff[NLEAKERS][64]; /* freed by main: cross-thread frees */
static int forever[2];              /* never written: sleepers block on it */
static int ready[2];

static void *leaker(void *arg) {
  void **mine = arg;
  for (int i = 0; i < 2000; i++) { /* churn */
    char *p = malloc(i % 300 + 1);
    p[0] = (char)i;
    free(p);
  }
  for (int i = 0; i < 64; i++)
    mine[i] = malloc(i * 8 + 8);
  void *p = malloc(32);
  sink = p;
  sink = NULL;
  return NULL;
}

static void *sleeper(void *arg) {
  void *volatile held = malloc(1000);
  char c;
  fprintf(stderr, "sleeper holds %p\n", held);
  if (write(ready[1], "r", 1) != 1)
    abort();
  if (read(forever[0], &c, 1) >= 0) /* blocks until the process exits */
    fprintf(stderr, "unexpected wakeup\n");
  return NULL;
}

int main(void) {
  pthread_t t[NLEAKERS + NSLEEPERS];
  if (pipe(forever) || pipe(ready))
    abort();
  for (int i = 0; i < NLEAKERS; i++)
    if (pthread_create(&t[i], NULL, leaker, handoff[i]))
      abort();
  for (int i = 0; i < NLEAKERS; i++)
    pthread_join(t[i], NULL);
  for (int i = 0; i < NLEAKERS; i++)
    for (int j = 0; j < 64; j++)
      free(handoff[i][j]);
  for (int i = 0; i < NSLEEPERS; i++)
    if (pthread_create(&t[NLEAKERS + i], NULL, sleeper, NULL))
      abort();
  for (int i = 0; i < NSLEEPERS; i++) {
    char c;
    if (read(ready[0], &c, 1) != 1)
      abort();
  }
  fprintf(stderr, "main exits\n");
  return 0; /* the sleepers are still blocked in read() */
}
// CHECK: main exits
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 128 byte(s) in 4 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leaker {{.*}}threads.c:31
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 128 byte(s) leaked in 4 allocation(s).
