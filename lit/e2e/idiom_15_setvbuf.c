// Hidden pointer (issue 3, idiom 15): pointers written by libc.  setvbuf
// hands a buffer to a stream: libc keeps it in the FILE (a block libc
// allocated for fopen) and, for stdout, in a libc global.  The 101-byte
// buffer of an open file and the 104-byte buffer of stdout are referenced
// only by libc.  The file's buffer was first set to a 203-byte block, then
// replaced before any I/O without freeing it, so that block leaks.
// mode=precise must keep the two buffers and report the replaced one.
//
// No mode=conservative run line: libc's memory holds raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 >/dev/null | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 >/dev/null | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

FILE *volatile out;

__attribute__((noinline)) static void buffer_stream(FILE *f, size_t size,
                                                    int mode) {
  char *buf = malloc(size);
  if (setvbuf(f, buf, mode, size))
    abort();
}

__attribute__((noinline)) static void build(void) {
  FILE *f = fopen("/dev/null", "w");
  if (!f)
    abort();
  buffer_stream(f, 203, _IOFBF);
  buffer_stream(f, 101, _IOFBF); /* the 203-byte buffer leaks */
  buffer_stream(stdout, 104, _IOFBF);
  fprintf(f, "%s", "pending in the buffer");
  printf("pending in stdout's buffer\n");
  out = f;
}

int main(void) {
  build();
  fprintf(stderr, "buffers set\n");
  scrub_stack();
  return 0;
}
// CHECK: buffers set
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
