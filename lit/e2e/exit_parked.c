// Threads blocked in calls that a signal handler interrupts for good (sleep,
// usleep, nanosleep, clock_nanosleep, poll, select, pause, epoll_wait) when
// the program exits: the exit-time check stops them and never resumes them,
// so none of those calls returns early and the program's output and exit
// status are the plain build's, plus the report and exitcode on leaks.  A
// mid-run check resumes its threads: a thread blocked in read() carries on.
// Another thread that calls exit() or _exit() while the exit-time check runs
// cannot cut the report short: here it does so from __lsan_is_turned_off(),
// which the check calls first, and the process still ends with the check's
// report and status.  Destructors run before the exit-time check (it is
// registered before glibc registers _dl_fini, so it runs after it), while
// the threads still run: one can still stop and join workers that wait on a
// condition variable or spin.  ("run MODE" runs the program in MODE as a
// child and prints its exit status.)
// RUN: %clang -O0 %s -o %t.plain -lpthread
// RUN: %run %t.plain run clean 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %run %t.plain run leak 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %run %t run clean 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %run %t run leak 2>&1 | FileCheck %s --check-prefix=LEAK
// RUN: %run %t run midrun 2>&1 | FileCheck %s --check-prefixes=LEAK,MID
// RUN: %run %t run exit 2>&1 | FileCheck %s --check-prefixes=LEAK,EXIT
// RUN: %run %t run _exit 2>&1 | FileCheck %s --check-prefixes=LEAK,EXIT
// RUN: %run %t.plain run dtor 2>&1 | FileCheck %s --check-prefix=DTOR
// RUN: %run %t run dtor 2>&1 | FileCheck %s --check-prefix=DTOR
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %run %t.O2 run leak 2>&1 | FileCheck %s --check-prefix=LEAK
// RUN: %run %t.O2 run exit 2>&1 | FileCheck %s --check-prefixes=LEAK,EXIT
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "Inputs/scrub.h"

// Plain builds have no leak checker.
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

void *volatile sink;
static const char *mode = "";
static int ready[2], go[2], quit[2];
static volatile int exiting;

static void early(const char *what) {
  fprintf(stderr, "%s returned early: %s\n", what, strerror(errno));
  exit(4);
}

static void *t_sleep(void *a) {
  if (sleep(60))
    early("sleep");
  return a;
}
static void *t_usleep(void *a) {
  if (usleep(60000000))
    early("usleep");
  return a;
}
static void *t_nanosleep(void *a) {
  struct timespec ts = {60, 0};
  if (nanosleep(&ts, NULL))
    early("nanosleep");
  return a;
}
static void *t_clock_nanosleep(void *a) {
  struct timespec ts = {60, 0};
  if ((errno = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL)))
    early("clock_nanosleep");
  return a;
}
static void *t_poll(void *a) {
  if (poll(NULL, 0, 60000))
    early("poll");
  return a;
}
static void *t_select(void *a) {
  struct timeval tv = {60, 0};
  if (select(0, NULL, NULL, NULL, &tv))
    early("select");
  return a;
}
static void *t_pause(void *a) {
  pause();
  early("pause");
  return a;
}
static void *t_epoll_wait(void *a) {
  struct epoll_event ev;
  if (epoll_wait(epoll_create1(0), &ev, 1, 60000))
    early("epoll_wait");
  return a;
}

// Blocked in read(), which SA_RESTART resumes after a mid-run check.
static void *reader(void *a) {
  char c;
  if (read(go[0], &c, 1) != 1)
    early("read");
  fprintf(stderr, "reader resumed\n");
  return a;
}

// Workers a destructor stops and joins: one waits on a condition variable
// with a timeout, one spins.
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int stop_workers;
static pthread_t workers[2];
static int have_workers;

static void *waiting_worker(void *a) {
  pthread_mutex_lock(&mu);
  while (!stop_workers) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 60;
    pthread_cond_timedwait(&cv, &mu, &ts);
  }
  pthread_mutex_unlock(&mu);
  return a;
}

static void *spinning_worker(void *a) {
  while (!stop_workers)
    ;
  return a;
}

__attribute__((destructor)) static void stop_and_join(void) {
  if (!have_workers)
    return;
  pthread_mutex_lock(&mu);
  stop_workers = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  fprintf(stderr, "destructor joined the workers\n");
}

// Calls exit or _exit when the exit-time check asks __lsan_is_turned_off.
static void *quitter(void *a) {
  char c;
  if (read(quit[0], &c, 1) != 1)
    early("read");
  if (!strcmp(mode, "exit"))
    exit(5);
  _exit(6);
}

int __lsan_is_turned_off(void) {
  if (exiting && (!strcmp(mode, "exit") || !strcmp(mode, "_exit"))) {
    fprintf(stderr, "quitter told to %s\n", mode);
    if (write(quit[1], "q", 1) != 1)
      abort();
    usleep(200000); // the quitter calls exit or _exit meanwhile
  }
  return 0;
}

__attribute__((noinline)) static void leak(void) {
  sink = malloc(777);
  sink = NULL;
}

// Runs this program in MODE and prints its exit status.
static int run(char **argv) {
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    execl(argv[0], argv[0], argv[2], (char *)NULL);
    _exit(127);
  }
  int status;
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    abort();
  if (WIFEXITED(status))
    fprintf(stderr, "exit status %d\n", WEXITSTATUS(status));
  else
    fprintf(stderr, "killed by signal %d\n", WTERMSIG(status));
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[1], "run"))
    return run(argv);
  mode = argc > 1 ? argv[1] : "clean";
  void *(*fn[])(void *) = {t_sleep, t_usleep,  t_nanosleep, t_clock_nanosleep,
                           t_poll,  t_select, t_pause,     t_epoll_wait};
  if (pipe(ready) || pipe(go) || pipe(quit))
    abort();
  pthread_t t;
  if (!strcmp(mode, "midrun")) {
    // A mid-run check interrupts those calls (docs/reliability.md): here
    // only a thread that SA_RESTART resumes.
    if (pthread_create(&t, NULL, reader, NULL))
      abort();
    usleep(50000);
    fprintf(stderr, "recoverable check: %d\n",
            __lsan_do_recoverable_leak_check());
    if (write(go[1], "g", 1) != 1 || pthread_join(t, NULL))
      abort();
  } else {
    for (unsigned i = 0; i < sizeof fn / sizeof *fn; i++)
      if (pthread_create(&t, NULL, fn[i], NULL))
        abort();
  }
  if (pthread_create(&t, NULL, quitter, NULL))
    abort();
  if (!strcmp(mode, "dtor")) {
    if (pthread_create(&workers[0], NULL, waiting_worker, NULL) ||
        pthread_create(&workers[1], NULL, spinning_worker, NULL))
      abort();
    have_workers = 1;
  }
  usleep(100000); // let them block
  if (strcmp(mode, "clean") && strcmp(mode, "dtor"))
    leak();
  scrub_stack();
  fprintf(stderr, "main returns\n");
  exiting = 1;
  return 0;
}
// CLEAN: main returns
// CLEAN-NEXT: exit status 0
// CLEAN-NOT: {{.}}
// DTOR: main returns
// DTOR-NEXT: destructor joined the workers
// DTOR-NEXT: exit status 0
// DTOR-NOT: {{.}}
// MID: recoverable check: 0
// MID-NEXT: reader resumed
// LEAK: main returns
// EXIT-NEXT: quitter told to {{_?exit}}
// LEAK-NOT: early
// LEAK: ERROR: leakcc: detected memory leaks
// LEAK: Direct leak of 777 byte(s) in 1 object(s) allocated from:
// LEAK-NOT: leak of
// LEAK: SUMMARY: leakcc: 777 byte(s) leaked in 1 allocation(s).
// LEAK-NEXT: exit status 23
// LEAK-NOT: {{.}}
