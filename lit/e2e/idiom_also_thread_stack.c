// Threads (issue 3, "Also"): blocks referenced only by a blocked thread's
// stack are live.  A worker fills a job struct in its own frame through a
// helper (so the stores are instrumented), then blocks forever on a pipe
// while main exits: the job's raw pointer keeps a 101-byte block, and its
// XOR-mangled handle keeps a 111-byte block (a side-table reference that
// lives on a stack).  Before blocking, the worker drops a 203-byte block,
// which leaks.  mode=precise must keep both stack-held blocks and report the
// dropped one; conservative scanning sees the raw pointer but not the
// mangled one, and reports the 111-byte block as leaked.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "Inputs/scrub.h"

static uintptr_t key;
static int ready[2], forever[2];

struct job {
  char *data;       /* raw */
  uintptr_t handle; /* the context pointer XOR key */
  int id;
};

__attribute__((noinline)) static char *block(size_t size, char fill) {
  char *p = malloc(size);
  memset(p, fill, size);
  return p;
}

__attribute__((noinline)) static void fill_job(struct job *j, int id) {
  j->data = block(101, 'd');
  j->handle = (uintptr_t)block(111, 'h') ^ key;
  j->id = id;
}

__attribute__((noinline)) static void scratch(void) {
  char *volatile tmp = block(203, 's'); /* dropped: the leak */
  (void)tmp;
}

__attribute__((noinline)) static void finish_job(struct job *j) {
  fprintf(stderr, "job %d: %c %c\n", j->id, j->data[0],
          *(char *)(j->handle ^ key));
}

static void *worker(void *arg) {
  struct job job;
  fill_job(&job, 1);
  scratch();
  scrub_stack();
  char c = 1;
  if (write(ready[1], &c, 1) != 1)
    abort();
  if (read(forever[0], &c, 1) == 1) /* never returns */
    finish_job(&job);
  return arg;
}

int main(void) {
  if (getrandom(&key, sizeof key, 0) != sizeof key)
    abort();
  key |= UINT64_C(1) << 62; /* never a heap address */
  pthread_t t;
  char c;
  if (pipe(ready) || pipe(forever) ||
      pthread_create(&t, NULL, worker, NULL) || read(ready[0], &c, 1) != 1)
    abort();
  fprintf(stderr, "worker blocked\n");
  return 0;
}
// PRECISE: worker blocked
// PRECISE-NOT: leak of {{101|111}} byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{101|111}} byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: worker blocked
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 111 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 314 byte(s) leaked in 2 allocation(s).
