// log_path.PID is a predictable name: leakcc creates it with mode 0640 (as
// LSan; umask 0 here, so the mode is the one leakcc asks for), empties and
// reuses a regular file already there, and never writes through a symbolic
// link there, whether it was planted before the start (refused at start-up)
// or after it (O_NOFOLLOW at the first write): one error line names the
// file, the report goes to stderr, and the link's target is untouched.
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: echo precious > %t.dir/target && cp %t.dir/target %t.dir/target.orig
//
// RUN: not sh -c 'umask 0 && LEAKCC_OPTIONS=log_path=%t.dir/log exec %t' 2> %t.err
// RUN: count 0 < %t.err
// RUN: stat -c %a %t.dir/log.* | FileCheck %s --check-prefix=MODE
// RUN: cat %t.dir/log.* | FileCheck %s --check-prefix=REPORT
// RUN: rm %t.dir/log.*
//
// RUN: not sh -c 'echo stale > %t.dir/log.$$ && LEAKCC_OPTIONS=log_path=%t.dir/log exec %t' 2> %t.err
// RUN: count 0 < %t.err
// RUN: cat %t.dir/log.* | FileCheck %s --check-prefix=REPORT --implicit-check-not=stale
// RUN: rm %t.dir/log.*
//
// RUN: not sh -c 'ln -s target %t.dir/log.$$ && LEAKCC_OPTIONS=log_path=%t.dir/log exec %t' 2> %t.before
// RUN: FileCheck %s --check-prefixes=REFUSED,REPORT < %t.before
// RUN: cmp %t.dir/target %t.dir/target.orig
// RUN: rm %t.dir/log.*
//
// RUN: not env LEAKCC_OPTIONS=log_path=%t.dir/log %t %t.dir/target %t.dir/log 2> %t.after
// RUN: FileCheck %s --check-prefixes=REFUSED,REPORT < %t.after
// RUN: cmp %t.dir/target %t.dir/target.orig
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(int argc, char **argv) {
  if (argc > 2) { /* after the start: a link to argv[1] at argv[2].PID */
    char name[4096];
    snprintf(name, sizeof name, "%s.%d", argv[2], (int)getpid());
    if (symlink(argv[1], name) != 0)
      return 1;
  }
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// MODE: {{^640$}}
// REFUSED: leakcc: error: cannot write the log_path file '{{.*}}log.{{[0-9]+}}': it is a symbolic link, which leakcc does not follow; reporting to stderr
// REPORT: ERROR: leakcc: detected memory leaks
// REPORT: Direct leak of 8 byte(s) in 1 object(s)
