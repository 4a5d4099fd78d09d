// An unreadable suppressions file (missing, or a directory) is a clear error
// naming the file, and the process exits with status 1 instead of reporting.
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.missing %t.dir && mkdir -p %t.dir
// RUN: %env_leakcc_opts=suppressions=%t.missing sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s -DFILE=%t.missing
// RUN: %env_leakcc_opts=suppressions=%t.dir sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s -DFILE=%t.dir
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(void) {
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// CHECK: leakcc: error: {{.*}}[[FILE]]
// CHECK-NOT: Direct leak
// CHECK: status=1
