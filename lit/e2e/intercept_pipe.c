// Interceptors, bytes in flight (runtime/intercept.c): a block is live
// exactly while a pointer to it sits unread in a pipe or socketpair the
// program created, whatever the message layout.  Live: a pointer half read
// (4 of its 8 bytes), one at an odd offset of a packed message on a
// socketpair, one whose pipe's write end is closed (still readable, through
// a dup of the read end).  Leaked: pointers read back (through the dup too),
// and one whose pipe lost its last read end (the kernel discarded it).
// Conservative scanning sees no kernel buffer and reports every block.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefixes=CHECK,PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefixes=CHECK,CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefixes=CHECK,PRECISE
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "Inputs/scrub.h"

/* Writes a message holding a new block of SIZE bytes at byte OFFSET. */
__attribute__((noinline)) static void send_block(int fd, size_t size,
                                                 size_t offset) {
  char msg[32] = {'m'};
  void *b = malloc(size);
  memcpy(msg + offset, &b, sizeof b);
  if (write(fd, msg, offset + sizeof b) != (ssize_t)(offset + sizeof b))
    abort();
}

__attribute__((noinline)) static void receive(int fd, size_t n) {
  char buf[32];
  if (read(fd, buf, n) != (ssize_t)n)
    abort();
  memset(buf, 0, sizeof buf);
}

int main(void) {
  int p[2], q[2], s[2];
  if (pipe(p) || pipe(q) || socketpair(AF_UNIX, SOCK_STREAM, 0, s))
    return 1;
  send_block(p[1], 101, 0); /* read back: leaked */
  receive(p[0], 8);
  send_block(p[1], 102, 0); /* half read: live */
  receive(p[0], 4);
  send_block(s[0], 103, 5); /* packed, in flight: live */
  send_block(s[1], 104, 3); /* read back by s[0]: leaked */
  receive(s[0], 11);
  int d = dup(q[0]);
  send_block(q[1], 105, 0); /* read back through the dup: leaked */
  receive(d, 8);
  send_block(q[1], 106, 0); /* write end closed, unread: live */
  close(q[1]);
  close(q[0]);
  int r[2];
  if (pipe(r))
    return 1;
  send_block(r[1], 107, 0); /* last read end closed: leaked */
  close(r[0]);
  scrub_stack();
  return 0;
}
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK-DAG: Direct leak of 101 byte(s)
// CHECK-DAG: Direct leak of 104 byte(s)
// CHECK-DAG: Direct leak of 105 byte(s)
// CHECK-DAG: Direct leak of 107 byte(s)
// CONS-DAG: Direct leak of 102 byte(s)
// CONS-DAG: Direct leak of 103 byte(s)
// CONS-DAG: Direct leak of 106 byte(s)
// PRECISE-NOT: leak of 10{{[236]}} byte(s)
// PRECISE: SUMMARY: leakcc: 417 byte(s) leaked in 4 allocation(s).
// CONS: SUMMARY: leakcc: 728 byte(s) leaked in 7 allocation(s).
