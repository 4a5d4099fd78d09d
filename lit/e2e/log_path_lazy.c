// log_path creates its file only when there is something to write, as LSan
// does: a process without leaks leaves no empty log_path.PID behind, and one
// with a leak writes its report there.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %leakcc -O0 %s -o %t
// RUN: env LEAKCC_OPTIONS=log_path=%t.dir/log %run %t
// RUN: ls %t.dir | count 0
// RUN: env LEAKCC_OPTIONS=log_path=%t.dir/log not %run %t leak
// RUN: cat %t.dir/log.* | FileCheck %s
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  sink = malloc(13);
  sink = NULL;
}

int main(int argc, char **argv) {
  if (argc > 1)
    leak();
  scrub_stack();
  return 0;
}
// CHECK: Direct leak of 13 byte(s) in 1 object(s) allocated from:
