// Under ulimit -v (RLIMIT_AS) the shadow and the heap cannot be reserved
// (issue 13, F12): the program still starts, malloc returns NULL with ENOMEM
// when the limit is reached and works again after frees, precise marking
// still runs (the shadow is mapped on demand), and the program's own SIGSEGV
// handling is what it would be without leakcc.  ulimit -d (RLIMIT_DATA)
// refuses the same reservations and is handled the same way.
// RUN: %leakcc -O0 -pthread %s -o %t
// RUN: %clang -O0 -pthread %s -o %t.plain
// RUN: sh -c 'ulimit -v 262144 && %run %t fill' 2>&1 | FileCheck %s --check-prefix=FILL
// RUN: sh -c 'ulimit -v 262144 && %t.plain fill' 2>&1 | FileCheck %s --check-prefix=FILL
// RUN: sh -c 'ulimit -d 262144 && %run %t fill' 2>&1 | FileCheck %s --check-prefix=FILL
// RUN: not sh -c 'ulimit -v 1048576 && %run %t leak' 2>&1 | FileCheck %s --check-prefix=LEAK
// RUN: sh -c 'ulimit -v 262144 && %run %t mmap' 2>&1 | FileCheck %s --check-prefix=MMAP
// RUN: sh -c 'ulimit -v 262144 && %t.plain mmap' 2>&1 | FileCheck %s --check-prefix=MMAP
// RUN: sh -c 'ulimit -v 1048576 && %run %t segv' 2>&1 | FileCheck %s --check-prefix=SEGV
// RUN: sh -c 'ulimit -v 1048576 && %t.plain segv' 2>&1 | FileCheck %s --check-prefix=SEGV
// RUN: sh -c 'ulimit -v 1048576 && %run %t crash; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: sh -c 'ulimit -v 1048576 && %t.plain crash; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: %env_leakcc_opts=verbosity=1 not sh -c 'ulimit -v 1048576 && %run %t threads' 2>&1 | FileCheck %s --check-prefix=THREADS
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

/* Allocates blocks of SIZE (touching one byte of each) until malloc
 * fails; the limit's half must fit, and everything works after freeing. */
static void fill(size_t size) {
  struct rlimit as, data;
  getrlimit(RLIMIT_AS, &as);
  getrlimit(RLIMIT_DATA, &data);
  size_t limit = as.rlim_cur < data.rlim_cur ? as.rlim_cur : data.rlim_cur;
  void *head = NULL;
  size_t n = 0;
  for (;; n++) {
    errno = 0;
    void **p = malloc(size);
    if (!p)
      break;
    *p = head;
    head = p;
  }
  int err = errno;
  printf("%zu-byte blocks: NULL (%s), %s\n", size,
         err == ENOMEM ? "ENOMEM" : strerror(err),
         n * size >= limit / 2 ? "at least half the limit" : "TOO FEW");
  while (head) {
    void *next = *(void **)head;
    free(head);
    head = next;
  }
  void *p = malloc(size);
  printf("after freeing: %s\n", p ? "memory" : "NULL");
  free(p);
}

/* Leaks reached only through a tagged pointer and an XOR-encoded one kept
 * in globals: precise marking (shadow MASK/SIDE) keeps them, and the
 * really leaked block is reported. */
uintptr_t tagged, xored;
__attribute__((noinline)) static void make_leaks(void) {
  tagged = (uintptr_t)malloc(24) | (0x5aull << 56);
  xored = (uintptr_t)malloc(32) ^ 0x1234567;
  sink = malloc(48);
  sink = NULL;
}

static sigjmp_buf env;
static volatile int caught;
static void on_segv(int sig, siginfo_t *si, void *ctx) {
  caught++;
  siglongjmp(env, 1);
}
static void on_segv_plain(int sig) {
  caught++;
  siglongjmp(env, 1);
}

static void segv(void) {
  /* A stack array and an mmap region the program writes: their shadow is
   * mapped on the first store. */
  char big[1 << 16];
  memset(big, 1, sizeof big);
  char *region = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < (8 << 20); i += 4096)
    ((char **)region)[i / 8] = region;
  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  struct sigaction now;
  sigaction(SIGSEGV, NULL, &now);
  printf("handler installed: %s\n",
         now.sa_sigaction == on_segv ? "yes" : "NO");
  for (int i = 0; i < 3; i++)
    if (!sigsetjmp(env, 1))
      *(volatile int *)(uintptr_t)(16 + i) = i; /* faults */
  if (!sigsetjmp(env, 1))
    raise(SIGSEGV);
  signal(SIGSEGV, on_segv_plain);
  if (!sigsetjmp(env, 1))
    *(volatile int *)8 = 1;
  printf("caught %d\n", caught);
  munmap(region, 8 << 20);
}

/* The largest anonymous mapping the limit allows, written at both ends:
 * its shadow is not mapped just to be cleared. */
static void big_mmap(void) {
  struct rlimit as;
  getrlimit(RLIMIT_AS, &as);
  size_t len = as.rlim_cur;
  char *p = MAP_FAILED;
  while (len >= (1 << 20) &&
         (p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
    len -= 1 << 20;
  if (p == MAP_FAILED) {
    printf("FAIL: no mapping\n");
    return;
  }
  p[0] = p[len - 1] = 1;
  *(char **)(p + len / 2) = p; /* shadow for the middle, on demand */
  printf("mapped %s of the limit\n",
         len >= as.rlim_cur / 2 ? "more than half" : "LESS than half");
  munmap(p, len);
}

static void *worker(void *arg) {
  /* Blocks every signal, SIGSEGV included, then writes memory whose
   * shadow is not mapped yet. */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  char buf[1 << 15];
  memset(buf, (int)(uintptr_t)arg, sizeof buf);
  void **list = NULL;
  for (int i = 0; i < 1000; i++) {
    void **p = malloc(100 + i);
    *p = list;
    list = p;
  }
  while (list) {
    void **next = *list;
    free(list);
    list = next;
  }
  sink = malloc(64); /* leaked, one per thread */
  return NULL;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "fill")) {
    fill(1 << 20);
    fill(100000);
  } else if (!strcmp(mode, "leak")) {
    make_leaks();
    scrub_stack();
  } else if (!strcmp(mode, "mmap")) {
    big_mmap();
  } else if (!strcmp(mode, "segv")) {
    segv();
  } else if (!strcmp(mode, "crash")) {
    printf("crashing\n");
    fflush(stdout);
    *(volatile int *)8 = 1;
  } else if (!strcmp(mode, "threads")) {
    pthread_t t[8];
    for (long i = 0; i < 8; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 8; i++)
      pthread_join(t[i], NULL);
    sink = NULL;
    scrub_stack();
  }
  return 0;
}
// FILL: 1048576-byte blocks: NULL (ENOMEM), at least half the limit
// FILL-NEXT: after freeing: memory
// FILL-NEXT: 100000-byte blocks: NULL (ENOMEM), at least half the limit
// FILL-NEXT: after freeing: memory

// LEAK-NOT: leak of 24 byte
// LEAK-NOT: leak of 32 byte
// LEAK: Direct leak of 48 byte(s) in 1 object(s) allocated from:
// LEAK-NEXT: #0 {{.*}} in make_leaks {{.*}}ulimit_v.c
// LEAK-NOT: leak of
// LEAK: SUMMARY: leakcc: 48 byte(s) leaked in 1 allocation(s).

// MMAP: mapped more than half of the limit

// SEGV: handler installed: yes
// SEGV-NEXT: caught 5

// CRASH: crashing
// CRASH-NOT: leakcc
// CRASH: status=139

// THREADS: leakcc: the shadow cannot be reserved
// THREADS: Direct leak of 512 byte(s) in 8 object(s) allocated from:
// THREADS: SUMMARY: leakcc: 512 byte(s) leaked in 8 allocation(s).
