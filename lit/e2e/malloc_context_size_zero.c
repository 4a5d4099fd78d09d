// malloc_context_size=0 (a valid LSan value) records no frame, yet the
// blocks glibc's loader allocates for threads (the DTV of each thread's
// TLS, dynamic TLS blocks of a dlopened library) must still be recognised
// as the loader's and ignored: only the program's real leak is reported,
// with malloc_context_size=0 as with 1 and the default (issue 13).
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O0 -g -fno-omit-frame-pointer -shared -fPIC %S/Inputs/tls_lib.c -o %t.dir/libtls.so
// RUN: %leakcc -O0 %s -o %t -ldl -lpthread
// RUN: %env_leakcc_opts=malloc_context_size=0 not %run %t %t.dir/libtls.so 2>&1 | FileCheck %s --check-prefixes=CHECK,ZERO
// RUN: %env_leakcc_opts=malloc_context_size=1 not %run %t %t.dir/libtls.so 2>&1 | FileCheck %s --check-prefixes=CHECK,ONE
// RUN: not %run %t %t.dir/libtls.so 2>&1 | FileCheck %s --check-prefixes=CHECK,ONE
// RUN: %leakcc -O2 %s -o %t.o2 -ldl -lpthread
// RUN: %env_leakcc_opts=malloc_context_size=0 not %run %t.o2 %t.dir/libtls.so 2>&1 | FileCheck %s --check-prefixes=CHECK,ZERO
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

static char *(*tls_touch)(void);
void *volatile sink;

static void *worker(void *arg) {
  (void)arg;
  tls_touch();
  return malloc(32);
}

int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib || !(tls_touch = (char *(*)(void))dlsym(lib, "tls_touch"))) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  pthread_t t[8];
  for (int i = 0; i < 8; i++)
    if (pthread_create(&t[i], NULL, worker, NULL))
      return 1;
  for (int i = 0; i < 8; i++) {
    void *r;
    pthread_join(t[i], &r);
    free(r);
  }
  tls_touch();
  // CHECK-NOT: leak of
  // CHECK: Direct leak of 77 byte(s) in 1 object(s) allocated from:
  // ZERO-NEXT: #0 0x{{[0-9a-f]+}} in main {{.*}}malloc_context_size_zero.c:[[@LINE+3]]
  // ZERO-NEXT: {{^$}}
  // ONE-NEXT: #0 0x{{[0-9a-f]+}} in main {{.*}}malloc_context_size_zero.c:[[@LINE+1]]
  sink = malloc(77);
  sink = NULL;
  scrub_stack();
  return 0;
}
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 77 byte(s) leaked in 1 allocation(s).
