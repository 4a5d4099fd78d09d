// Sound precision (issue 9, mechanism 2): stack slots written by
// uninstrumented code.  strtol, strtod and strtok_r store a pointer into the
// caller's local (&end, &save); the instrumented caller then copies that local
// into a heap field, which becomes the only reference to the parsed string:
// an interior pointer into a 64-byte (strtol), 72-byte (strtod) and 80-byte
// (strtok_r) buffer.  The pass never wrote those stack slots, so what the
// copy carries is unknown and must be scanned as a possible reference: the
// three buffers are live.  An 88-byte buffer parsed by strtol whose end
// pointer is not kept leaks.  Every build must also get the Inputs/sound.h
// decoys right (keep 120, report 136), which conservative marking gets wrong.
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct parsed {
  long num;
  double real;
  char *num_rest;  /* into the 64-byte buffer, from strtol */
  char *real_rest; /* into the 72-byte buffer, from strtod */
  char *tok_save;  /* into the 80-byte buffer, from strtok_r */
};

struct parsed *volatile parsed;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void parse_long(struct parsed *r) {
  char *end;
  r->num = strtol(text(64, "123 apples"), &end, 10);
  r->num_rest = end;
}

__attribute__((noinline)) static void parse_real(struct parsed *r) {
  char *end;
  r->real = strtod(text(72, "2.5e3 pears"), &end);
  r->real_rest = end;
}

__attribute__((noinline)) static void parse_tokens(struct parsed *r) {
  char *save;
  char *tok = strtok_r(text(80, "alpha beta gamma"), " ", &save);
  if (strcmp(tok, "alpha"))
    abort();
  r->tok_save = save;
}

__attribute__((noinline)) static long parse_and_drop(void) {
  char *end;
  long v = strtol(text(88, "77 plums"), &end, 10);
  return v + (*end == ' '); /* the end pointer is not kept: the leak */
}

__attribute__((noinline)) static void build(void) {
  struct parsed *r = calloc(1, sizeof *r);
  parse_long(r);
  parse_real(r);
  parse_tokens(r);
  r->num += parse_and_drop();
  parsed = r;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%ld '%s', %g '%s', next '%s'\n", parsed->num,
          parsed->num_rest, parsed->real, parsed->real_rest, parsed->tok_save);
}

int main(void) {
  sound_decoys();
  sound_print();
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: 201 ' apples', 2500 ' pears', next 'beta gamma'
// PRECISE-NOT: leak of {{64|72|80|120}} byte
// PRECISE-DAG: Direct leak of 88 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{64|72|80|120}} byte
// PRECISE: SUMMARY: leakcc: 224 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: 201 ' apples', 2500 ' pears', next 'beta gamma'
// CONS-NOT: leak of {{64|72|80|136}} byte
// CONS-DAG: Direct leak of 88 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{64|72|80|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 208 byte(s) leaked in 2 allocation(s).
