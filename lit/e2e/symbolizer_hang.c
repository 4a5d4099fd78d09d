// A symbolizer that hangs is given up after 10 s, and neither it nor what
// it forked keeps the caller waiting (issue 13, F14): its process group is
// killed and the child reaped, and its stderr is a pipe of ours, copied to
// the program's stderr, so a helper that escaped the group holds nothing of
// the caller's.  `$(prog 2>&1)` returns as soon as the program exits;
// `timeout` keeps a regression from hanging the suite.
// RUN: %leakcc -O0 %s -o %t
// RUN: cp %S/Inputs/hung_symbolizer.sh %t.sym && chmod 755 %t.sym && rm -f %t.pids
// RUN: env LEAKCC_SYMBOLIZER_PATH=%t.sym HUNG_SYMBOLIZER_PIDS=%t.pids timeout 60 sh -c 'out=$(%run %t 2>&1); echo "status=$?"; echo "$out"' | FileCheck %s
// The helper in the symbolizer's process group is dead (gone, or a zombie
// until init reaps it).
// RUN: sh -c 'p=$(cat %t.pids); s=$(ps -o stat= -p "$p"); case "$s" in ""|Z*) ;; *) echo "alive: $p $s"; exit 1;; esac'
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  sink = malloc(8);
  sink = NULL;
}

int main(void) {
  leak();
  scrub_stack();
  return 0;
}
// CHECK: status=23
// CHECK-DAG: hung_symbolizer: started
// CHECK-DAG: leakcc: warning: llvm-symbolizer failed (no answer for {{.*}}); printing module+offset from here on
// CHECK: Direct leak of 8 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak {{.*}}symbolizer_hang.c
// CHECK-NEXT: #1 0x{{[0-9a-f]+}} ({{.*}}+0x{{[0-9a-f]+}})
