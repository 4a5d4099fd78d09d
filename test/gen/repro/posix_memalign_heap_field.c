// LIVE: 301 302
/* posix_memalign stores the new block's address straight into a field of a
 * heap block (301) or into a global (302); nothing else refers to it.  Both
 * new blocks are live. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct holder {
  long id;
  void *p;
};
struct holder *volatile root;
void *global;

__attribute__((noinline)) static void work(void) {
  struct holder *h = calloc(1, sizeof *h);
  if (posix_memalign(&h->p, 32, 301) || posix_memalign(&global, 32, 302))
    abort();
  root = h;
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%p %p\n", root->p, global);
  return 0;
}
