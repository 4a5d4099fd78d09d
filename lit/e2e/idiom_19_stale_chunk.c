// False pointer (issue 3, idiom 19): a leaked block whose address survives as
// stale data in a recycled, uninitialised chunk.  A request's 203-byte
// connection is not freed when the request is; the next request reuses the
// chunk (same size class, this thread's LIFO cache) and initialises only
// the fields it uses, so the old connection's address stays in its `conn`
// word.  The new request's 101-byte body is referenced normally.
// mode=precise must report the connection and keep the body: the free
// cleared the chunk's shadow, so the stale word records no reference.
// Conservative scanning takes the stale word for a reference and misses the
// leak.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

/* Word 0 of a free chunk holds the allocator's free-list link: conn is not
 * the first field, so it survives the free. */
struct request {
  long id;
  struct conn *conn; /* set only for keep-alive requests */
  char *body;
  int flags;
};
#define KEEP_ALIVE 1

struct conn {
  int fd;
  char buf[];
};

struct request *volatile current;
volatile int recycled;

__attribute__((noinline)) static struct request *new_request(long id) {
  struct request *r = malloc(sizeof *r); /* not zeroed */
  r->id = id;
  r->flags = 0;
  r->body = NULL;
  return r;
}

__attribute__((noinline)) static void keep_alive(struct request *r,
                                                 size_t size) {
  r->conn = calloc(1, size);
  r->flags |= KEEP_ALIVE;
}

/* Ends a request (and forgets its connection: the leak). */
__attribute__((noinline)) static void end_request(struct request *r) {
  free(r->body);
  free(r);
}

__attribute__((noinline)) static void build(void) {
  struct request *first = new_request(1);
  keep_alive(first, 203);
  uintptr_t old = (uintptr_t)first;
  end_request(first);
  struct request *second = new_request(2);
  recycled = (uintptr_t)second == old;
  second->body = malloc(101);
  memset(second->body, 'b', 101);
  current = second;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "recycled %d, stale conn word %s, body %c\n", recycled,
          current->conn ? "present" : "cleared", current->body[100]);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: recycled 1, stale conn word present, body b
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: recycled 1, stale conn word present, body b
// CONS-NOT: leak
