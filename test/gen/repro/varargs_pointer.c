// LIVE: 301
/* A variadic function takes a heap pointer with va_arg and stores it into a
 * global.  The 301-byte block is live. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *volatile keep;

__attribute__((noinline)) static void put(int n, ...) {
  va_list ap;
  va_start(ap, n);
  keep = va_arg(ap, void *);
  va_end(ap);
}

__attribute__((noinline)) static void work(void) { put(1, malloc(301)); }

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
