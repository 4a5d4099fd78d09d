// __thread variables are roots, for the main thread (checked at exit) and for
// another live thread (checked by __lsan_do_recoverable_leak_check while the
// thread is blocked); with use_tls=0 (and no stacks/registers) the blocks leak.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0 %run %t main 2>&1 | FileCheck %s --check-prefix=LIVE
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0:use_tls=0 not %run %t main 2>&1 | FileCheck %s --check-prefix=MAIN
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0 %run %t thread 2>&1 | FileCheck %s --check-prefix=THREAD-LIVE
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0:use_tls=0 %run %t thread 2>&1 | FileCheck %s --check-prefix=THREAD
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %env_leakcc_opts=use_stacks=0:use_registers=0 %run %t.O2 thread 2>&1 | FileCheck %s --check-prefix=THREAD-LIVE
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__thread void *tls_var;
static int ready[2], go[2];

static void *thread_fn(void *arg) {
  tls_var = malloc(222);
  char c = 1;
  if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
    abort();
  free(tls_var);
  return NULL;
}

int main(int argc, char **argv) {
  if (!strcmp(argv[1], "main")) {
    tls_var = malloc(1337);
    fprintf(stderr, "Test alloc: %p.\n", tls_var);
    exit(0);
  }
  pthread_t t;
  char c;
  if (pipe(ready) || pipe(go) || pthread_create(&t, NULL, thread_fn, NULL) ||
      read(ready[0], &c, 1) != 1)
    abort();
  fprintf(stderr, "leaks=%d\n", __lsan_do_recoverable_leak_check());
  if (write(go[1], &c, 1) != 1)
    abort();
  pthread_join(t, NULL);
  fprintf(stderr, "joined\n");
  return 0;
}
// LIVE: Test alloc: 0x
// LIVE-NOT: leakcc

// MAIN: Direct leak of 1337 byte(s) in 1 object(s) allocated from:
// MAIN-NEXT: #0 {{.*}} in main {{.*}}roots_tls.c:32

// THREAD-LIVE: leaks=0
// THREAD-LIVE-NEXT: joined
// THREAD-LIVE-NOT: leakcc

// THREAD: Direct leak of 222 byte(s) in 1 object(s) allocated from:
// THREAD-NEXT: #0 {{.*}} in thread_fn {{.*}}roots_tls.c:22
// THREAD: leaks=1
// THREAD-NEXT: joined
// THREAD-NOT: leakcc
