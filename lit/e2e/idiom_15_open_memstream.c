// Hidden pointer (issue 3, idiom 15): pointers written by libc.
// open_memstream stores its buffer into fields of an instrumented heap struct
// on fflush and fclose: those words get no shadow from the pass.  One
// document's stream is still open at exit (its buffer is live through the
// struct and the FILE), a second one was closed and its 101-byte buffer is
// live only through the struct.  Reusing the third document's struct for a
// new stream leaks its previous 203-byte buffer, a block libc allocated.
// mode=precise must keep the live buffers (the summary admits no other leak)
// and report the old one.
//
// No mode=conservative run line: the libc-written words are raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct doc {
  char *buf;
  size_t len;
  FILE *out;
};

struct docs {
  struct doc d[3];
};

struct docs *volatile docs;

__attribute__((noinline)) static void doc_open(struct doc *d) {
  d->out = open_memstream(&d->buf, &d->len);
  if (!d->out)
    abort();
}

__attribute__((noinline)) static void doc_write(struct doc *d, int width) {
  fprintf(d->out, "%0*d", width, 1);
  fflush(d->out);
}

__attribute__((noinline)) static void doc_close(struct doc *d) {
  fclose(d->out);
  d->out = NULL;
}

__attribute__((noinline)) static void build(void) {
  struct docs *all = calloc(1, sizeof *all);
  doc_open(&all->d[0]); /* stays open */
  doc_write(&all->d[0], 50);
  doc_open(&all->d[1]);
  doc_write(&all->d[1], 100);
  doc_close(&all->d[1]); /* 101 bytes */
  doc_open(&all->d[2]);
  doc_write(&all->d[2], 202);
  doc_close(&all->d[2]); /* 203 bytes */
  doc_open(&all->d[2]); /* the previous buffer is not freed: the leak */
  doc_write(&all->d[2], 10);
  doc_close(&all->d[2]);
  docs = all;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "lengths %zu %zu %zu, ends %c %c %c\n", docs->d[0].len,
          docs->d[1].len, docs->d[2].len, docs->d[0].buf[docs->d[0].len - 1],
          docs->d[1].buf[docs->d[1].len - 1],
          docs->d[2].buf[docs->d[2].len - 1]);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: lengths 50 100 10, ends 1 1 1
// CHECK-NOT: leak of 101 byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 101 byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
