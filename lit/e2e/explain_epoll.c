// Explain mode, a reference only the kernel holds (issue 3, idiom 13;
// interceptor root): a connection object is registered with epoll_ctl as
// epoll_event.data.ptr and forgotten by the program until epoll_wait hands
// it back.  Conservative marking sees no reference and reports it.
// explain=1 says that precise marking keeps it through the interceptor's
// root.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "Inputs/scrub.h"

struct conn {
  int fd;
  char buf[60];
};

volatile int epfd = -1;

__attribute__((noinline)) static void watch(int fd) {
  struct conn *c = calloc(1, sizeof *c);
  c->fd = fd;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
    perror("epoll_ctl");
  fprintf(stderr, "conn %p\n", (void *)c);
}

int main(void) {
  int fds[2];
  epfd = epoll_create1(0);
  if (epfd < 0 || pipe(fds) != 0)
    return 1;
  watch(fds[0]);
  scrub_stack();
  return 0;
}
// CHECK: conn [[CONN:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 1 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 64-byte block [[CONN]] (allocated at {{.*}}explain_epoll.c:27:{{[0-9]+}}) is live only in precise mode: it is referenced by a {{.+}} in {{.+}} at 0x{{[0-9a-f]+}}
// CHECK-NOT: leakcc: explain
