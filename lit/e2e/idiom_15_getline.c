// Hidden pointer (issue 3, idiom 15): pointers written by libc.  getline and
// getdelim store the buffer they (re)allocate into fields of an instrumented
// heap struct: those words get no shadow from the pass, yet the buffers are
// live.  The reader also keeps a strdup of the previous line and forgets to
// free the older copy, a 203-byte leak.  mode=precise must keep the libc
// buffers (the summary admits no other leak) and report the copy.
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

struct reader {
  FILE *in;
  char *line; /* getline's buffer */
  size_t cap;
  char *rec; /* getdelim's buffer */
  size_t reccap;
  char *prev; /* copy of the previous line */
  long lines;
};

struct reader *volatile reader;

static char text[400];

__attribute__((noinline)) static struct reader *open_reader(void) {
  /* A 202-character line, a short one, then ';'-separated records. */
  memset(text, 'x', 202);
  strcpy(text + 202, "\nsecond line\nalpha;beta;gamma");
  struct reader *r = calloc(1, sizeof *r);
  r->in = fmemopen(text, strlen(text), "r");
  if (!r->in)
    abort();
  return r;
}

__attribute__((noinline)) static int next_line(struct reader *r) {
  ssize_t n = getline(&r->line, &r->cap, r->in);
  if (n <= 0)
    return 0;
  if (r->line[n - 1] == '\n')
    r->line[n - 1] = 0;
  r->prev = strdup(r->line); /* the older copy is not freed: the leak */
  r->lines++;
  return 1;
}

__attribute__((noinline)) static int next_record(struct reader *r) {
  return getdelim(&r->rec, &r->reccap, ';', r->in) > 0;
}

__attribute__((noinline)) static void build(void) {
  struct reader *r = open_reader();
  next_line(r);
  next_line(r);
  next_record(r);
  next_record(r);
  reader = r;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%ld lines, last '%s', prev '%s', record '%s'\n",
          reader->lines, reader->line, reader->prev, reader->rec);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: 2 lines, last 'second line', prev 'second line', record 'beta;'
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
