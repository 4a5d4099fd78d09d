// Thread churn: 2000 short threads, 8 at a time, 10 of which leak a block
// (stored through a volatile pointer, or returned and dropped by the
// joiner), then 8 threads still blocked at exit on stacks glibc reused from
// dead threads.  Dead threads' cached stacks and their descriptors are no
// roots: all 10 leaks are found at -O0 and at -O2.  (A leak like
// `char *p = malloc(n); p[0] = 1;` is not one at -O2: clang deletes the
// allocation, so the plain program allocates nothing either.)
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: not %run %t.O2 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 2000
#define AT_ONCE 8

void *volatile sink;
static int forever[2];

__attribute__((noinline)) static void *work(long i) {
  if (i % (THREADS / 10) != 7) {
    char *q = malloc(64 + i % 64);
    memset(q, (int)i, 64);
    sink = q;
    free(q);
    return NULL;
  }
  char *p = malloc(100);
  memset(p, (int)i, 100);
  if (i % 2) { // dropped here
    sink = p;
    sink = NULL;
    return NULL;
  }
  return p; // dropped by the joiner
}

static void *worker(void *arg) {
  long i = (long)arg;
  void *r = work(i);
  if (i >= THREADS) { // blocks until the process ends
    char c;
    if (read(forever[0], &c, 1) >= 0)
      abort();
  }
  return r;
}

int main(void) {
  pthread_t t[AT_ONCE];
  if (pipe(forever))
    abort();
  for (long i = 0; i < THREADS; i++) {
    if (i >= AT_ONCE && pthread_join(t[i % AT_ONCE], NULL))
      abort();
    if (pthread_create(&t[i % AT_ONCE], NULL, worker, (void *)i))
      abort();
  }
  for (long i = 0; i < AT_ONCE; i++)
    if (pthread_join(t[i], NULL))
      abort();
  for (long i = 0; i < AT_ONCE; i++)
    if (pthread_create(&t[i], NULL, worker, (void *)(THREADS + 100 + i)))
      abort();
  usleep(50000);
  fprintf(stderr, "main returns\n");
  return 0;
}
// CHECK: main returns
// CHECK: Direct leak of 1000 byte(s) in 10 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in work {{.*}}thread_churn.c:32
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 1000 byte(s) leaked in 10 allocation(s).
