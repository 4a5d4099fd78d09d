// Hidden pointer (issue 3, idiom 15): pointers written by libc.  getaddrinfo
// stores its result list into a field of an instrumented heap struct: the
// word gets no shadow from the pass, yet the list (blocks libc allocated) is
// live.  The peer also keeps a label and forgets to free the old one when it
// is replaced, a 203-byte leak.  Numeric host and service only: no network,
// no name service.  mode=precise must keep the result list (the summary
// admits no other leak) and report the old label.
//
// No mode=conservative run line: the libc-written word is a raw pointer, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct peer {
  struct addrinfo *ai;
  char *label;
};

struct peer *volatile peer;

__attribute__((noinline)) static char *make_label(size_t size) {
  char *t = malloc(size);
  memset(t, 'p', size - 1);
  t[size - 1] = 0;
  return t;
}

__attribute__((noinline)) static void resolve(struct peer *p, const char *host,
                                              const char *port) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  int err = getaddrinfo(host, port, &hints, &p->ai);
  if (err) {
    fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
    abort();
  }
}

__attribute__((noinline)) static void build(void) {
  struct peer *p = calloc(1, sizeof *p);
  p->label = make_label(203);
  resolve(p, "127.0.0.1", "8080");
  p->label = make_label(12); /* the old label leaks */
  peer = p;
}

__attribute__((noinline)) static void show(void) {
  const struct sockaddr_in *sin =
      (const struct sockaddr_in *)peer->ai->ai_addr;
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
  fprintf(stderr, "resolved %s port %d\n", text, ntohs(sin->sin_port));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: resolved 127.0.0.1 port 8080
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
