// LIVE: 301
// LIB: plainlib.c
/* A function built without leakcc (plainlib.c) writes a heap pointer into
 * an out-parameter that is a stack slot of its instrumented caller; the
 * caller then stores the pointer into a global.  The 301-byte block is
 * live (the global is its only reference). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lib_out(void *in, void **out);

void *volatile keep;

__attribute__((noinline)) static void work(void) {
  void *o = 0;
  lib_out(malloc(301), &o);
  keep = o;
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
