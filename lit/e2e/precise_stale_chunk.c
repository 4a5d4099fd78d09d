// False pointer (issue 3, idiom 19): the only trace of a leaked block is its
// address left as stale data in a recycled, never-written chunk.  The
// conservative marker takes the stale word for a reference and misses the
// leak; mode=precise scans the recycled block (allocated by instrumented
// code) only at words whose shadow records a pointer store, and the free
// cleared the shadow of the old chunk, so it reports the leak.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

/* Word 0 of a free chunk holds the allocator's free-list link: the pointer
 * sits at word 1 so that it survives the free. */
struct holder {
  long id;
  void *ref;
  long pad[2];
};

struct holder *volatile kept;

__attribute__((noinline)) static void fill(struct holder *h, void *p) {
  h->id = 1;
  h->ref = p;
}

__attribute__((noinline)) static void make_stale(void) {
  struct holder *h = malloc(sizeof *h);
  fill(h, malloc(77));
  free(h);
}

int main(void) {
  make_stale();
  /* Same size class, this thread's cache is LIFO: the chunk just freed. */
  kept = malloc(sizeof(struct holder));
  scrub_stack();
  fprintf(stderr, "stale word %s\n", kept->ref ? "present" : "gone");
  return 0;
}
// PRECISE: stale word present
// PRECISE: Direct leak of 77 byte(s) in 1 object(s)
// PRECISE: SUMMARY: leakcc: 77 byte(s) leaked in 1 allocation(s).
// CONS: stale word present
// CONS-NOT: leak
