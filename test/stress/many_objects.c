/* Stress case 8: many live objects at the exit-time check.
 *
 * 2 million * SCALE blocks of 16 to 40 bytes stay live until exit: half in a
 * pointer array, half in 4096 linked lists.  Every 2000th array slot is
 * dropped (a direct leak each), and every 40th list is cut after its 5th
 * node (its tail: one direct leak and the rest indirect).  The check must
 * mark everything else and report exactly the dropped blocks. */
#include <stdint.h>

#include "stress.h"

#define LISTS 4096

struct node {
  struct node *next;
  uint64_t size;
  char rest[];
};

static void **slots;
static struct node *lists[LISTS];

static size_t size_of(long i) { return 16 + (size_t)(i % 4) * 8; }

int main(int argc, char **argv) {
  long n = 2000000 * stress_scale(argc, argv);
  long half = n / 2, leaked = 0, leaked_bytes = 0;
  slots = malloc((size_t)half * sizeof *slots);
  CHECK(slots);
  for (long i = 0; i < half; i++) {
    slots[i] = malloc(size_of(i));
    CHECK(slots[i]);
    memset(slots[i], (int)i, 8);
  }
  for (long i = 0; i < n - half; i++) {
    struct node *p = malloc(size_of(i + 1));
    CHECK(p);
    p->size = size_of(i + 1);
    p->next = lists[i % LISTS];
    lists[i % LISTS] = p;
  }
  for (long i = 1; i < half; i += 2000) {
    drop(slots[i]);
    slots[i] = NULL;
    leaked++;
    leaked_bytes += (long)size_of(i);
  }
  for (int k = 3; k < LISTS; k += 40) {
    struct node *p = lists[k];
    for (int j = 1; j < 5 && p; j++)
      p = p->next;
    if (!p || !p->next)
      continue;
    struct node *tail = p->next;
    p->next = NULL;
    for (struct node *q = tail; q; q = q->next) {
      leaked++;
      leaked_bytes += (long)q->size;
    }
    drop(tail);
  }
  printf("%ld live objects at exit\n", n - leaked);
  expect_leaks(leaked, leaked_bytes);
  scrub_stack();
  return 0;
}
