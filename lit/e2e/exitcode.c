// Exit status: 23 when leaks are found, exitcode=N changes it, exitcode=0
// still prints the report but keeps the program's own status (as LSan);
// without leaks the program's own status is kept, whether main returns it or
// exit(3) is called with it.
// RUN: %leakcc -O0 %s -o %t
// RUN: sh -c '%run %t leak; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=REPORT,S23
// RUN: %env_leakcc_opts=exitcode=42 sh -c '%run %t leak; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=REPORT,S42
// RUN: env LSAN_OPTIONS=exitcode=43 sh -c '%run %t leak; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=REPORT,S43
// RUN: %env_leakcc_opts=exitcode=0 sh -c '%run %t leak; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=REPORT,S0
// RUN: sh -c '%run %t clean; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=OWN
// RUN: sh -c '%run %t clean-exit; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=OWN
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(int argc, char **argv) {
  if (!strcmp(argv[1], "leak")) {
    sink = malloc(10);
    sink = NULL;
    scrub_stack();
    return 7;
  }
  sink = malloc(10);
  free(sink);
  if (!strcmp(argv[1], "clean-exit"))
    exit(7);
  return 7;
}
// REPORT: ERROR: leakcc: detected memory leaks
// REPORT: SUMMARY: leakcc: 10 byte(s) leaked in 1 allocation(s).
// S23: status=23
// S42: status=42
// S43: status=43
// S0: status=7

// OWN-NOT: leakcc
// OWN: status=7
