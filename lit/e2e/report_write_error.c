// A report that cannot be written is not lost without a word (issue 13,
// F15).  When the log_path file or stdout (log_path=stdout) fails (a full
// device, a file size limit), one error line on stderr says so and why, and
// the report goes to stderr.  When stderr itself fails there is nowhere to
// say it, but the exit status still says that leaks were found.  A FIFO at
// log_path.PID that nobody reads is refused at once instead of blocking.
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
//
// RUN: %env_leakcc_opts=log_path=stdout sh -c '%run %t > /dev/full; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=STDOUT,REPORT,STATUS
//
// RUN: sh -c '%run %t 2> /dev/full; echo "status=$?"' | FileCheck %s --check-prefix=STATUS
// RUN: %env_leakcc_opts=log_path=stdout sh -c '%run %t > /dev/full 2> /dev/full; echo "status=$?" > %t.status'
// RUN: FileCheck %s --check-prefix=STATUS < %t.status
//
// A regular log file the process may not grow (RLIMIT_FSIZE, with SIGXFSZ
// ignored): write(2) fails with EFBIG.
// RUN: sh -c 'trap "" XFSZ; ulimit -f 0; LEAKCC_OPTIONS=log_path=%t.dir/log %run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=FSIZE,REPORT,STATUS
//
// The program makes the FIFO at argv[1].PID itself.
// RUN: %env_leakcc_opts=log_path=%t.dir/fifo timeout 60 sh -c '%run %t %t.dir/fifo; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=FIFO,REPORT,STATUS
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(int argc, char **argv) {
  if (argc > 1) {
    char name[4096];
    snprintf(name, sizeof name, "%s.%d", argv[1], (int)getpid());
    if (mkfifo(name, 0600) != 0)
      return 1;
  }
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// STDOUT: leakcc: error: cannot write the report to stdout: No space left on device; reporting to stderr
// STDOUT-EMPTY:
// STDOUT-NEXT: =================
// FSIZE: leakcc: error: cannot write to the log_path file '{{.*}}log.{{[0-9]+}}': File too large; reporting to stderr
// FIFO: leakcc: error: cannot write the log_path file '{{.*}}fifo.{{[0-9]+}}': it is a FIFO that nobody reads; reporting to stderr
// REPORT: ERROR: leakcc: detected memory leaks
// REPORT: Direct leak of 8 byte(s) in 1 object(s)
// REPORT: SUMMARY: leakcc: 8 byte(s) leaked in 1 allocation(s).
// STATUS: status=23
