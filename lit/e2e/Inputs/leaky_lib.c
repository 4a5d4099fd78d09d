/* An uninstrumented shared library (built with plain clang) for
 * uninstrumented_so.c and dlopen.c: its mallocs go to the leakcc runtime
 * without a pass site, its globals are roots, its heap blocks are scanned
 * conservatively. */
#include <stdlib.h>
#include <string.h>

void *lib_kept; /* a root in the library's .bss */

__attribute__((noinline)) void *lib_alloc(size_t n) {
  void *p = malloc(n);
  memset(p, 0, n);
  return p;
}

__attribute__((noinline)) void lib_leak(size_t n) {
  void *volatile p = lib_alloc(n);
  p = NULL;
}

/* A 16-byte holder whose first word points at an n-byte child. */
__attribute__((noinline)) void lib_leak_pair(size_t n) {
  void **holder = lib_alloc(16);
  holder[0] = lib_alloc(n);
}

void lib_keep(size_t n) { lib_kept = lib_alloc(n); }
