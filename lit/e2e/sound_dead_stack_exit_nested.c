// Sound precision (issue 9, mechanism 1): exit(0) called three frames deep.
// The callers' frames are live while exit runs the check: a 48-byte job is
// referenced only by a local of run() (used again after work() returns, so
// the compiler must keep it in the frame or a callee-saved register), and a
// 56-byte buffer only by a slot of a local array in run() whose address is
// passed down.  A 40-byte block was dropped before the chain started and
// leaks.  Every build must keep the 48- and 56-byte blocks, report the
// 40-byte one and get the Inputs/sound.h decoys right (keep 120, report
// 136); conservative marking keeps the frames too but gets the decoys wrong.
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O1 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O3 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.lto 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %if lsan %{ %lsan -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct job {
  char name[40];
  long steps;
};

void *volatile sink;

__attribute__((noinline)) static void drop(void) {
  char *p = malloc(40);
  memset(p, 'd', 40);
  sink = p;
  sink = NULL; /* the leak */
}

/* argc is at least 1, but the compiler cannot know: finish() may return, so
 * the callers' locals stay live across the calls. */
__attribute__((noinline)) static void finish(int argc) {
  fprintf(stderr, "exiting\n");
  if (argc > 0)
    exit(0);
}

__attribute__((noinline)) static void work(struct job *j, char **slots,
                                           int argc) {
  j->steps++;
  fprintf(stderr, "job %s, slot %s\n", j->name, slots[1]);
  finish(argc);
  j->steps++;
}

__attribute__((noinline)) static void run(int argc) {
  char *slots[4] = {0};
  struct job *j = malloc(sizeof *j); /* 48 bytes */
  strcpy(j->name, "nested");
  j->steps = 0;
  slots[1] = malloc(56);
  strcpy(slots[1], "buffer");
  work(j, slots, argc);
  fprintf(stderr, "not reached: %ld %s\n", j->steps, slots[1]);
  free(slots[1]);
  free(j);
}

int main(int argc, char **argv) {
  (void)argv;
  sound_decoys();
  drop();
  sound_print();
  scrub_stack();
  run(argc);
  return 0;
}
// PRECISE: hidden
// PRECISE: job nested, slot buffer
// PRECISE: exiting
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE-DAG: Direct leak of 40 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE: SUMMARY: leakcc: 176 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: job nested, slot buffer
// CONS: exiting
// CONS-NOT: leak of {{48|56|136}} byte
// CONS-DAG: Direct leak of 40 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|56|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 160 byte(s) leaked in 2 allocation(s).
