// A report written to a pipe whose reader is gone (prog 2>&1 | head -1 once
// head has exited) must not kill the program with SIGPIPE (status 141, or
// death by signal) where the plain program, which writes nothing there,
// exits normally (issue 13).  The write fails with EPIPE and is handled as
// any write error (report_write_error.c): with stderr gone there is
// nowhere to say it, but the exit status is still exitcode (23); with
// log_path=stdout gone, one error line and the report go to stderr.  The
// SIGPIPE our write raised is taken back, so the program's own SIGPIPE
// handler never sees it, and a program without leaks exits 0.
// RUN: %leakcc -O0 %s -o %t
// RUN: %clang -O0 %s -o %t.plain
//
// The program itself makes its stderr (or stdout) a pipe with no reader.
// RUN: sh -c '%run %t stderr; echo "status=$?"' | FileCheck %s --check-prefixes=STATUS,NOHANDLER
// RUN: sh -c '%run %t stderr handler; echo "status=$?"' | FileCheck %s --check-prefixes=STATUS,NOHANDLER
// RUN: sh -c '%t.plain stderr handler; echo "status=$?"' | FileCheck %s --check-prefixes=PLAIN,NOHANDLER
// RUN: sh -c '%run %t stderr noleak; echo "status=$?"' | FileCheck %s --check-prefix=PLAIN
// RUN: %env_leakcc_opts=log_path=stdout sh -c '%run %t stdout; echo "status=$?" >&2' 2>&1 | FileCheck %s --check-prefixes=STDOUT,STATUS
//
// A shell pipeline whose reader has exited before the report is written.
// RUN: sh -c '(sleep 1; %run %t) 2>&1 | true; echo done' | FileCheck %s --check-prefix=DONE
// RUN: sh -c '((sleep 1; %run %t; echo "status=$?" >&3) 2>&1 | true) 3>&1' | FileCheck %s --check-prefix=STATUS
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

static void on_sigpipe(int sig) {
  (void)sig;
  static const char msg[] = "program's SIGPIPE handler ran\n";
  write(3, msg, sizeof msg - 1);
}

__attribute__((noinline)) static void leak(void) {
  sink = malloc(41);
  sink = NULL;
}

int main(int argc, char **argv) {
  bool handler = false, noleak = false;
  for (int i = 2; i < argc; i++) {
    handler |= !strcmp(argv[i], "handler");
    noleak |= !strcmp(argv[i], "noleak");
  }
  if (argc > 1) {
    int target = !strcmp(argv[1], "stdout") ? 1 : 2;
    int p[2];
    if (dup2(1, 3) < 0 || pipe(p) != 0)
      return 1;
    close(p[0]); /* no reader: a write raises SIGPIPE */
    dup2(p[1], target);
    close(p[1]);
  }
  if (handler)
    signal(SIGPIPE, on_sigpipe);
  if (!noleak)
    leak();
  scrub_stack();
  return 0;
}
// STDOUT: leakcc: error: cannot write the report to stdout: Broken pipe; reporting to stderr
// STDOUT: Direct leak of 41 byte(s) in 1 object(s) allocated from:
// NOHANDLER-NOT: SIGPIPE handler ran
// STATUS: status=23
// PLAIN: status=0
// DONE: done
