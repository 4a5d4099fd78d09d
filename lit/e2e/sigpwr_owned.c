// Threads are stopped even when the program owns SIGPWR, the stop signal: with
// the program's own SIGPWR handler (which the check never calls, and which is
// back in place after the check) or SIG_IGN, a thread's stack is scanned and
// the block it holds is not reported.  A thread that blocks every signal is
// not signalled (the signal would stay pending for it): blocked in a system
// call, it is scanned from the stack pointer the kernel reports for it, like
// a stopped thread and without a warning, instead of its blocks being
// reported as leaks.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: timeout 60 not %run %t handler 2>&1 | FileCheck %s --check-prefixes=CHECK,HANDLER
// RUN: timeout 60 not %run %t ignore 2>&1 | FileCheck %s
// RUN: timeout 60 not %run %t block 2>&1 | FileCheck %s --check-prefixes=CHECK,BLOCK
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;
static int ready[2], forever[2];
static volatile sig_atomic_t handled;

static void on_sigpwr(int sig) {
  handled++;
  write(2, "program's SIGPWR handler\n", 25);
}

static void *holder(void *arg) {
  if (arg) {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
  }
  void *volatile held = malloc(777);
  char c = 1;
  if (write(ready[1], &c, 1) != 1)
    abort();
  if (read(forever[0], &c, 1) >= 0) /* blocks until the process exits */
    fprintf(stderr, "unexpected wakeup %p\n", held);
  return NULL;
}

__attribute__((noinline)) static void leak(void) {
  sink = malloc(25);
  sink = NULL;
}

int main(int argc, char **argv) {
  if (!strcmp(argv[1], "handler"))
    signal(SIGPWR, on_sigpwr);
  else if (!strcmp(argv[1], "ignore"))
    signal(SIGPWR, SIG_IGN);
  pthread_t t;
  char c;
  if (pipe(ready) || pipe(forever) ||
      pthread_create(&t, NULL, holder, strcmp(argv[1], "block") ? NULL : argv) ||
      read(ready[0], &c, 1) != 1)
    abort();
  leak();
  scrub_stack();
  if (__lsan_do_recoverable_leak_check())
    fprintf(stderr, "recoverable check found leaks\n");
  if (!strcmp(argv[1], "handler")) {
    raise(SIGPWR);
    fprintf(stderr, "handled %d\n", (int)handled);
  }
  return 0;
}
// BLOCK-NOT: leakcc: warning
// HANDLER-NOT: program's SIGPWR handler
// CHECK: Direct leak of 25 byte(s) in 1 object(s) allocated from:
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 25 byte(s) leaked in 1 allocation(s).
// CHECK: recoverable check found leaks
// HANDLER-NEXT: program's SIGPWR handler
// HANDLER-NEXT: handled 1
// CHECK: SUMMARY: leakcc: 25 byte(s) leaked in 1 allocation(s).
