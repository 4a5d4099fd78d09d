// Out of memory, pthread_getattr_np fails (glibc allocates in it), and a
// new thread's stack used to be left unscanned ("cannot find the stack of
// thread N; it is not scanned"): blocks held only there were reported.
// The runtime now takes the stack the creator asked for: the one it gave
// (pthread_attr_setstack), or the requested size below the end of glibc's
// block, found from the thread pointer (issue 13).  The failure is
// simulated with an LD_PRELOADed pthread_getattr_np.
// RUN: %clang -O0 -shared -fPIC %S/Inputs/getattr_fails.c -o %t.so -ldl
// RUN: %leakcc -O0 -pthread %s -o %t
// RUN: env LD_PRELOAD=%t.so %run %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go, ready;

static void *hold(void *arg) {
  void *mine = malloc(40); /* only on this thread's stack */
  pthread_mutex_lock(&mu);
  ready++;
  pthread_cond_broadcast(&cv);
  while (!go)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  free(mine);
  return arg;
}

int main(void) {
  enum { N = 8 };
  pthread_t t[N];
  static char stacks[3][1 << 16];
  for (int i = 0; i < N; i++) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    if (i < 3) /* the program's own stacks */
      pthread_attr_setstack(&a, stacks[i], sizeof stacks[i]);
    else if (i < 6) /* glibc's, of a size the program chose */
      pthread_attr_setstacksize(&a, 1 << 20);
    if (pthread_create(&t[i], &a, hold, NULL))
      return 1;
    pthread_attr_destroy(&a);
  }
  pthread_mutex_lock(&mu);
  while (ready < N)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  extern int __lsan_do_recoverable_leak_check(void);
  int leaks = __lsan_do_recoverable_leak_check();
  printf("leaks found: %d\n", leaks);
  pthread_mutex_lock(&mu);
  go = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], NULL);
  return 0;
}
// CHECK-NOT: leak of 40
// CHECK-NOT: cannot find the stack of thread {{[0-9]+}}; it is not scanned
// CHECK: leaks found: 0
