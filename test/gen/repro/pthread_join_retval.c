// LIVE: 301
/* pthread_join writes the thread's return value (a heap pointer) into a
 * stack slot of its instrumented caller, which stores it into a global.
 * The 301-byte block is live. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *volatile keep;

static void *thread(void *arg) { return arg; }

__attribute__((noinline)) static void work(void) {
  pthread_t t;
  void *r = 0;
  if (pthread_create(&t, 0, thread, malloc(301)))
    abort();
  pthread_join(t, &r);
  keep = r;
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%p\n", keep);
  return 0;
}
