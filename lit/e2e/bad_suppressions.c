// A suppressions file that cannot be used (missing, a directory, a malformed
// line) does not stop the program: it runs to the end, its output (buffered
// in a file) and its side effects are all there, and the leak check then
// fails with one error naming the file and exit status 1 instead of a report
// that would show leaks the user believes suppressed.  The same holds for a
// check the program runs itself.  detect_leaks=0 never reads the file.
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.missing %t.dir %t.side && mkdir -p %t.dir
// RUN: printf 'leak:main\nnot a rule\n' > %t.malformed
// RUN: %env_leakcc_opts=suppressions=%t.missing sh -c '%run %t %t.side > %t.out; echo "status=$?"' 2>&1 | FileCheck %s -DFILE=%t.missing
// RUN: FileCheck %s --check-prefix=OUT < %t.out && test -f %t.side && rm %t.side
// RUN: %env_leakcc_opts=suppressions=%t.dir sh -c '%run %t %t.side > %t.out; echo "status=$?"' 2>&1 | FileCheck %s -DFILE=%t.dir
// RUN: FileCheck %s --check-prefix=OUT < %t.out && test -f %t.side && rm %t.side
// RUN: env LSAN_OPTIONS=suppressions=%t.malformed sh -c '%run %t %t.side > %t.out; echo "status=$?"' 2>&1 | FileCheck %s -DFILE=%t.malformed
// RUN: FileCheck %s --check-prefix=OUT < %t.out && test -f %t.side && rm %t.side
// RUN: %env_leakcc_opts=suppressions=%t.missing sh -c '%run %t %t.side check; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=MIDWAY -DFILE=%t.missing
// RUN: %env_leakcc_opts=suppressions=%t.missing:detect_leaks=0 sh -c '%run %t %t.side; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=OFF
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(int argc, char **argv) {
  printf("program output\n"); /* stdout is a pipe or a file: buffered */
  FILE *f = fopen(argv[1], "w");
  fputs("side effect\n", f);
  fclose(f);
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  if (argc > 2) {
    __lsan_do_recoverable_leak_check();
    printf("after the check\n");
  }
  return 0;
}
// CHECK: leakcc: error: {{.*}}[[FILE]]
// CHECK-NOT: Direct leak
// CHECK: status=1
// OUT: program output

// MIDWAY: program output
// MIDWAY: leakcc: error: {{.*}}[[FILE]]
// MIDWAY-NOT: after the check
// MIDWAY: status=1

// OFF: program output
// OFF-NOT: leakcc
// OFF: status=0
