// Suppressions are read to end of file, not by the size stat reports: a pipe
// (suppressions=/dev/stdin, process substitution) and /dev/null work as with
// LSan; a binary file is a clear error whose line is shown escaped and
// shortened, never raw bytes.
// RUN: %leakcc -O0 %s -o %t
// RUN: echo "leak:leak_me" | env LEAKCC_OPTIONS=suppressions=/dev/stdin %run %t 2>&1 | FileCheck %s --check-prefix=PIPE
// RUN: %env_leakcc_opts=suppressions=/dev/null not %run %t 2>&1 | FileCheck %s --check-prefix=NULL
// RUN: printf 'leak:x\n\001\002\377junk%%0200d\n' 0 > %t.bin
// RUN: %env_leakcc_opts=suppressions=%t.bin sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=BINARY
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
// PIPE: Suppressions used:
// PIPE: 1 8 leak_me
// PIPE-NOT: SUMMARY

// NULL: Direct leak of 8 byte(s) in 1 object(s) allocated from:
// NULL-NOT: error

// BINARY: leakcc: error: {{.*}}.bin:2: malformed suppression: '\x01\x02\xffjunk0000000000{{0+}}...' (expected TYPE:PATTERN
// BINARY-NOT: leak of
// BINARY: status=1
