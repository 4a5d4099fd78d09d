// A pthread_setspecific slot is a root (it lives in the thread descriptor,
// part of the TLS root set): no leak normally, a leak with use_tls=0.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0 %run %t 2>&1 | FileCheck %s --check-prefix=LIVE
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0:use_tls=0 not %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0 %run %t thread 2>&1 | FileCheck %s --check-prefix=THREAD
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_key_t key;
static int ready[2], go[2];

static void *thread_fn(void *arg) {
  pthread_setspecific(key, malloc(555));
  char c = 1;
  if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
    abort();
  return NULL; /* the key's destructor frees the block */
}

int main(int argc, char **argv) {
  if (pthread_key_create(&key, free))
    abort();
  if (argc > 1) {
    /* Another thread's slot, checked while that thread is blocked. */
    pthread_t t;
    char c;
    if (pipe(ready) || pipe(go) || pthread_create(&t, NULL, thread_fn, NULL) ||
        read(ready[0], &c, 1) != 1)
      abort();
    fprintf(stderr, "leaks=%d\n", __lsan_do_recoverable_leak_check());
    if (write(go[1], &c, 1) != 1)
      abort();
    pthread_join(t, NULL);
    return 0;
  }
  void *p = malloc(1337);
  pthread_setspecific(key, p);
  fprintf(stderr, "Test alloc: %p.\n", p);
  p = NULL;
  exit(0);
}
// LIVE: Test alloc: 0x
// LIVE-NOT: leakcc

// CHECK: Direct leak of 1337 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in main {{.*}}roots_pthread_specific.c:40

// THREAD: leaks=0
// THREAD-NOT: leakcc
