// Out of memory for the leak report itself (issue 13): a program that
// leaks 600000 blocks and ends holding all the address space ulimit -v
// allows.  The exit check used to die ("cannot map ... for leak report",
// status 1); now the blocks it cannot list are counted in the summary
// with one warning, and the status is still exitcode (23).
// RUN: %leakcc -O1 %s -o %t
// RUN: sh -c 'ulimit -v 1048576 && %run %t 600000; echo "status=$?"' 2>&1 | FileCheck %s
// RUN: sh -c 'ulimit -v 1048576 && %run %t 1000; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=FEW
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *hog[4096];
static int nhogs;

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  void **keep = malloc(n * sizeof *keep);
  for (long i = 0; i < n; i++)
    keep[i] = malloc(16);
  __asm__ volatile("" : : "r"(keep) : "memory");
  for (long i = 0; i < n; i++)
    keep[i] = NULL;
  __asm__ volatile("" : : "r"(keep) : "memory");
  /* Raw mmap calls (not intercepted) until not even a page is left; kept
   * until the process ends. */
  for (size_t size = (size_t)1 << 30; size >= 4096 && nhogs < 4096;) {
    void *p = (void *)syscall(SYS_mmap, 0, size, PROT_NONE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
      size /= 2;
    else
      hog[nhogs++] = p;
  }
  printf("address space exhausted\n");
  return 0;
}
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK: leakcc: warning: out of memory for the leak report: {{[0-9]+}} more leaked block(s)
// CHECK: SUMMARY: leakcc: {{[0-9]+}} byte(s) leaked in 600001 allocation(s).
// CHECK: status=23

// FEW: Direct leak of 16000 byte(s) in 1000 object(s) allocated from:
// FEW-NOT: out of memory
// FEW: SUMMARY: leakcc: {{[0-9]+}} byte(s) leaked in 1001 allocation(s).
// FEW: status=23
