// LIVE: 400 401
// LEAKED: 203 204 205
// LIB: plainlib.c
/* Two leaked blocks leave a false pointer behind in a live block that was
 * passed to a function built without leakcc (lib_touch, which neither
 * reads nor writes it):
 *  - 203 bytes: its address survives as stale data in a freed chunk that
 *    the new 400-byte block reuses without overwriting that word (as
 *    idiom_19_stale_chunk.c);
 *  - 204 bytes: the 401-byte block holds an integer equal to its address,
 *    computed by a multiplication and a division (as idiom_20_mul_hash.c).
 *  - 205 bytes: the same integer in a global passed to such a function.
 * Precise marking ignores these words until the block or global escapes:
 * the escape makes it conservative for good, words written before it
 * included, so the three leaks are missed.  (Conservative marking and LSan
 * miss them too.)  Without the lib_touch calls all three are reported. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lib_touch(void *p);

void *volatile keep1, *volatile keep2;
volatile int recycled;
volatile uint64_t three = 3;
uint64_t g[4];

__attribute__((noinline)) static void work(void) {
  void *x = malloc(203);
  uint64_t *t = malloc(400);
  t[20] = (uintptr_t)x; /* a reference, then freed */
  __asm__ volatile("" : : "r"(t) : "memory");
  uintptr_t old = (uintptr_t)t;
  free(t);
  char *c = malloc(400); /* same chunk: word 20 still holds x */
  recycled = (uintptr_t)c == old;
  lib_touch(c); /* the escape */
  keep1 = c;

  uint64_t *d = calloc(1, 401);
  uint64_t k = three;
  d[3] = (uintptr_t)malloc(204) * k / k; /* equals the address, no provenance */
  lib_touch(d);
  keep2 = d;

  g[2] = (uintptr_t)malloc(205) * k / k;
  lib_touch(g);
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
