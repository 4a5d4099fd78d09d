// An instrumented library dlclosed before exit: the blocks only its globals
// held are reported (as LSan does), and the report does not crash on the
// allocation sites the pass placed in the now unmapped library; their frames
// print as unknown code, the program's frames stay symbolized.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %leakcc -O0 -shared -fPIC %S/Inputs/dlclose_lib.c -o %t.dir/libdlclose.so
// RUN: %leakcc -O0 %s -o %t -ldl
// RUN: not %run %t %t.dir/libdlclose.so 2>&1 | FileCheck %s
// With a suppression file (matching walks every site too):
// RUN: echo "leak:no_such_function" > %t.supp
// RUN: %env_leakcc_opts=suppressions=%t.supp not %run %t %t.dir/libdlclose.so 2>&1 | FileCheck %s
#include <dlfcn.h>
#include <stdio.h>

// CHECK: closed
// CHECK: Direct leak of 303 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 0x{{[0-9a-f]+}} (<unknown module>)
int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  void (*lib_store)(void) = (void (*)(void))dlsym(lib, "lib_store");
  if (!lib_store)
    return 1;
  // CHECK: Direct leak of 202 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 0x{{[0-9a-f]+}} (<unknown module>)
  // CHECK-NEXT: #1 0x{{[0-9a-f]+}} in main {{.*}}dlclose.c:[[@LINE+5]]
  // CHECK: Direct leak of 101 byte(s) in 1 object(s) allocated from:
  // CHECK-NEXT: #0 0x{{[0-9a-f]+}} (<unknown module>)
  // CHECK-NEXT: #1 0x{{[0-9a-f]+}} in main {{.*}}dlclose.c:[[@LINE+2]]
  // CHECK: SUMMARY: leakcc: 606 byte(s) leaked in 3 allocation(s).
  lib_store();
  if (dlclose(lib))
    return 1;
  fprintf(stderr, "closed\n");
  return 0;
}
