// Freeing an address the allocator did not return (an interior pointer of a
// heap block, a stack address, a global, a foreign mapping) is reported as
// "attempting free on address which was not malloc()-ed" with the address and
// the freeing stack, and the program stops with a non-zero status.
// RUN: %leakcc -O0 -Wno-free-nonheap-object %s -o %t
// RUN: not %run %t interior 2>&1 | FileCheck %s --check-prefixes=CHECK,INTERIOR
// RUN: not %run %t stack 2>&1 | FileCheck %s
// RUN: not %run %t global 2>&1 | FileCheck %s
// RUN: not %run %t mmap 2>&1 | FileCheck %s
// RUN: %leakcc -O2 -Wno-free-nonheap-object %s -o %t.O2
// RUN: not %run %t.O2 interior 2>&1 | FileCheck %s
// RUN: not %run %t.O2 stack 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *volatile sink;
char global_buf[64];

__attribute__((noinline)) static void release(void *p) {
  fprintf(stderr, "Freeing: %p.\n", p);
  // CHECK: Freeing: [[ADDR:0x[0-9a-f]+]].
  // CHECK: ERROR: leakcc: attempting free on address which was not malloc()-ed{{.*}}[[ADDR]]
  // CHECK: #{{[0-9]+}} 0x{{[0-9a-f]+}} in release {{.*}}invalid_free.c:[[@LINE+1]]
  free(p);
  fprintf(stderr, "survived\n");
}
// CHECK-NOT: survived

int main(int argc, char **argv) {
  char stack_buf[32];
  sink = stack_buf;
  if (!strcmp(argv[1], "interior")) {
    char *p = malloc(64);
    sink = p;
    // INTERIOR: #{{[0-9]+}} 0x{{[0-9a-f]+}} in main {{.*}}invalid_free.c:[[@LINE+1]]
    release(p + 16);
  } else if (!strcmp(argv[1], "stack")) {
    release(stack_buf);
  } else if (!strcmp(argv[1], "global")) {
    release(global_buf + 8);
  } else {
    void *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    release((char *)m + 16);
  }
  return 0;
}
