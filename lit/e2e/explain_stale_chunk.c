// Explain mode, false pointer in a heap block (issue 3, idiom 19): a leaked
// block's address survives as stale data in a recycled chunk.  explain=1
// names the leaked block, the holding block and offset of the stale word,
// and says that its shadow records no reference; the explanation is the
// same in both modes.  Off by default; "agree" when nothing differs.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t no-leak 2>&1 | FileCheck %s --check-prefix=AGREE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 not %run %t.O2 2>&1 | FileCheck %s
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

int main(int argc, char **argv) {
  if (argc == 1)
    make_stale();
  /* Same size class, this thread's cache is LIFO: the chunk just freed. */
  kept = malloc(sizeof(struct holder));
  scrub_stack();
  fprintf(stderr, "stale %p in %p\n", argc == 1 ? kept->ref : NULL,
          (void *)kept);
  return 0;
}
// CHECK: stale [[LEAK:0x[0-9a-f]+]] in [[HOLDER:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 0 live only in precise mode {{.*}}, 1 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 77-byte block [[LEAK]] (allocated at {{.*}}explain_stale_chunk.c:35:{{[0-9]+}}) is live only in conservative mode: its only reference is a false pointer at offset 8 of 32-byte block [[HOLDER]] (allocated at {{.*}}explain_stale_chunk.c:43:{{[0-9]+}}): the word holds [[LEAK]] but its shadow says it holds no reference (stale data, a hash or another integer)
// CHECK-NOT: leakcc: explain

// OFF-NOT: explain
// OFF: Direct leak of 77 byte(s)

// AGREE: leakcc: explain: conservative and precise marking agree on every block
// AGREE-NOT: leak
