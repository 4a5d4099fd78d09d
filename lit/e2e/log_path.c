// log_path=PATH writes the report to PATH.PID instead of stderr; the program's
// own stderr output is untouched and the exit status still says "leaks".
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %env_leakcc_opts=log_path=%t.dir/report not %run %t 2> %t.stderr
// RUN: FileCheck %s --check-prefix=STDERR < %t.stderr
// RUN: cat %t.dir/report.* | FileCheck %s
// RUN: ls %t.dir | FileCheck %s --check-prefix=NAME
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(void) {
  fprintf(stderr, "program output, pid %d\n", (int)getpid());
  sink = malloc(31);
  sink = NULL;
  scrub_stack();
  return 0;
}
// STDERR: program output
// STDERR-NOT: leakcc

// CHECK: ==[[PID:[0-9]+]]==ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 31 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in main {{.*}}log_path.c:19
// CHECK: SUMMARY: leakcc: 31 byte(s) leaked in 1 allocation(s).

// NAME: {{^}}report.{{[0-9]+$}}
