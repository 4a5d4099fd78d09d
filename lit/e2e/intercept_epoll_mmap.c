// Interceptors, epoll registrations and anonymous mmap regions
// (runtime/intercept.c): a block is live while epoll holds it as event data
// (until EPOLL_CTL_DEL or the close of the watched descriptor) and while a
// pointer to it lies in an anonymous mapping the program made (until
// munmap), including a reservation made with PROT_NONE whose page holding
// the pointer was committed later, and a region moved by mremap.
// Conservative scanning sees neither and reports every block.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefixes=CHECK,PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefixes=CHECK,CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefixes=CHECK,PRECISE
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "Inputs/scrub.h"

#define PAGE 4096

static int ep;

__attribute__((noinline)) static void watch(int fd, size_t size) {
  struct epoll_event ev = {.events = EPOLLIN};
  ev.data.ptr = malloc(size);
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
    abort();
  memset(&ev, 0, sizeof ev);
}

/* A 16-page region holding a new block of SIZE bytes in page 3. */
__attribute__((noinline)) static void **region(size_t size) {
  void **r = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (r == MAP_FAILED)
    abort();
  r[3 * PAGE / sizeof *r] = malloc(size);
  return r;
}

__attribute__((noinline)) static void reserve_and_commit(size_t size) {
  char *r = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                 0);
  if (r == MAP_FAILED || mprotect(r + 5 * PAGE, PAGE, PROT_READ | PROT_WRITE))
    abort();
  *(void **)(r + 5 * PAGE + 40) = malloc(size);
}

int main(void) {
  int a[2], b[2], c[2];
  ep = epoll_create1(0);
  if (ep < 0 || pipe(a) || pipe(b) || pipe(c))
    return 1;
  watch(a[0], 201); /* registered: live */
  watch(b[0], 202); /* deleted: leaked */
  epoll_ctl(ep, EPOLL_CTL_DEL, b[0], NULL);
  watch(c[0], 203); /* watched descriptor closed: leaked */
  close(c[0]);
  region(301);                    /* mapped: live */
  munmap(region(302), 16 * PAGE); /* unmapped: leaked */
  reserve_and_commit(303);        /* committed page: live */
  void **moved = mremap(region(304), 16 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
  if (moved == MAP_FAILED) /* moved (or grown in place): live */
    return 1;
  moved = NULL;
  scrub_stack();
  return 0;
}
// CHECK: ERROR: leakcc: detected memory leaks
// CHECK-DAG: Direct leak of 202 byte(s)
// CHECK-DAG: Direct leak of 203 byte(s)
// CHECK-DAG: Direct leak of 302 byte(s)
// CONS-DAG: Direct leak of 201 byte(s)
// CONS-DAG: Direct leak of 301 byte(s)
// CONS-DAG: Direct leak of 303 byte(s)
// CONS-DAG: Direct leak of 304 byte(s)
// PRECISE-NOT: leak of {{201|301|303|304}} byte(s)
// PRECISE: SUMMARY: leakcc: 707 byte(s) leaked in 3 allocation(s).
// CONS: SUMMARY: leakcc: 1816 byte(s) leaked in 7 allocation(s).
