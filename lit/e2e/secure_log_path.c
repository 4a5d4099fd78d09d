// log_path in a setuid-root program run by user nobody (AT_SECURE): the
// user can plant a link at the predictable PATH.PID, but no root-owned file
// is ever written or emptied through it.  log_path from the environment is
// ignored (the report goes to stderr); one from __lsan_default_options() is
// used, but not through a symbolic link (planted before the start or after
// it), a hard link, or a file the user planted: each is one error line and
// the report goes to stderr.  Without AT_SECURE, log_path from the
// environment still works.
// REQUIRES: root, setpriv
// RUN: %leakcc -O0 %s -o %t
// RUN: %leakcc -O0 -DDEFAULT_LOG_PATH %s -o %t.dflt
// RUN: %nobody_dir %t.d
// RUN: cd %t.d
// RUN: cp %t prog && cp %t.dflt prog_dflt && chmod 4755 prog prog_dflt
// RUN: mkdir logs && chmod 0777 logs
// RUN: echo precious > precious && chmod 0644 precious && cp precious precious.orig
//
// The environment's log_path, at a planted link: ignored.
// RUN: not %as_nobody sh -c 'ln -s ../precious logs/log.$$ && LEAKCC_OPTIONS=log_path=logs/log exec ./prog' 2> env.err
// RUN: FileCheck %s --check-prefixes=ENV,REPORT < env.err
// RUN: cmp precious precious.orig
// RUN: rm -f logs/log.*
//
// The program's log_path, at a link planted before the start.
// RUN: not %as_nobody sh -c 'ln -s ../precious logs/log.$$ && exec ./prog_dflt' 2> before.err
// RUN: FileCheck %s --check-prefixes=SYMLINK,REPORT < before.err
// RUN: cmp precious precious.orig
// RUN: rm -f logs/log.*
//
// The program's log_path, at links made after the start (by the program
// itself: nobody may not hard-link root's file).
// RUN: not %as_nobody ./prog_dflt symlink 2> after.err
// RUN: FileCheck %s --check-prefixes=SYMLINK,REPORT < after.err
// RUN: cmp precious precious.orig
// RUN: rm -f logs/log.*
// RUN: not %as_nobody ./prog_dflt hardlink 2> hard.err
// RUN: FileCheck %s --check-prefixes=NOTOURS,REPORT < hard.err
// RUN: cmp precious precious.orig
// RUN: rm -f logs/log.*
//
// The program's log_path, at a file nobody planted: left as it is.
// RUN: not %as_nobody sh -c 'echo mine > logs/log.$$ && exec ./prog_dflt' 2> planted.err
// RUN: FileCheck %s --check-prefixes=NOTOURS,REPORT < planted.err
// RUN: cat logs/log.* | FileCheck %s --check-prefix=MINE
// RUN: rm -f logs/log.*
//
// Nothing planted: the program's log_path is used (root's file, 0640 even
// under umask 0).
// RUN: not %as_nobody sh -c 'umask 0 && exec ./prog_dflt' 2> fine.err
// RUN: count 0 < fine.err
// RUN: cat logs/log.* | FileCheck %s --check-prefix=REPORT
// RUN: stat -c '%U %a' logs/log.* | FileCheck %s --check-prefix=OWNER
// RUN: rm -f logs/log.*
//
// No AT_SECURE (root runs it): the environment's log_path is used.
// RUN: not env LEAKCC_OPTIONS=log_path=logs/log ./prog 2> root.err
// RUN: count 0 < root.err
// RUN: cat logs/log.* | FileCheck %s --check-prefix=REPORT
// RUN: %nobody_dir --remove %t.d
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "Inputs/scrub.h"

#ifdef DEFAULT_LOG_PATH
const char *__lsan_default_options(void) { return "log_path=logs/log"; }
#endif

void *volatile sink;

int main(int argc, char **argv) {
  char name[64];
  snprintf(name, sizeof name, "logs/log.%d", (int)getpid());
  if (argc > 1 && !strcmp(argv[1], "symlink") && symlink("../precious", name))
    return 1;
  if (argc > 1 && !strcmp(argv[1], "hardlink") && link("precious", name))
    return 1;
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// ENV: leakcc: warning: setuid/setgid program (AT_SECURE): ignoring log_path (from LEAKCC_OPTIONS)
// SYMLINK: leakcc: error: cannot write the log_path file 'logs/log.{{[0-9]+}}': it is a symbolic link, which leakcc does not follow; reporting to stderr
// NOTOURS: leakcc: error: cannot write the log_path file 'logs/log.{{[0-9]+}}': a setuid/setgid program writes only to a regular file of its own with one link; reporting to stderr
// REPORT: ERROR: leakcc: detected memory leaks
// REPORT: Direct leak of 8 byte(s) in 1 object(s)
// MINE: {{^mine$}}
// OWNER: {{^root 640$}}
