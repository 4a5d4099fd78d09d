// Hidden pointer (issue 3, idiom 15): pointers written by libc.  putenv keeps
// the caller's string itself in the environment array (a block libc
// allocates, reached from libc's globals).  A 101-byte variable is
// referenced only from there; putenv of a second string for the same name
// replaces a 203-byte one, which nothing references any more and which
// leaks.  mode=precise must keep the live strings (the summary admits no
// other leak) and report the replaced one.
//
// No mode=conservative run line: libc's memory holds raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

__attribute__((noinline)) static void export_var(const char *name,
                                                 size_t size, char fill) {
  char *s = malloc(size);
  size_t n = strlen(name);
  memcpy(s, name, n);
  s[n] = '=';
  memset(s + n + 1, fill, size - n - 2);
  s[size - 1] = 0;
  if (putenv(s))
    abort();
}

__attribute__((noinline)) static void build(void) {
  export_var("LEAKCC_IDIOM_A", 101, 'a');
  export_var("LEAKCC_IDIOM_B", 203, 'b');
  export_var("LEAKCC_IDIOM_B", 40, 'c'); /* the 203-byte string leaks */
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "A has %zu chars, B = %.3s...\n",
          strlen(getenv("LEAKCC_IDIOM_A")), getenv("LEAKCC_IDIOM_B"));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: A has 85 chars, B = ccc...
// CHECK-NOT: leak of 101 byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of 101 byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
