// exit(3) called from a nested function runs the check after the program's
// own atexit handlers: blocks still referenced from the live frames are not
// leaks, a block leaked by an atexit handler is; _exit skips the check and
// keeps the status.
// RUN: %leakcc -O0 %s -o %t
// RUN: sh -c '%run %t exit; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t _exit; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=RAW
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

static void leak_at_exit(void) {
  fprintf(stderr, "atexit handler ran\n");
  sink = malloc(48);
  sink = NULL;
}

__attribute__((noinline)) static void depth3(const char *how, void *held) {
  fprintf(stderr, "exiting with %p held\n", held);
  if (!strcmp(how, "_exit"))
    _exit(5);
  exit(5);
}
__attribute__((noinline)) static void depth2(const char *how) {
  void *volatile held = malloc(64); /* live in this frame during exit() */
  depth3(how, held);
}
__attribute__((noinline)) static void depth1(const char *how) {
  depth2(how);
}

int main(int argc, char **argv) {
  atexit(leak_at_exit);
  sink = malloc(32);
  sink = NULL;
  scrub_stack();
  depth1(argv[1]);
  return 0;
}
// CHECK: atexit handler ran
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK: Direct leak of 48 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in leak_at_exit {{.*}}exit_nested.c:19
// CHECK: Direct leak of 32 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in main {{.*}}exit_nested.c:39
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 80 byte(s) leaked in 2 allocation(s).
// CHECK: status=23

// RAW-NOT: leakcc
// RAW: status=5
