// A signal thread: main blocks every signal, and one thread waits for all of
// them, in sigwait, sigwaitinfo, sigtimedwait, the raw rt_sigtimedwait system
// call, or read() on a signalfd.  The stop signal (SIGPWR) must never reach
// it: neither a mid-run check nor the exit-time check makes it print "got
// Power failure" and exit, a signal the program sends still arrives, the block
// the thread holds on its stack is not reported, and no warning is printed.
// Output and exit status are the plain build's, plus the report and exitcode.
// RUN: %clang -O0 %s -o %t.plain -lpthread
// RUN: %run %t.plain run sigwait 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %run %t run sigwait 2>&1 | FileCheck %s
// RUN: %run %t run sigwaitinfo 2>&1 | FileCheck %s
// RUN: %run %t run sigtimedwait 2>&1 | FileCheck %s
// RUN: %run %t run raw 2>&1 | FileCheck %s
// RUN: %run %t run signalfd 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %run %t.O2 run sigwait 2>&1 | FileCheck %s
// RUN: %run %t.O2 run raw 2>&1 | FileCheck %s
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/scrub.h"

int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

void *volatile sink;
static const char *mode;
static sigset_t all;
static int got[2];

// Waits for one signal of ALL the way MODE says.
static int wait_one(int sfd) {
  siginfo_t info;
  if (!strcmp(mode, "sigwait")) {
    int sig;
    return sigwait(&all, &sig) ? -1 : sig;
  }
  if (!strcmp(mode, "sigwaitinfo"))
    return sigwaitinfo(&all, &info);
  if (!strcmp(mode, "sigtimedwait")) {
    struct timespec ts = {60, 0};
    return sigtimedwait(&all, &info, &ts);
  }
  if (!strcmp(mode, "raw"))
    return (int)syscall(SYS_rt_sigtimedwait, &all, &info, NULL, 8);
  struct signalfd_siginfo si;
  if (read(sfd, &si, sizeof si) != sizeof si)
    return -1;
  return (int)si.ssi_signo;
}

static void *signal_thread(void *arg) {
  void *volatile held = malloc(555);
  int sfd = strcmp(mode, "signalfd") ? -1 : signalfd(-1, &all, 0);
  for (;;) {
    int sig = wait_one(sfd);
    if (sig != SIGUSR1) {
      fprintf(stderr, "got %s, shutting down\n", sig < 0 ? "an error" : strsignal(sig));
      exit(3);
    }
    fprintf(stderr, "got %s\n", strsignal(sig));
    if (write(got[1], "g", 1) != 1)
      abort();
  }
  return held;
}

__attribute__((noinline)) static void leak(void) {
  sink = malloc(777);
  sink = NULL;
}

// Runs this program in MODE and prints its exit status.
static int run(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(argv[0], argv[0], argv[2], (char *)NULL);
    _exit(127);
  }
  int status;
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    abort();
  fprintf(stderr, "exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[1], "run"))
    return run(argv);
  mode = argv[1];
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  pthread_t t;
  if (pipe(got) || pthread_create(&t, NULL, signal_thread, NULL))
    abort();
  usleep(100000); // let it wait
  if (&__lsan_do_recoverable_leak_check &&
      __lsan_do_recoverable_leak_check())
    fprintf(stderr, "unexpected leaks\n");
  kill(getpid(), SIGUSR1);
  char c;
  if (read(got[0], &c, 1) != 1)
    abort();
  leak();
  scrub_stack();
  fprintf(stderr, "main returns\n");
  return 0;
}
// PLAIN: got User defined signal 1
// PLAIN-NEXT: main returns
// PLAIN-NEXT: exit status 0
// PLAIN-NOT: {{.}}

// CHECK-NOT: leakcc: warning
// CHECK-NOT: unexpected
// CHECK: got User defined signal 1
// CHECK-NEXT: main returns
// CHECK-NOT: shutting down
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 777 byte(s) in 1 object(s) allocated from:
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 777 byte(s) leaked in 1 allocation(s).
// CHECK-NEXT: exit status 23
// CHECK-NOT: {{.}}
