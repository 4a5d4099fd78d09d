/* The library of the dlopen_loop stress case, built like the program (plain
 * clang or leakcc, -shared -fPIC).  It allocates in its constructor (freed
 * by its destructor), returns blocks its caller frees, keeps one block in a
 * global and one pointed to from thread-local storage (dynamic TLS, which
 * glibc allocates with malloc). */
#include <stdlib.h>
#include <string.h>

static void *from_ctor;
void *lib_kept;
static __thread void *tls_kept;
static __thread long tls_calls;

__attribute__((constructor)) static void lib_init(void) { from_ctor = malloc(77); }
__attribute__((destructor)) static void lib_fini(void) {
  free(from_ctor);
  from_ctor = NULL;
}

/* N blocks in a block: the caller frees them all. */
void **lib_make(int n) {
  void **v = malloc((size_t)n * sizeof *v);
  for (int i = 0; i < n; i++) {
    v[i] = malloc((size_t)(8 + i * 16));
    memset(v[i], i, 8);
  }
  tls_calls++;
  return v;
}

/* Overwrites: if the library was not unloaded, the old block is lost. */
void lib_keep(size_t n) { lib_kept = malloc(n); }

void lib_release(void) {
  free(lib_kept);
  lib_kept = NULL;
}

/* A block held only through this thread's TLS of the library, freed here. */
long lib_tls(void) {
  free(tls_kept);
  tls_kept = malloc(40);
  return tls_calls;
}

void lib_tls_release(void) {
  free(tls_kept);
  tls_kept = NULL;
}
