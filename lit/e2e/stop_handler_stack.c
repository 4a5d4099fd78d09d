// The stop signal's stack needs are small and fixed.  Its handler calls
// nothing through the PLT (lazy binding alone needs kilobytes), so taking
// the signal costs the kernel's frame (sysconf(_SC_MINSIGSTKSZ)), the red
// zone and at most 1 KiB: measured here by a thread that fills the stack
// below it and looks at what a mid-run check overwrote.  A thread blocked in
// a system call with less room than that (2 KiB here: less than the
// kernel's own frame on machines with AVX-512) is not signalled at all but
// scanned from the stack pointer the kernel reports, so the process does not
// crash and the block it holds is not reported; one with just enough room is
// stopped and resumed.
// RUN: %clang -O0 %s -o %t.plain -lpthread
// RUN: %run %t.plain run 2>&1 | FileCheck %s --check-prefixes=CHECK,PLAIN
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %run %t run 2>&1 | FileCheck %s --check-prefixes=CHECK,LEAKCC
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %run %t.O2 run 2>&1 | FileCheck %s --check-prefixes=CHECK,LEAKCC
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/scrub.h"

int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

#define FILL 32768
#define STACK (128 * 1024)

void *volatile sink;
static int ready[2], go[2], never[2];
static long minsig;

// System calls without libc: no PLT, no frame below the caller's.
static long raw_read(int fd, void *buf, long n) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(SYS_read), "D"(fd), "S"(buf), "d"(n)
                   : "rcx", "r11", "memory");
  return ret;
}
static long raw_write(int fd, const void *buf, long n) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(SYS_write), "D"(fd), "S"(buf), "d"(n)
                   : "rcx", "r11", "memory");
  return ret;
}

// Fills FILL bytes below the frame, blocks until main says go (a mid-run
// check stops this thread meanwhile), then finds the lowest byte written.
__attribute__((noinline)) static void measure(void) {
  char *sp = __builtin_frame_address(0);
  char *lo = sp - FILL, *hi = sp - 256, *low = hi;
  for (char *p = lo; p < hi; p++)
    *(volatile char *)p = (char)0xA5;
  char c = 1;
  raw_write(ready[1], &c, 1);
  raw_read(go[0], &c, 1);
  for (char *p = lo; p < hi; p++)
    if (*(volatile char *)p != (char)0xA5) {
      low = p;
      break;
    }
  fprintf(stderr, "the stop signal %s the measurer\n",
          low < hi ? "reached" : "did not reach");
  long used = sp - low, budget = 128 + minsig + 1024;
  if (used <= budget)
    fprintf(stderr, "stop used the stack within its budget\n");
  else
    fprintf(stderr, "stop used %ld bytes of stack, budget %ld\n", used, budget);
}

static void *measurer(void *arg) {
  measure();
  return NULL;
}

// Blocks in read(2) with ROOM bytes of stack left below the call.
__attribute__((noinline)) static void block_at(uintptr_t stack_lo, long room) {
  char *sp = __builtin_frame_address(0);
  long eat = (long)((uintptr_t)sp - stack_lo) - room;
  char *volatile area = __builtin_alloca(eat > 64 ? eat : 64);
  area[0] = 0;
  char c = 1;
  raw_write(ready[1], &c, 1);
  raw_read(never[0], &c, 1); // until the process ends
}

static void *deep(void *arg) {
  void *volatile held = malloc(4242); // only this frame refers to it
  pthread_attr_t attr;
  void *addr;
  size_t size;
  if (pthread_getattr_np(pthread_self(), &attr) ||
      pthread_attr_getstack(&attr, &addr, &size))
    abort();
  pthread_attr_destroy(&attr);
  block_at((uintptr_t)addr, (long)(intptr_t)arg);
  return (void *)held;
}

static void start(void *(*fn)(void *), void *arg) {
  pthread_attr_t attr;
  pthread_t t;
  char c;
  if (pthread_attr_init(&attr) || pthread_attr_setstacksize(&attr, STACK) ||
      pthread_create(&t, &attr, fn, arg) || read(ready[0], &c, 1) != 1)
    abort();
}

__attribute__((noinline)) static void leak(void) {
  sink = malloc(777);
  sink = NULL;
}

// Runs this program and prints its exit status.
static int run(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(argv[0], argv[0], (char *)NULL);
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
  if (argc > 1)
    return run(argv);
  minsig = sysconf(_SC_MINSIGSTKSZ);
  if (pipe(ready) || pipe(go) || pipe(never))
    abort();
  start(deep, (void *)(intptr_t)2048);
  start(deep, (void *)(intptr_t)(128 + minsig + 1024 + 512));
  start(measurer, NULL);
  if (&__lsan_do_recoverable_leak_check)
    fprintf(stderr, "recoverable check: %d\n",
            __lsan_do_recoverable_leak_check());
  char c = 1;
  if (write(go[1], &c, 1) != 1) // wakes the measurer
    abort();
  usleep(100000);
  leak();
  scrub_stack();
  fprintf(stderr, "main returns\n");
  return 0;
}
// LEAKCC: recoverable check: 0
// LEAKCC: the stop signal reached the measurer
// PLAIN: the stop signal did not reach the measurer
// CHECK-NEXT: stop used the stack within its budget
// CHECK-NEXT: main returns
// LEAKCC: Direct leak of 777 byte(s) in 1 object(s) allocated from:
// LEAKCC-NOT: leak of
// LEAKCC: SUMMARY: leakcc: 777 byte(s) leaked in 1 allocation(s).
// LEAKCC-NEXT: exit status 23
// PLAIN-NEXT: exit status 0
