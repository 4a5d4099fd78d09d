// Sound precision (issue 9, mechanism 6), the other side: inline asm writes
// only what it is given to write.  A live 400-byte header reuses a freed
// chunk whose word 23 still holds the address of a 160-byte block that
// leaks (a stale, false pointer: free makes the chunk's old contents plain
// data).  Asm then touches the header twice: `"+r"` passes its address in a
// register (no memory operand, no "memory" clobber: by GCC's contract the
// asm writes no memory), and `movq` with an `"=m"` operand stores a 48-byte
// block's address into one field.  Only that field may hold a reference
// the pass did not see; the stale word stays plain data, so the 160-byte
// block is reported while the 48-byte one stays live.  Conservative marking
// takes the stale word for a reference and misses the leak (LSan's
// allocator happens to zero that word, so it is no witness here).
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct header {
  long id;
  char *field;      /* written by asm through an "=m" operand */
  char pad[400 - 16];
};

struct header *volatile live;

__attribute__((noinline)) static struct header *recycled(void *leak) {
  uint64_t *t = malloc(sizeof(struct header));
  t[23] = (uint64_t)(uintptr_t)leak;
  __asm__ volatile("" : : "r"(t) : "memory"); /* keep the store */
  uintptr_t old = (uintptr_t)t;
  free(t);
  struct header *h = malloc(sizeof(struct header));
  fprintf(stderr, "recycled %d\n", (uintptr_t)h == old);
  h->id = 1;
  return h;
}

__attribute__((noinline)) static void asm_touch(struct header *h, char *p) {
  __asm__ volatile("" : "+r"(h));
  __asm__ volatile("movq %1, %0" : "=m"(h->field) : "r"(p));
}

__attribute__((noinline)) static void build(void) {
  char *leak = malloc(160);
  memset(leak, 'L', 160);
  struct header *h = recycled(leak);
  char *kept = malloc(48);
  strcpy(kept, "kept by asm");
  asm_touch(h, kept);
  live = h;
}

int main(void) {
  build();
  fprintf(stderr, "%s\n", live->field);
  scrub_stack();
  return 0;
}
// PRECISE: recycled 1
// PRECISE: kept by asm
// PRECISE-NOT: leak of 48 byte
// PRECISE: Direct leak of 160 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 48 byte
// PRECISE: SUMMARY: leakcc: 160 byte(s) leaked in 1 allocation(s).

// CONS: recycled 1
// CONS: kept by asm
// CONS-NOT: leak of
