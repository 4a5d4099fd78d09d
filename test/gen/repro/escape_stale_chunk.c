// LIVE: 400
// LEAKED: 203
// LIB: plainlib.c
/* A 203-byte block leaks; its address survives as stale data in a freed
 * chunk that a new 400-byte block then reuses without overwriting that word
 * (as idiom_19_stale_chunk.c).  Precise marking ignores the stale word...
 * until the new block is passed to a function built without leakcc
 * (lib_touch, which neither reads nor writes it): the escape makes the
 * whole block conservative for good, stale words included, so the leak is
 * missed.  (Conservative marking and LSan miss it too.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lib_touch(void *p);

void *volatile keep;
volatile int recycled;

__attribute__((noinline)) static void work(void) {
  void *x = malloc(203);
  uint64_t *t = malloc(400);
  t[20] = (uintptr_t)x;          /* a reference, then freed */
  __asm__ volatile("" : : "r"(t) : "memory");
  uintptr_t old = (uintptr_t)t;
  free(t);
  char *c = malloc(400);         /* same chunk: word 20 still holds x */
  recycled = (uintptr_t)c == old;
  lib_touch(c);                  /* the escape */
  keep = c;
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("recycled %d\n", recycled);
  return 0;
}
