// LIVE: 301 302 303
/* A pointer one byte below its block (p - 1), passed as an argument to a
 * function that encodes it: XOR with a constant key (301), XOR with a key
 * read from memory and a rotation, PTR_MANGLE style (302), or an offset
 * from a global (303).  The same encodings done where p - 1 is computed,
 * or of an interior or one-past-the-end pointer passed the same way, are
 * followed.  All three blocks are live. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile uint64_t key = 0xa5c3e1f00d15ea5eull;
uint64_t w1, w2, w3;

__attribute__((noinline)) static uint64_t xor_key(char *q) {
  return (uintptr_t)q ^ 0xa5c3e1f00d15ea5eull;
}
__attribute__((noinline)) static uint64_t mangle(char *q) {
  uint64_t v = (uintptr_t)q ^ key;
  return v << 11 | v >> 53;
}
__attribute__((noinline)) static uint64_t offset(char *q) {
  return (uintptr_t)q - (uintptr_t)&w3;
}

__attribute__((noinline)) static void work(void) {
  char *a = malloc(301), *b = malloc(302), *c = malloc(303);
  w1 = xor_key(a - 1);
  w2 = mangle(b - 1);
  w3 = offset(c - 1);
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%llx %llx %llx\n", (unsigned long long)w1, (unsigned long long)w2,
         (unsigned long long)w3);
  return 0;
}
