// LIVE: 301 302 303
// LIB: plainlib.c
/* Instrumented code keeps hidden pointers (XOR with a key, a high tag, a
 * NaN box) in memory that precise marking scans conservatively because
 * code built without leakcc had a hand in it: a heap block that was passed
 * to such a function (lib_touch, which neither reads nor writes it; 301),
 * or a block that such code allocated (lib_alloc; 302).  The shadow records
 * each hidden pointer, but such blocks are scanned as raw words only, so
 * both live blocks are reported.  (Conservative marking and LSan report
 * them too.)  A global passed to such a function (303) is scanned as raw
 * words plus the encoded references its shadow records: that one works. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lib_touch(void *p);
void *lib_alloc(size_t n);

struct holder {
  uint64_t word[4];
};
struct holder *volatile h1, *volatile h2;
struct holder g;

__attribute__((noinline)) static void work(void) {
  struct holder *a = calloc(1, sizeof *a);
  lib_touch(a); /* the escape */
  a->word[1] = (uintptr_t)malloc(301) ^ 0xa5c3e1f00d15ea5eull;
  h1 = a;

  struct holder *b = lib_alloc(sizeof *b);
  b->word[1] = (uint64_t)5 << 56 | (uintptr_t)malloc(302);
  h2 = b;

  lib_touch(&g);
  g.word[1] = 0xfffc000000000000ull | (uintptr_t)malloc(303);
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%llx %llx %llx\n", (unsigned long long)h1->word[1], (unsigned long long)h2->word[1],
         (unsigned long long)g.word[1]);
  return 0;
}
