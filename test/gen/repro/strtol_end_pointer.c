// LIVE: 301
/* strtol/strtod/strtok_r write their end (or save) pointer into a stack slot
 * of the caller; the caller then stores that pointer into a global.  The
 * pointer points into a heap string, which is live (only reference). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *volatile keep;

__attribute__((noinline)) static void work(void) {
  char *s = malloc(301);
  strcpy(s, "  4711zz");
  char *end = 0;
  if (strtol(s, &end, 10) != 4711) abort();
  keep = end; /* the only reference: s + 6 */
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%s\n", keep);
  return 0;
}
