// A setuid-root program run by user nobody (AT_SECURE) runs no symbolizer:
// not one first in PATH, not LEAKCC_SYMBOLIZER_PATH, not
// external_symbolizer_path from LEAKCC_OPTIONS (the last two are named in one
// warning line).  Frame 0 keeps the pass's file:line, the others are
// module+offset.  The same program without AT_SECURE (run by root, or a copy
// without the setuid bit run by nobody) still runs the symbolizer it is
// given and still symbolizes with the real one.
// REQUIRES: root, setpriv
// RUN: %leakcc -O0 %s -o %t
// RUN: %nobody_dir %t.d
// RUN: cd %t.d
// RUN: cp %t prog && chmod 4755 prog && cp %t plain && chmod 0755 plain
// RUN: mkdir bin && chmod 0777 bin
// RUN: cp %S/Inputs/fake_symbolizer.sh bin/llvm-symbolizer && chmod 0755 bin/llvm-symbolizer
//
// Setuid, a fake llvm-symbolizer first in PATH: not run, nothing to warn of.
// RUN: not %as_nobody sh -c 'PATH=$(pwd -P)/bin:/usr/bin:/bin exec ./prog' > path.out 2>&1
// RUN: not test -e bin/ran
// RUN: FileCheck %s --check-prefixes=CHECK,SECURE --implicit-check-not=warning < path.out
//
// Setuid, the fake named by the environment: ignored, one line says so.
// RUN: not %as_nobody sh -c 'f=$(pwd -P)/bin/llvm-symbolizer; LEAKCC_SYMBOLIZER_PATH=$f LEAKCC_OPTIONS=external_symbolizer_path=$f exec ./prog' > named.out 2>&1
// RUN: not test -e bin/ran
// RUN: FileCheck %s --check-prefixes=IGNORED,CHECK,SECURE < named.out
// RUN: grep -c warning named.out | FileCheck %s --check-prefix=ONE
//
// No AT_SECURE: PATH and both variables are honoured as before.
// RUN: not sh -c 'PATH=$(pwd -P)/bin:/usr/bin:/bin exec ./prog' > root.out 2>&1
// RUN: cat bin/ran | FileCheck %s --check-prefix=RAN-ROOT
// RUN: rm bin/ran
// RUN: not %as_nobody sh -c 'PATH=$(pwd -P)/bin:/usr/bin:/bin exec ./plain' > plain.out 2>&1
// RUN: cat bin/ran | FileCheck %s --check-prefix=RAN-NOBODY
// RUN: rm bin/ran
// RUN: not env LEAKCC_SYMBOLIZER_PATH=%t.d/bin/llvm-symbolizer ./prog > var.out 2>&1
// RUN: test -e bin/ran && rm bin/ran
// RUN: not env LEAKCC_OPTIONS=external_symbolizer_path=%t.d/bin/llvm-symbolizer ./prog > opt.out 2>&1
// RUN: test -e bin/ran && rm bin/ran
// RUN: FileCheck %s --check-prefix=FAKE < var.out
// And the real symbolizer (lit's PATH has LLVM's tools) names every frame.
// RUN: not ./prog 2>&1 | FileCheck %s --check-prefix=REAL
// RUN: %nobody_dir --remove %t.d
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(void) {
  sink = malloc(21);
  sink = NULL;
}

int main(void) {
  leak();
  scrub_stack();
  return 0;
}
// IGNORED: leakcc: warning: setuid/setgid program (AT_SECURE): ignoring external_symbolizer_path (from LEAKCC_OPTIONS), LEAKCC_SYMBOLIZER_PATH: the environment may not name files or programs here
// ONE: {{^1$}}

// CHECK: Direct leak of 21 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 0x{{[0-9a-f]+}} in leak {{.*}}secure_symbolizer.c:49:10
// SECURE-NEXT: #1 0x{{[0-9a-f]+}}  ({{.*}}/prog+0x{{[0-9a-f]+}})

// RAN-ROOT: uid=0(root)
// RAN-NOBODY: uid=65534(nobody)
// FAKE: warning: llvm-symbolizer failed

// REAL: Direct leak of 21 byte(s) in 1 object(s) allocated from:
// REAL-NEXT: #0 0x{{[0-9a-f]+}} in leak {{.*}}secure_symbolizer.c:49:10
// REAL-NEXT: #1 0x{{[0-9a-f]+}} in main {{.*}}secure_symbolizer.c:54:3
