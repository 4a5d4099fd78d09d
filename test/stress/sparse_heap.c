/* Stress case 9: a large, sparsely touched heap at the exit-time check.
 *
 * 1 GiB * SCALE of blocks from 64 KiB to 16 MiB, of which only a few words
 * each are written: a header at the start and, at a pseudo-random interior
 * offset, the pointer to the next block of one of 8 chains (the chains'
 * heads are globals).  Every 16th block is left out of its chain and
 * dropped, and so is a detached chain of 3 blocks (one direct leak, two
 * indirect).  The check must follow the interior links and report exactly
 * the dropped blocks, without touching the heap's untouched pages into
 * memory (the maximum resident size is printed on stderr). */
#include <stdint.h>
#include <sys/resource.h>

#include "stress.h"

#define CHAINS 8

struct head {
  uint64_t size;
  uint64_t link_at; /* offset of the link to the next block */
};

static struct head *chains[CHAINS];

static const size_t sizes[] = {64 << 10, 1 << 20, 256 << 10, 4 << 20, 16 << 20, 192 << 10,
                               2 << 20, 8 << 20};

static struct head *make(long i) {
  size_t size = sizes[i % 8];
  struct head *h = malloc(size);
  CHECK(h);
  h->size = size;
  uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull;
  h->link_at = (sizeof *h + (x >> 20) % (size - 2 * sizeof *h)) & ~(uint64_t)7;
  *(void **)((char *)h + h->link_at) = NULL;
  return h;
}

static void link_to(struct head *from, struct head *to) {
  *(void **)((char *)from + from->link_at) = to;
}

int main(int argc, char **argv) {
  size_t total = ((size_t)1 << 30) * (size_t)stress_scale(argc, argv), used = 0;
  long blocks = 0, leaked = 0, leaked_bytes = 0;
  struct head *last[CHAINS] = {0};
  for (long i = 0; used < total; i++) {
    struct head *h = make(i);
    used += h->size;
    blocks++;
    if (i % 16 == 5) {
      leaked++;
      leaked_bytes += (long)h->size;
      drop(h);
      continue;
    }
    int c = (int)(i % CHAINS);
    if (last[c])
      link_to(last[c], h);
    else
      chains[c] = h;
    last[c] = h;
  }
  struct head *a = make(1), *b = make(2), *c = make(3);
  link_to(a, b);
  link_to(b, c);
  leaked += 3;
  leaked_bytes += (long)(a->size + b->size + c->size);
  drop(a);
  a = b = c = NULL;
  memset(last, 0, sizeof last);
  long chained = 0;
  for (int k = 0; k < CHAINS; k++)
    for (struct head *h = chains[k]; h; h = *(struct head **)((char *)h + h->link_at))
      chained++;
  printf("%ld blocks, %zu MiB, %ld in chains\n", blocks + 3, (used >> 20), chained);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  fprintf(stderr, "max resident: %ld MiB\n", ru.ru_maxrss >> 10);
  expect_leaks(leaked, leaked_bytes);
  scrub_stack();
  return 0;
}
