// The globals of a dlclosed instrumented library stop being precise roots:
// an uninstrumented library loaded afterwards (usually at the same
// addresses, so that its global lies where the closed library's did, whose
// shadow says "no reference") keeps a block in its global with a plain
// store, and mode=precise must scan it conservatively and not report that
// block.  The block the closed library held only as a hash is reported.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %leakcc -O0 -shared -fPIC %S/Inputs/precise_slot_lib.c -o %t.dir/libinstrumented.so
// RUN: %clang -O0 -shared -fPIC %S/Inputs/precise_slot_lib.c -o %t.dir/libplain.so
// RUN: %leakcc -O0 %s -o %t -ldl
// RUN: %env_leakcc_opts=mode=precise not %run %t %t.dir/libinstrumented.so %t.dir/libplain.so 2>&1 | FileCheck %s
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

typedef void keep_fn(size_t n, int hashed);
typedef const volatile void *slot_fn(void);

/* Opens path and calls its lib_keep(n, hashed); returns the handle. */
__attribute__((noinline)) static void *open_and_keep(const char *path,
                                                     size_t n, int hashed,
                                                     const volatile void **at) {
  void *lib = dlopen(path, RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    exit(1);
  }
  keep_fn *keep = (keep_fn *)dlsym(lib, "lib_keep");
  slot_fn *slot = (slot_fn *)dlsym(lib, "lib_slot");
  if (!keep || !slot)
    exit(1);
  keep(n, hashed);
  *at = slot();
  return lib;
}

int main(int argc, char **argv) {
  const volatile void *first, *second;
  void *lib = open_and_keep(argv[1], 10, 1, &first);
  if (dlclose(lib))
    return 1;
  open_and_keep(argv[2], 20, 0, &second);
  fprintf(stderr, "slot reused: %s\n", first == second ? "yes" : "no");
  first = second = NULL;
  scrub_stack();
  return 0;
}
// CHECK: slot reused:
// CHECK: Direct leak of 10 byte(s) in 1 object(s)
// CHECK-NOT: leak of
// CHECK: SUMMARY: leakcc: 10 byte(s) leaked in 1 allocation(s).
