// exitcode must be an exit status: 256 (which the kernel truncates to 0, so
// leaks would pass unnoticed) or a negative value warns and keeps the default
// 23; integers are decimal as in LSan, so exitcode=010 exits 10, not 8.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=exitcode=256 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=RANGE,STATUS23
// RUN: %env_leakcc_opts=exitcode=-1 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=NEG,STATUS23
// RUN: %env_leakcc_opts=exitcode=010 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=DECIMAL
// An unterminated quote later in the text does not skip the check (found by
// test/fuzz/fuzz_options; exit status 0 hid the leaks).
// RUN: env "LEAKCC_OPTIONS=exitcode=256 log_path='x" sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=QUOTE,RANGE,STATUS23
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(void) {
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// QUOTE: leakcc: warning: option 'log_path' (from LEAKCC_OPTIONS): unterminated quote; ignored
// RANGE: leakcc: warning: option 'exitcode=256' (from LEAKCC_OPTIONS): expected an exit status 0..255; using 23
// NEG: leakcc: warning: option 'exitcode=-1' (from LEAKCC_OPTIONS): expected an exit status 0..255; using 23
// STATUS23: status=23
// DECIMAL-NOT: warning
// DECIMAL: status=10
