// Threads (issue 3, "Also"): a block referenced only by a thread's
// pthread_setspecific slot is live.  A worker stores a 101-byte block in its
// slot and blocks forever while main exits; main's own slot holds a 104-byte
// block.  The worker first replaced its slot's 203-byte value without
// freeing it, so that block leaks.  The slots are written by libc (no
// shadow), in thread descriptors that are roots.  mode=precise must keep the
// slot values and report the replaced one.
//
// No mode=conservative run line: the slots hold raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "Inputs/scrub.h"

static pthread_key_t key;
static int ready[2], forever[2];

struct session {
  int id;
  char data[];
};

__attribute__((noinline)) static void set_session(int id, size_t size) {
  struct session *s = calloc(1, size);
  s->id = id;
  if (pthread_setspecific(key, s)) /* the old value is not freed */
    abort();
}

__attribute__((noinline)) static int session_id(void) {
  return ((struct session *)pthread_getspecific(key))->id;
}

static void *worker(void *arg) {
  set_session(2, 203);
  set_session(1, 101); /* the 203-byte session leaks */
  fprintf(stderr, "worker session %d\n", session_id());
  scrub_stack();
  char c = 1;
  if (write(ready[1], &c, 1) != 1)
    abort();
  if (read(forever[0], &c, 1) == 1) /* never returns */
    abort();
  return arg;
}

int main(void) {
  pthread_t t;
  char c;
  if (pthread_key_create(&key, free) || pipe(ready) || pipe(forever) ||
      pthread_create(&t, NULL, worker, NULL) || read(ready[0], &c, 1) != 1)
    abort();
  set_session(3, 104);
  fprintf(stderr, "main session %d\n", session_id());
  scrub_stack();
  return 0;
}
// CHECK: worker session 1
// CHECK: main session 3
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
