// Sound precision (issue 9, mechanism 1): __lsan_do_leak_check() called in
// the middle of the run.  step() allocates 44 bytes, prints them (puts, to
// buffered stdout: the text comes out at exit, after the report, so it is not
// checked), drops its only pointer and calls the check: the address may
// linger in a register or in dead slots of puts that the check's frames now
// cover, which no live frame uses, so the 44-byte block must be reported.  A 48-byte job referenced only by a local of run() (used again
// after step() returns) is live.  Every build must also get the
// Inputs/sound.h decoys right (keep 120, report 136); conservative marking
// and LeakSanitizer get them wrong.  The check exits with status 23.
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O0 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct job {
  char name[40];
  long steps;
};

__attribute__((noinline)) static void step(struct job *j) {
  char *p = malloc(44);
  strcpy(p, "mid");
  printf("%s\n", p);
  p = 0;
  __lsan_do_leak_check();
  j->steps++;
}

__attribute__((noinline)) static void run(void) {
  struct job *j = malloc(sizeof *j); /* 48 bytes */
  strcpy(j->name, "job");
  j->steps = 0;
  step(j);
  fprintf(stderr, "not reached: %s %ld\n", j->name, j->steps);
  free(j);
}

int main(void) {
  sound_decoys();
  sound_print();
  scrub_stack();
  run();
  return 0;
}
// PRECISE: hidden
// PRECISE-NOT: leak of {{48|120}} byte
// PRECISE-DAG: Direct leak of 44 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|120}} byte
// PRECISE: SUMMARY: leakcc: 180 byte(s) leaked in 2 allocation(s).
// PRECISE-NOT: not reached

// CONS: hidden
// CONS-NOT: leak of {{48|136}} byte
// CONS-DAG: Direct leak of 44 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 164 byte(s) leaked in 2 allocation(s).
// CONS-NOT: not reached
