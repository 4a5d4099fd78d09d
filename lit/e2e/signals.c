// Programs with their own signal handling still get the exit-time check: a
// program that installs handlers for common signals and raises them, or
// leaves a thread running with every signal blocked, exits normally and its
// leak is reported (the stop-the-world must not hang on a thread that blocks
// signals, nor break the program's handlers).
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: timeout 60 not %run %t handlers 2>&1 | FileCheck %s --check-prefixes=CHECK,HANDLERS
// RUN: timeout 60 not %run %t blocked 2>&1 | FileCheck %s
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;
static volatile sig_atomic_t hits;
static int ready[2], forever[2];

static void on_signal(int sig) { hits++; }

static void *blocked_thread(void *arg) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  char c = 1;
  if (write(ready[1], &c, 1) != 1)
    abort();
  if (read(forever[0], &c, 1) >= 0) /* blocks until the process exits */
    fprintf(stderr, "unexpected wakeup\n");
  return NULL;
}

// HANDLERS: handled 6 signals
int main(int argc, char **argv) {
  if (!strcmp(argv[1], "handlers")) {
    static const int sigs[] = {SIGUSR1, SIGUSR2, SIGINT, SIGTERM, SIGHUP, SIGALRM};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
      sigaction(sigs[i], &sa, NULL);
    for (int i = SIGRTMIN; i <= SIGRTMAX; i++)
      sigaction(i, &sa, NULL);
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
      raise(sigs[i]);
    fprintf(stderr, "handled %d signals\n", (int)hits);
  } else {
    pthread_t t;
    char c;
    if (pipe(ready) || pipe(forever) ||
        pthread_create(&t, NULL, blocked_thread, NULL) ||
        read(ready[0], &c, 1) != 1)
      abort();
  }
  // CHECK: Direct leak of 25 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 {{.*}} in main {{.*}}signals.c:[[@LINE+1]]
  sink = malloc(25);
  sink = NULL;
  scrub_stack();
  return 0;
}
