// LIVE: 301 302 303
/* A heap pointer kept in the upper 48 bits of a word by a bitfield store
 * (struct { uint64_t tag : 16; uint64_t ptr : 48; }: the word holds
 * p << 16 | tag), when the integer stored comes back from a call (a helper
 * that converts the pointer, as a static inline function is at -O0) and
 * the pointer is the storing function's argument.  The bitfield is in a
 * global union (301), a global struct (302), or reached through a pointer
 * argument (303).  All three blocks are live.  (The same stores with the
 * pointer in the low 48 bits are followed.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hi { uint64_t tag : 16; uint64_t ptr : 48; };
union slot { uint64_t w; struct hi bf; };
union slot u;
struct hi g, h;

__attribute__((noinline)) static uint64_t to_int(void *p) { return (uint64_t)(uintptr_t)p; }

__attribute__((noinline)) static void put_u(char *q) { u.bf.ptr = to_int(q); }
__attribute__((noinline)) static void put_g(char *q) { g.ptr = to_int(q); }
__attribute__((noinline)) static void put_p(struct hi *f, char *q) { f->ptr = to_int(q); }

__attribute__((noinline)) static void work(void) {
  put_u(malloc(301));
  put_g(malloc(302));
  put_p(&h, malloc(303));
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%llx %llx %llx\n", (unsigned long long)u.bf.ptr, (unsigned long long)g.ptr,
         (unsigned long long)h.ptr);
  return 0;
}
