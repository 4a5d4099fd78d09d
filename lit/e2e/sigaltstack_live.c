// The alternate signal stack of a running handler is a live stack.  A handler
// running on a sigaltstack calls exit (the checking thread is then on it),
// or another thread is stopped while its handler, on its own sigaltstack,
// blocks: the block each handler holds in a local is not reported, whether
// the stack was mapped with mmap (not a root in conservative mode), is a
// static array or a heap block, and in both marking modes.  (With
// use_registers=0, so that a copy of the pointer left in a register the exit
// path saved does not hide the handler's frame.)
// RUN: %clang -O0 %s -o %t.plain -lpthread
// RUN: %run %t.plain run exit mmap 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: %run %t.plain run thread mmap 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %env_leakcc_opts=mode=conservative:use_registers=0 %run %t run exit mmap 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:use_registers=0 %run %t run exit static 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:use_registers=0 %run %t run exit heap 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative %run %t run thread mmap 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=use_registers=0 %run %t run exit mmap 2>&1 | FileCheck %s
// RUN: %run %t run thread mmap 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %env_leakcc_opts=mode=conservative:use_registers=0 %run %t.O2 run exit mmap 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 run thread mmap 2>&1 | FileCheck %s
// RUN: %run %t.O2 run thread heap 2>&1 | FileCheck %s
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/scrub.h"

#define ALT (256 * 1024)

void *volatile sink;
static const char *kind;
static char static_alt[ALT];
static int ready[2], forever[2];

static void install_alt_stack(void) {
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_size = ALT;
  if (!strcmp(kind, "mmap"))
    ss.ss_sp = mmap(NULL, ALT, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  else if (!strcmp(kind, "static"))
    ss.ss_sp = static_alt;
  else
    ss.ss_sp = malloc(ALT);
  if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL))
    abort();
}

// Runs on the main thread's alternate stack and ends the process.
static void exit_handler(int sig) {
  void *volatile held = malloc(4242);
  fprintf(stderr, "handler holds a block\n");
  exit(0);
}

// Runs on the other thread's alternate stack and blocks there.
static void blocking_handler(int sig) {
  void *volatile held = malloc(4343);
  char c = 1;
  if (write(ready[1], &c, 1) != 1 || read(forever[0], &c, 1) >= 0)
    abort();
  sink = held;
}

static void *thread(void *arg) {
  install_alt_stack();
  char c = 1;
  if (write(ready[1], &c, 1) != 1 || read(forever[0], &c, 1) >= 0)
    abort();
  return NULL;
}

static void on(int sig, void (*fn)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = SA_ONSTACK;
  if (sigaction(sig, &sa, NULL))
    abort();
}

__attribute__((noinline)) static void leak(void) {
  sink = malloc(777);
  sink = NULL;
}

// Runs this program with ARGV's mode and kind and prints its exit status.
static int run(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(argv[0], argv[0], argv[2], argv[3], (char *)NULL);
    _exit(127);
  }
  int status;
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    abort();
  fprintf(stderr, "exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 3 && !strcmp(argv[1], "run"))
    return run(argv);
  kind = argv[2];
  if (pipe(ready) || pipe(forever))
    abort();
  leak();
  scrub_stack();
  if (!strcmp(argv[1], "exit")) {
    install_alt_stack();
    on(SIGUSR1, exit_handler);
    raise(SIGUSR1);
    abort();
  }
  on(SIGUSR2, blocking_handler);
  pthread_t t;
  char c;
  if (pthread_create(&t, NULL, thread, NULL) || read(ready[0], &c, 1) != 1 ||
      pthread_kill(t, SIGUSR2) || read(ready[0], &c, 1) != 1)
    abort();
  fprintf(stderr, "handler holds a block\n");
  return 0;
}
// PLAIN: handler holds a block
// PLAIN-NEXT: exit status 0

// CHECK: handler holds a block
// CHECK: Direct leak of 777 byte(s) in 1 object(s) allocated from:
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 777 byte(s) leaked in 1 allocation(s).
// CHECK-NEXT: exit status 23
