/* Stress case 7: dlopen/dlclose loops of a small library that allocates
 * (dlopen_loop_lib.c, built like the program: instrumented under leakcc).
 *
 * 1000*SCALE rounds of dlopen, calls, dlclose, while a thread allocates.
 * Each round the library makes a block of 8 blocks that main frees
 * (blocks of the library freed by the program, some after dlclose), keeps
 * a block in its global, and keeps one through its thread-local storage,
 * which it frees before dlclose.  In every 4th round and the last main asks
 * it to free its global's block before dlclose; in the others that block
 * stays behind when the library is unloaded (or is overwritten next round
 * if it was not): those are the leaks. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "stress.h"

static atomic_int stop;

static void *noise(void *arg) {
  void *keep[32] = {0};
  for (unsigned i = 0; !atomic_load(&stop); i++) {
    free(keep[i % 32]);
    keep[i % 32] = malloc(16 + i % 1000);
  }
  for (int i = 0; i < 32; i++)
    free(keep[i]);
  return arg;
}

int main(int argc, char **argv) {
  long rounds = 1000 * stress_scale(argc, argv);
  const char *path = getenv("STRESS_LIB");
  CHECK(path);
  pthread_t t;
  CHECK(pthread_create(&t, NULL, noise, NULL) == 0);
  long leaked = 0, leaked_bytes = 0, tls_calls = 0;
  void **pending = NULL; /* freed after the next dlclose */
  for (long r = 0; r < rounds; r++) {
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      printf("dlopen: %s\n", dlerror());
      return 1;
    }
    void **(*make)(int) = (void **(*)(int))dlsym(lib, "lib_make");
    void (*keep)(size_t) = (void (*)(size_t))dlsym(lib, "lib_keep");
    void (*release)(void) = (void (*)(void))dlsym(lib, "lib_release");
    long (*tls)(void) = (long (*)(void))dlsym(lib, "lib_tls");
    void (*tls_release)(void) = (void (*)(void))dlsym(lib, "lib_tls_release");
    CHECK(make && keep && release && tls && tls_release);
    void **v = make(8);
    for (int i = 0; i < 4; i++)
      free(v[i]);
    size_t size = 50 + (size_t)(r % 7) * 10;
    keep(size);
    tls_calls += tls();
    tls_release();
    if (r % 4 == 0 || r == rounds - 1) {
      release();
    } else {
      leaked++;
      leaked_bytes += (long)size;
    }
    CHECK(dlclose(lib) == 0);
    if (pending) {
      for (int i = 4; i < 8; i++)
        free(pending[i]);
      free(pending);
    }
    pending = v;
  }
  for (int i = 4; i < 8; i++)
    free(pending[i]);
  free(pending);
  pending = NULL;
  atomic_store(&stop, 1);
  CHECK(pthread_join(t, NULL) == 0);
  printf("%ld rounds of dlopen and dlclose, TLS counter sum %ld\n", rounds, tls_calls);
  expect_leaks(leaked, leaked_bytes);
  scrub_stack();
  return 0;
}
