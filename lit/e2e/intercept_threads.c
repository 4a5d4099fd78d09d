// Interceptors under concurrency (runtime/intercept.c): leak checks run
// while other threads pass pointers through socketpairs, register them with
// epoll and keep them in fresh mmap regions.  A check stops those threads
// anywhere, also inside an interceptor's update; it must neither hang nor
// fault nor lose a pointer in flight, so no check reports a leak.
// RUN: %leakcc -O2 %s -o %t -lpthread
// RUN: %env_leakcc_opts=mode=precise %run %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define WORKERS 3
#define ROUNDS 5000
#define CHECKS 20

static int ep;

static void *worker(void *arg) {
  int s[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, s))
    abort();
  for (int i = 0; i < ROUNDS; i++) {
    void *p = malloc(16), *q = NULL;
    if (write(s[0], &p, sizeof p) != sizeof p)
      abort();
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = p};
    epoll_ctl(ep, EPOLL_CTL_ADD, s[1], &ev);
    void **r = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED)
      abort();
    r[1] = p;
    if (read(s[1], &q, sizeof q) != sizeof q || q != p)
      abort();
    epoll_ctl(ep, EPOLL_CTL_DEL, s[1], NULL);
    munmap(r, 4096);
    free(q);
  }
  close(s[0]);
  close(s[1]);
  return arg;
}

int main(void) {
  ep = epoll_create1(0);
  pthread_t t[WORKERS];
  for (int i = 0; i < WORKERS; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  int leaks = 0;
  for (int i = 0; i < CHECKS; i++)
    leaks += __lsan_do_recoverable_leak_check();
  for (int i = 0; i < WORKERS; i++)
    pthread_join(t[i], NULL);
  printf("%d checks, %d with leaks\n", CHECKS, leaks);
  return 0;
}
// CHECK-NOT: leak of
// CHECK: 20 checks, 0 with leaks
// CHECK-NOT: leak of
