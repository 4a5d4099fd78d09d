// LIVE: 301 302 303
/* strtol and strtod write their end pointer, strtok_r its save pointer,
 * into a stack slot of the instrumented caller, which then stores that
 * pointer into a global.  Each points into a heap string that nothing else
 * refers to: the 301-, 302- and 303-byte blocks are live. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *volatile keep1, *volatile keep2, *volatile keep3;

__attribute__((noinline)) static void work(void) {
  char *s = strcpy(malloc(301), "  4711zz");
  char *end = 0;
  if (strtol(s, &end, 10) != 4711)
    abort();
  keep1 = end; /* s + 6 */

  char *d = strcpy(malloc(302), "  2.5e3zz");
  char *dend = 0;
  if (strtod(d, &dend) != 2500.0)
    abort();
  keep2 = dend; /* d + 7 */

  char *t = strcpy(malloc(303), "ab cd ef");
  char *save = 0;
  if (!strtok_r(t, " ", &save))
    abort();
  keep3 = save; /* t + 3 */
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%s %s %s\n", keep1, keep2, keep3);
  return 0;
}
