// A setuid-root program run by user nobody (AT_SECURE) never shows the
// content of a file only root may read.  suppressions= from the environment
// is ignored (the file is not even opened); one from __lsan_default_options()
// is part of the program and is read, but its malformed line is described
// without being quoted.  Without AT_SECURE, the environment's suppressions
// are read and a malformed line is quoted as before.
// REQUIRES: root, setpriv
// RUN: %leakcc -O0 %s -o %t
// RUN: %leakcc -O0 -DDEFAULT_SUPPRESSIONS %s -o %t.dflt
// RUN: %nobody_dir %t.d
// RUN: cd %t.d
// RUN: cp %t prog && cp %t.dflt prog_dflt && chmod 4755 prog prog_dflt
// RUN: echo "SECRET-c0ffee is root's only" > secret.supp && chmod 0600 secret.supp
//
// RUN: %as_nobody env LEAKCC_OPTIONS=suppressions=secret.supp sh -c './prog; echo status=$?' > env.out 2>&1
// RUN: FileCheck %s --check-prefix=ENV --implicit-check-not=SECRET < env.out
// RUN: %as_nobody env LSAN_OPTIONS=suppressions=/etc/shadow sh -c './prog; echo status=$?' > shadow.out 2>&1
// RUN: FileCheck %s --check-prefix=SHADOW --implicit-check-not=root: < shadow.out
// RUN: %as_nobody sh -c './prog_dflt; echo status=$?' > dflt.out 2>&1
// RUN: FileCheck %s --check-prefix=DFLT --implicit-check-not=SECRET < dflt.out
//
// RUN: env LEAKCC_OPTIONS=suppressions=secret.supp sh -c './prog; echo status=$?' > normal.out 2>&1
// RUN: FileCheck %s --check-prefix=NORMAL < normal.out
// RUN: %nobody_dir --remove %t.d
#include <stdlib.h>

#include "Inputs/scrub.h"

#ifdef DEFAULT_SUPPRESSIONS
const char *__lsan_default_options(void) { return "suppressions=secret.supp"; }
#endif

void *volatile sink;

int main(void) {
  sink = malloc(8);
  sink = NULL;
  scrub_stack();
  return 0;
}
// ENV: leakcc: warning: setuid/setgid program (AT_SECURE): ignoring suppressions (from LEAKCC_OPTIONS): the environment may not name files or programs here
// ENV: Direct leak of 8 byte(s)
// ENV: status=23

// SHADOW: ignoring suppressions (from LSAN_OPTIONS)
// SHADOW: Direct leak of 8 byte(s)
// SHADOW: status=23

// DFLT: leakcc: error: secret.supp:1: malformed suppression (the line is not shown in a setuid/setgid program; expected TYPE:PATTERN, e.g. leak:my_function)
// DFLT-NOT: Direct leak
// DFLT: status=1

// NORMAL: leakcc: error: secret.supp:1: malformed suppression: 'SECRET-c0ffee is root's only'
// NORMAL: status=1
