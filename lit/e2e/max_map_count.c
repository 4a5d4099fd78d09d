// vm.max_map_count (issue 13, F3).  "blocks": more live large blocks than
// the default limit of 65530 mappings (each over 128 KiB, so each is a large
// block with its own extent) are all allocated and freed, as with glibc: the
// heap does not make one mapping per block.  "limit": the program itself
// uses up the mappings (mprotect of every other page of a reservation) until
// the kernel refuses; malloc then returns memory or NULL with ENOMEM, never
// kills the process, a leak check still works, and once the program gives
// its mappings back malloc works again.  The plain build is the reference
// for "limit"; for "blocks" it also prints what the test expects, but takes
// 9 s (one mmap per block), too long to run here.  The default limit is
// reached within the test's time, so vm.max_map_count is never changed.
// RUN: %leakcc -O0 %s -o %t
// RUN: %clang -O0 %s -o %t.plain
// RUN: %run %t blocks 2>&1 | FileCheck %s --check-prefix=BLOCKS
// RUN: not %run %t limit 2>&1 | FileCheck %s --check-prefixes=LIMIT,LEAKCC
// RUN: %t.plain limit 2>&1 | FileCheck %s --check-prefix=LIMIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "Inputs/scrub.h"

#define PAGE 4096
#define NBLOCKS 70000

void *volatile sink;
/* Defined by leakcc's runtime only. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Lines of /proc/self/maps. */
static int mappings(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  int n = 0, c;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

static int blocks(void) {
  char **v = malloc(NBLOCKS * sizeof *v);
  for (int i = 0; i < NBLOCKS; i++) {
    size_t size = (130 << 10) + i % 4096; /* 3 granules, various tails */
    v[i] = malloc(size);
    if (!v[i]) {
      printf("FAIL: block %d: NULL, errno %d\n", i, errno);
      return 1;
    }
    if (i % 64 == 0)
      v[i][size - 1] = 1;
  }
  int n = mappings();
  printf("%d blocks, %s mappings\n", NBLOCKS, n < 1000 ? "few" : "MANY");
  for (int i = 0; i < NBLOCKS; i++)
    free(v[i]);
  free(v);
  printf("freed\n");
  return 0;
}

__attribute__((noinline)) static void leak_before(void) {
  sink = malloc(40);
  sink = NULL;
}

static int limit(void) {
  leak_before();
  size_t npages = 1 << 17; /* twice the default limit */
  char *area = mmap(NULL, npages * PAGE, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  size_t i = 1;
  while (i < npages && mprotect(area + i * PAGE, PAGE, PROT_READ) == 0)
    i += 2;
  printf("mappings used up: %s\n", i < npages ? "yes" : "NO");
  static const size_t sizes[] = {24,     3000,      40000, 100000,
                                 200000, 1u << 20, 5u << 20, 77};
  void *keep[64];
  int bad = 0;
  for (int k = 0; k < 64; k++) {
    size_t size = sizes[k % 8] + k;
    errno = 0;
    keep[k] = malloc(size);
    if (keep[k])
      memset(keep[k], 1, size);
    else if (errno != ENOMEM)
      bad++;
  }
  printf("at the limit: %d bad results\n", bad);
  scrub_stack();
  if (__lsan_do_recoverable_leak_check) /* leakcc only */
    printf("check at the limit: %d\n", __lsan_do_recoverable_leak_check());
  for (int k = 0; k < 64; k++)
    free(keep[k]);
  munmap(area, npages * PAGE);
  for (int k = 0; k < 64; k++) {
    keep[k] = malloc(sizes[k % 8] + k);
    if (!keep[k])
      bad++;
  }
  for (int k = 0; k < 64; k++)
    free(keep[k]);
  printf("after the release: %d failures\n", bad);
  return 0;
}

int main(int argc, char **argv) {
  return argc > 1 && !strcmp(argv[1], "limit") ? limit() : blocks();
}
// BLOCKS-NOT: FAIL
// BLOCKS: 70000 blocks, few mappings
// BLOCKS: freed

// LIMIT: mappings used up: yes
// LIMIT: at the limit: 0 bad results
// LEAKCC: Direct leak of 40 byte(s) in 1 object(s) allocated from:
// LEAKCC: in leak_before
// LEAKCC: check at the limit: 1
// LIMIT: after the release: 0 failures
