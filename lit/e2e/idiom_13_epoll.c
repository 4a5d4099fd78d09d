// Hidden pointer (issue 3, idiom 13): the only reference held by the kernel,
// in epoll_event.data.ptr.  An event loop registers a 101-byte connection
// per socket and keeps no other pointer to it; epoll_wait hands it back.  A
// 203-byte connection is closed (EPOLL_CTL_DEL, close) without being freed,
// so it leaks.  mode=precise must keep the first and report the second;
// conservative scanning cannot see kernel memory and reports the live
// connection as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "Inputs/scrub.h"

struct conn {
  int fd;  /* our end */
  int peer; /* the other end, for the test to write to */
  int id;
  char buf[];
};

static int epfd = -1;

__attribute__((noinline)) static struct conn *conn_open(int id, size_t size) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
    abort();
  struct conn *c = calloc(1, size);
  c->fd = sv[0];
  c->peer = sv[1];
  c->id = id;
  return c;
}

__attribute__((noinline)) static void watch(struct conn *c) {
  struct epoll_event ev = {.events = EPOLLIN};
  ev.data.ptr = c;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev))
    abort();
}

/* Closes the connection (and forgets to free it: the leak). */
__attribute__((noinline)) static void conn_close(struct conn *c) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  close(c->peer);
}

__attribute__((noinline)) static void build(void) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0)
    abort();
  struct conn *kept = conn_open(1, 101);
  watch(kept);
  if (write(kept->peer, "x", 1) != 1)
    abort();
  struct conn *dropped = conn_open(2, 203);
  watch(dropped);
  conn_close(dropped);
}

/* One turn of the event loop: the connection comes back from the kernel. */
__attribute__((noinline)) static void poll_once(void) {
  struct epoll_event ev;
  if (epoll_wait(epfd, &ev, 1, 1000) != 1)
    abort();
  struct conn *c = ev.data.ptr;
  char ch;
  if (read(c->fd, &ch, 1) != 1)
    abort();
  fprintf(stderr, "event on connection %d: %c\n", c->id, ch);
}

int main(void) {
  build();
  poll_once();
  scrub_stack();
  return 0;
}
// PRECISE: event on connection 1: x
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: event on connection 1: x
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
