// Hidden pointer (issue 3, idiom 15): pointers written by libc.  regcomp
// compiles into a regex_t inside an instrumented heap struct: libc stores the
// pointers to its compiled automaton (a graph of blocks libc allocated) into
// words that get no shadow from the pass.  The rule also keeps a
// description and forgets to free the old one when it is replaced, a
// 203-byte leak.  mode=precise must keep the automaton (the summary admits
// no other leak) and report the old description.
//
// No mode=conservative run line: the libc-written words are raw pointers, so
// conservative scanning happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct rule {
  int id;
  regex_t re;
  char *descr;
};

struct rule *volatile rule;

__attribute__((noinline)) static char *describe(size_t size, char c) {
  char *s = malloc(size);
  memset(s, c, size - 1);
  s[size - 1] = 0;
  return s;
}

__attribute__((noinline)) static struct rule *compile(const char *pattern) {
  struct rule *r = calloc(1, sizeof *r);
  if (regcomp(&r->re, pattern, REG_EXTENDED))
    abort();
  r->descr = describe(203, 'a');
  return r;
}

__attribute__((noinline)) static void build(void) {
  struct rule *r = compile("^(key|name)=([a-z]+)[0-9]*$");
  r->descr = describe(24, 'b'); /* the old description leaks */
  rule = r;
}

__attribute__((noinline)) static void show(void) {
  regmatch_t m[3];
  const char *s = "name=leakcc19";
  if (regexec(&rule->re, s, 3, m, 0))
    abort();
  fprintf(stderr, "matched value '%.*s', %zu groups\n",
          (int)(m[2].rm_eo - m[2].rm_so), s + m[2].rm_so, rule->re.re_nsub);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: matched value 'leakcc', 2 groups
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
