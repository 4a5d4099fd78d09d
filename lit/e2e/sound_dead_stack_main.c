// Sound precision (issue 9, mechanism 1): the stack is dead at exit.  main
// allocates 33 bytes, prints them, drops its only pointer and returns: no
// live frame holds the address when the exit-time check runs, yet at -O1 and
// above a copy of it lingers in dead stack or a saved register that the
// check scans as if live.  Every build must report the 33-byte leak, keep the
// 120-byte block held by a tagged global and report the 136-byte block whose
// address survives only as a number (Inputs/sound.h).  LeakSanitizer reports
// the 33 bytes too, but reports the 120-byte block and misses the 136-byte
// one: the LSAN lines show the test tells right from wrong.
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O0 %s -o %t.lsan.O0 %}
// RUN: %if lsan %{ not %run %t.lsan.O0 2>&1 | FileCheck %s --check-prefix=LSAN %}
// RUN: %if lsan %{ %lsan -O2 %s -o %t.lsan.O2 %}
// RUN: %if lsan %{ not %run %t.lsan.O2 2>&1 | FileCheck %s --check-prefix=LSAN %}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

int main(void) {
  sound_decoys();
  sound_print();
  scrub_stack();
  char *p = malloc(33);
  strcpy(p, "hi");
  printf("%s\n", p);
  p = 0;
  return 0;
}
// PRECISE: hidden
// PRECISE-NOT: leak of 120 byte
// PRECISE-DAG: Direct leak of 33 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 120 byte
// PRECISE: SUMMARY: leakcc: 169 byte(s) leaked in 2 allocation(s).

// LSAN: hidden
// LSAN-NOT: leak of 136 byte
// LSAN-DAG: Direct leak of 33 byte(s) in 1 object(s)
// LSAN-DAG: Direct leak of 120 byte(s) in 1 object(s)
// LSAN-NOT: leak of 136 byte
// LSAN: SUMMARY: LeakSanitizer: 153 byte(s) leaked in 2 allocation(s).
