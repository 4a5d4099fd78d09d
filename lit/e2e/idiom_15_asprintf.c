// Hidden pointer (issue 3, idiom 15): pointers written by libc.  asprintf and
// vasprintf (through a varargs helper) store the strings they allocate into
// fields of an instrumented heap struct: those words get no shadow from the
// pass, yet the 101-byte name is live.  Formatting the greeting a second time
// into the same field leaks the first 203-byte greeting, a block libc
// allocated.  mode=precise must keep the name and report the old greeting.
//
// No mode=conservative run line: the libc-written words are raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct user {
  int id;
  char *name;     /* asprintf */
  char *greeting; /* vasprintf, through format_into */
};

struct user *volatile user;

__attribute__((noinline, format(printf, 2, 3))) static int
format_into(char **dst, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vasprintf(dst, fmt, ap);
  va_end(ap);
  return n;
}

__attribute__((noinline)) static void build(void) {
  struct user *u = calloc(1, sizeof *u);
  u->id = 7;
  if (asprintf(&u->name, "user-%095d", u->id) != 100) /* 101 bytes */
    abort();
  if (format_into(&u->greeting, "hello %0*d", 196, u->id) != 202) /* 203 */
    abort();
  /* Reformatted without freeing the first greeting: the leak. */
  if (format_into(&u->greeting, "bye %d", u->id) < 0)
    abort();
  user = u;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "name %zu chars, greeting '%s'\n", strlen(user->name),
          user->greeting);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: name 100 chars, greeting 'bye 7'
// CHECK-NOT: leak of 101 byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 101 byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
