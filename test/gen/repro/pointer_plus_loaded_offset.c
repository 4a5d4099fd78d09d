// LIVE: 301 302 303
/* A pointer plus an offset read from memory (plain data: here a field of a
 * config struct), encoded relative to another pointer: XORed with the
 * address of the word that holds it (301, in the storing function; 302,
 * with both pointers passed to a helper), or stored as a self-relative
 * offset (303).  The same encodings of the pointer alone, or of the pointer
 * plus a constant, are followed.  All three blocks are live. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config {
  uint64_t skip; /* 0 */
} *volatile config;
uint64_t w1, w2, w3;

__attribute__((noinline)) static void put_xor(uint64_t *w, char *p) {
  *w = ((uintptr_t)p + config->skip) ^ (uintptr_t)w;
}

__attribute__((noinline)) static void put_rel(uint64_t *w, char *p) {
  *w = ((uintptr_t)p + config->skip) - (uintptr_t)w;
}

__attribute__((noinline)) static void work(void) {
  config = calloc(1, sizeof *config);
  char *a = malloc(301);
  w1 = ((uintptr_t)a + config->skip) ^ (uintptr_t)&w1;
  put_xor(&w2, malloc(302));
  put_rel(&w3, malloc(303));
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%p %p %p\n", (void *)(w1 ^ (uintptr_t)&w1), (void *)(w2 ^ (uintptr_t)&w2),
         (void *)(w3 + (uintptr_t)&w3));
  return 0;
}
