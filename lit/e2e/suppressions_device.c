// Suppressions from devices and FIFOs never hang the program nor eat its
// memory (issue 13, F9): the file is opened with O_NONBLOCK, read up to
// 16 MiB, and a file that is not regular is waited for 10 s at most each
// time it has nothing to read.  Each failure is one error naming the file
// and the problem, and exit status 1.  `timeout` keeps a regression from
// hanging the suite.
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -f %t.fifo %t.big && mkfifo %t.fifo
// RUN: %env_leakcc_opts=suppressions=/dev/zero timeout 60 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: %env_leakcc_opts=suppressions=/dev/urandom timeout 60 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=URANDOM
// RUN: truncate -s 17M %t.big
// RUN: %env_leakcc_opts=suppressions=%t.big timeout 60 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=BIG -DFILE=%t.big
// A FIFO nobody opens for writing: 10 s, then the error.
// RUN: %env_leakcc_opts=suppressions=%t.fifo timeout 60 sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=FIFO -DFILE=%t.fifo
// A FIFO with a writer still works, as with LSan.
// RUN: %env_leakcc_opts=suppressions=%t.fifo timeout 60 sh -c '(echo leak:leak_me > %t.fifo &) ; %run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=WRITER
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak_me(void) {
  sink = malloc(8);
  sink = NULL;
}

int main(void) {
  leak_me();
  scrub_stack();
  return 0;
}
// ZERO: leakcc: error: suppressions file '/dev/zero' could not be read: it is larger than 16 MiB, the limit for a suppressions file
// ZERO-NOT: leak of
// ZERO: status=1

// URANDOM: leakcc: error: suppressions file '/dev/urandom' could not be read: it is larger than 16 MiB
// URANDOM-NOT: leak of
// URANDOM: status=1

// BIG: leakcc: error: suppressions file '[[FILE]]' could not be read: it is larger than 16 MiB
// BIG: status=1

// FIFO: leakcc: error: suppressions file '[[FILE]]' could not be read: nothing to read for 10 seconds (a FIFO with no writer, or a terminal?)
// FIFO-NOT: leak of
// FIFO: status=1

// WRITER: Suppressions used:
// WRITER: 1 8 leak_me
// WRITER-NOT: SUMMARY
// WRITER: status=0
