// Requests the kernel's overcommit policy refuses (issue 13): malloc(1 TiB)
// and requests larger than RAM + swap fail exactly as with glibc, NULL with
// errno ENOMEM (in overcommit mode 0 the kernel refuses a single commit
// larger than RAM + swap; mode 1 grants everything, mode 2 checks
// CommitLimit), because the heap's memory is committed with the commit
// charge the kernel checks, not MAP_NORESERVE.  calloc, realloc (which keeps
// the old block) and aligned_alloc too.  The plain build is the reference.
// With allocator_may_return_null=0 a refused request is reported as LSan
// does and the process exits with status 1.
// RUN: %leakcc -O0 %s -o %t
// RUN: %clang -O0 %s -o %t.plain
// RUN: %run %t > %t.out 2>&1
// RUN: %t.plain > %t.plain.out 2>&1
// RUN: diff %t.plain.out %t.out
// RUN: FileCheck %s --check-prefix=OUT < %t.out
// RUN: %if overcommit-limited %{ %env_leakcc_opts=allocator_may_return_null=0 not %run %t 2>&1 | FileCheck %s --check-prefix=DIE %}
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

static void show(const char *what, void *p, int err) {
  if (p)
    printf("%s: memory\n", what);
  else
    printf("%s: NULL, %s\n", what, err == ENOMEM ? "ENOMEM" : strerror(err));
}

#define TRY(what, call)                                                        \
  do {                                                                         \
    errno = 0;                                                                 \
    void *p_ = (call);                                                         \
    show(what, p_, errno);                                                     \
    free(p_);                                                                  \
  } while (0)

int main(void) {
  struct sysinfo si;
  sysinfo(&si);
  size_t ram_swap = ((size_t)si.totalram + si.totalswap) * si.mem_unit;
  size_t over = ram_swap + (1ull << 30); /* RAM + swap + 1 GiB */
  TRY("malloc(1 TiB)", malloc(1ull << 40));
  TRY("malloc(RAM + swap + 1 GiB)", malloc(over));
  TRY("calloc(RAM + swap + 1 GiB)", calloc(over >> 20, 1 << 20));
  TRY("aligned_alloc(1 MiB, RAM + swap + 1 GiB)", aligned_alloc(1 << 20, over));
  char *old = malloc(100);
  strcpy(old, "kept");
  errno = 0;
  char *grown = realloc(old, over);
  show("realloc(RAM + swap + 1 GiB)", grown, errno);
  if (!grown)
    printf("old block: %s\n", old);
  free(grown ? grown : old);
  /* Small and moderate requests still work after the refusals. */
  TRY("malloc(1 MiB)", malloc(1 << 20));
  return 0;
}
// OUT: malloc(1 TiB):
// OUT: malloc(1 MiB): memory

// DIE: ==ERROR: leakcc: out of memory: allocator is trying to allocate 0x10000000000 bytes
// DIE: #0 {{.*}} in main {{.*}}overcommit.c
// DIE: SUMMARY: leakcc: out-of-memory
