// LIVE: 301 302 303
/* A heap pointer stored as one lane of a vector of two uint64_t
 * (__attribute__((vector_size(16)))) into a global, the lane's value
 * coming back from a call (a helper that converts the pointer, as a static
 * inline function is at -O0): lane 1 (301), lane 0 (302), or the vector
 * stored through a pointer argument (303).  All three blocks are live. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t v2 __attribute__((vector_size(16)));
v2 a, b, c;

__attribute__((noinline)) static uint64_t to_int(void *p) { return (uint64_t)(uintptr_t)p; }

__attribute__((noinline)) static void put_a(char *q) {
  v2 v = {0, to_int(q)};
  a = v;
}
__attribute__((noinline)) static void put_b(char *q) {
  v2 v = {to_int(q), 0x1234};
  b = v;
}
__attribute__((noinline)) static void put_p(v2 *d, char *q) {
  v2 v = {0, to_int(q)};
  *d = v;
}

__attribute__((noinline)) static void work(void) {
  put_a(malloc(301));
  put_b(malloc(302));
  put_p(&c, malloc(303));
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%llx %llx %llx\n", (unsigned long long)a[1], (unsigned long long)b[0],
         (unsigned long long)c[1]);
  return 0;
}
