// LIVE: 301
// LIB: plainlib.c
/* A function built without leakcc (lib_set_via) is given a pointer to a
 * local that points to an instrumented heap block, and stores a heap
 * pointer into that block.  Only the local (a stack slot) and the stored
 * pointer are handed over, so the holder block does not escape: it stays
 * precisely scanned, and the pointer the library wrote there has no
 * shadow.  The 301-byte block is live; conservative marking and LSan keep
 * it.  (precision.md: escapes cover the block a pointer points into, not
 * the blocks reachable from it.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lib_set_via(void **ref, void *p);

void **volatile keep;

__attribute__((noinline)) static void work(void) {
  void **holder = calloc(4, sizeof(void *));
  void *ref = holder;
  lib_set_via(&ref, malloc(301));
  keep = holder;
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%p\n", keep[0]);
  return 0;
}
