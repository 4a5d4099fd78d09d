// Hidden pointer (issue 3, idiom 14): the only reference in flight in a pipe
// or a socketpair, written and not yet read back, as work queues and
// self-pipe wakeups pass job pointers.  A 101-byte job sits in a pipe; a
// 104-byte payload sits in a socketpair inside a message struct sent with
// send(); a 203-byte job is written, read back by the consumer and dropped
// without free, so it leaks.  mode=precise must keep the in-flight blocks
// and report the consumed one; conservative scanning cannot see kernel
// buffers and reports the in-flight blocks as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "Inputs/scrub.h"

struct job {
  int id;
  char data[];
};

struct message {
  int kind;
  void *payload;
};

static int jobs[2];  /* pipe: job pointers */
static int chan[2];  /* socketpair: struct message */

__attribute__((noinline)) static struct job *new_job(int id, size_t size) {
  struct job *j = calloc(1, size);
  j->id = id;
  return j;
}

__attribute__((noinline)) static void submit(int fd, struct job *j) {
  if (write(fd, &j, sizeof j) != sizeof j)
    abort();
}

__attribute__((noinline)) static struct job *take(int fd) {
  struct job *j;
  if (read(fd, &j, sizeof j) != sizeof j)
    abort();
  return j;
}

__attribute__((noinline)) static void post(int fd, int kind, void *payload) {
  struct message m;
  memset(&m, 0, sizeof m);
  m.kind = kind;
  m.payload = payload;
  if (send(fd, &m, sizeof m, 0) != sizeof m)
    abort();
}

/* Runs one job (and forgets to free it: the leak). */
__attribute__((noinline)) static void run_one(void) {
  struct job *j = take(jobs[0]);
  fprintf(stderr, "ran job %d\n", j->id);
}

__attribute__((noinline)) static void build(void) {
  if (pipe(jobs) || socketpair(AF_UNIX, SOCK_STREAM, 0, chan))
    abort();
  submit(jobs[1], new_job(2, 203));
  run_one();
  submit(jobs[1], new_job(1, 101));
  post(chan[0], 7, new_job(3, 104));
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// PRECISE: ran job 2
// PRECISE-NOT: leak of {{101|104}} byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{101|104}} byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: ran job 2
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 104 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 408 byte(s) leaked in 3 allocation(s).
