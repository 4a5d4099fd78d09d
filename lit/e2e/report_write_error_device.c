// log_path.PID may be a device outside secure mode (the user named it, and
// LSan writes there too); when it is full, one error line on stderr names
// the file and the reason, the report goes to stderr, and the exit status
// is still exitcode's (issue 13, F15).  A setuid program refuses anything
// but a regular file there (lit/e2e/secure_log_path.c).  mknod needs root.
// REQUIRES: root
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// The program makes /dev/full's twin at argv[1].PID itself.
// RUN: %env_leakcc_opts=log_path=%t.dir/log sh -c '%run %t %t.dir/log; echo "status=$?"' 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(int argc, char **argv) {
  char name[4096];
  snprintf(name, sizeof name, "%s.%d", argv[1], (int)getpid());
  if (mknod(name, S_IFCHR | 0600, makedev(1, 7)) != 0) /* as /dev/full */
    return 1;
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// CHECK: leakcc: error: cannot write to the log_path file '{{.*}}log.{{[0-9]+}}': No space left on device; reporting to stderr
// CHECK-EMPTY:
// CHECK-NEXT: =================
// CHECK: Direct leak of 8 byte(s) in 1 object(s)
// CHECK: status=23
