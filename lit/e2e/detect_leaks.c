// detect_leaks=0 turns the check off (from LEAKCC_OPTIONS, LSAN_OPTIONS or
// __lsan_default_options) and the program keeps its own exit status;
// LEAKCC_OPTIONS overrides LSAN_OPTIONS, which overrides the compiled-in
// defaults; leak_check_at_exit=0 skips only the exit-time check.
// RUN: %leakcc -O0 %s -o %t
// RUN: %leakcc -O0 -DDEFAULT_OFF %s -o %t.off
// RUN: %env_leakcc_opts=detect_leaks=0 %run %t 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// RUN: env LSAN_OPTIONS=detect_leaks=0 %run %t 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// RUN: env LSAN_OPTIONS=detect_leaks=false %run %t 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// RUN: env LSAN_OPTIONS=detect_leaks=0 LEAKCC_OPTIONS=detect_leaks=1 not %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=leak_check_at_exit=0 %run %t 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// RUN: %run %t.off 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// RUN: env LSAN_OPTIONS=detect_leaks=1 not %run %t.off 2>&1 | FileCheck %s
#include <stdlib.h>

#include "Inputs/scrub.h"

#ifdef DEFAULT_OFF
const char *__lsan_default_options(void) { return "detect_leaks=0"; }
#endif

void *volatile sink;

int main(void) {
  sink = malloc(64);
  sink = NULL;
  scrub_stack();
  return 0;
}
// OFF-NOT: leakcc
// CHECK: Direct leak of 64 byte(s) in 1 object(s)
