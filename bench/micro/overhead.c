/*
 * Per-block memory overhead: the resident memory a heap costs beyond the
 * bytes the program asked for.
 *
 *   overhead SIZE N
 *
 * Allocates N blocks of SIZE bytes (SIZE >= 8), writes every byte, and keeps
 * them all live in a list linked through each block's first word (so no
 * side array adds to the figure).  Output, one line on stdout:
 *   size=SIZE blocks=N rss_per_block=B overhead_per_block=B-SIZE
 * where B is the growth of the resident set (/proc/self/statm) across the
 * allocations divided by N.  N should be large (1M) so that region and cache
 * granularity average out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "micro.h"

/* The only root of the list.  External linkage so the stores are kept. */
void *overhead_list;

static long resident_bytes(void) {
  long pages_total, pages_resident;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f || fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) {
    fprintf(stderr, "micro: cannot read /proc/self/statm\n");
    exit(1);
  }
  fclose(f);
  return pages_resident * sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: overhead SIZE N\n");
    return 2;
  }
  uint64_t size = micro_count(argv[1], "SIZE"), n = micro_count(argv[2], "N");
  if (size < sizeof(void *)) {
    fprintf(stderr, "micro: SIZE must be at least %zu\n", sizeof(void *));
    return 2;
  }
  long before = resident_bytes();
  for (uint64_t i = 0; i < n; i++) {
    void **p = malloc(size);
    if (!p) {
      fprintf(stderr, "micro: out of memory after %llu blocks\n", (unsigned long long)i);
      return 1;
    }
    memset(p, (int)i, size);
    *p = overhead_list;
    overhead_list = p;
  }
  double per_block = (double)(resident_bytes() - before) / (double)n;
  printf("size=%llu blocks=%llu rss_per_block=%.2f overhead_per_block=%.2f\n",
         (unsigned long long)size, (unsigned long long)n, per_block, per_block - (double)size);
  return 0;
}
