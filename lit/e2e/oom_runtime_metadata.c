// Out of memory inside the runtime's own metadata (issue 13): when the
// address space is exhausted, a side-table entry (an XOR-encoded pointer)
// that cannot be recorded does not end the program (it used to: "cannot
// map ... for the side table", status 1).  The block it refers to is
// pinned (never reported: more conservative, never less), one warning says
// so, and the real leak is still reported.  The program exhausts its
// address space under ulimit -v with raw mmap calls (not intercepted),
// stores its encoded pointer, writes a pointer to a pipe, then gives the
// space back before exit.
// RUN: %leakcc -O0 %s -o %t
// RUN: not sh -c 'ulimit -v 1048576 && %run %t' 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not sh -c 'ulimit -v 1048576 && %run %t.O2' 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "Inputs/scrub.h"

#define MAX_HOGS 4096
static void *hog[MAX_HOGS];
static size_t hog_size[MAX_HOGS];
static int nhogs;

/* Maps PROT_NONE memory until the kernel refuses even one page. */
static void exhaust(void) {
  for (size_t size = (size_t)1 << 30; size >= 4096 && nhogs < MAX_HOGS;) {
    void *p = (void *)syscall(SYS_mmap, 0, size, PROT_NONE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      size /= 2;
      continue;
    }
    hog[nhogs] = p;
    hog_size[nhogs++] = size;
  }
}

static void release(void) {
  while (nhogs > 0) {
    nhogs--;
    syscall(SYS_munmap, hog[nhogs], hog_size[nhogs]);
  }
}

uintptr_t key = 0x5a5a5a5a5a5a5a5aull;
uintptr_t *volatile encoded;
void *volatile sink;

__attribute__((noinline)) static void store_encoded(void *p) {
  *encoded = (uintptr_t)p ^ key;
}

__attribute__((noinline)) static void *make(size_t size) {
  return malloc(size);
}

int main(void) {
  encoded = malloc(sizeof *encoded);
  void *kept = make(48);   /* referenced only by *encoded, XORed */
  int fds[2];
  if (pipe(fds))
    return 1;
  void *in_pipe = make(56); /* referenced only by the pipe's contents */
  exhaust();
  store_encoded(kept);
  if (write(fds[1], &in_pipe, sizeof in_pipe) != sizeof in_pipe)
    return 1;
  release();
  kept = in_pipe = NULL;
  sink = make(77);
  sink = NULL;
  scrub_stack();
  printf("done\n");
  return 0;
}
// CHECK: leakcc: warning: out of memory for the side table
// CHECK-NOT: warning
// CHECK: done
// CHECK-NOT: leak of 48
// CHECK-NOT: leak of 56
// CHECK: Direct leak of 77 byte(s) in 1 object(s) allocated from:
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 77 byte(s) leaked in 1 allocation(s).
