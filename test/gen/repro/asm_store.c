// LIVE: 301
/* An inline asm movq stores a heap pointer into a global.  The 301-byte
 * block is live. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t keep;

__attribute__((noinline)) static void work(void) {
  void *p = malloc(301);
  __asm__ volatile("movq %1, %0" : "=m"(keep) : "r"((uint64_t)(uintptr_t)p));
}

__attribute__((noinline)) static void scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void) {
  work();
  scrub();
  printf("%llx\n", (unsigned long long)keep);
  return 0;
}
