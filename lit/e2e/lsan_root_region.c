// __lsan_register_root_region makes a memory range a root until it is
// unregistered; use_root_regions=0 ignores registered regions; unregistering a
// region that was never registered is an error naming the region.
// The runs that expect a leak use mode=conservative: precise mode may track
// pointers stored by instrumented code into mmap'd memory on its own
// (design.md section 6), which would make those runs prove nothing.
// RUN: %leakcc -O0 %s -o %t
// RUN: %run %t 2>&1 | FileCheck %s --check-prefix=ROOT
// RUN: %env_leakcc_opts=mode=conservative %run %t 2>&1 | FileCheck %s --check-prefix=ROOT
// RUN: %env_leakcc_opts=mode=conservative not %run %t unregister 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:use_root_regions=0 not %run %t 2>&1 | FileCheck %s
// RUN: sh -c '%run %t bogus; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=BOGUS
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  size_t size = (size_t)getpagesize() * 2;
  void *region = mmap(0, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED)
    abort();
  if (argc > 1 && !strcmp(argv[1], "bogus")) {
    fprintf(stderr, "Region: %p.\n", region);
    __lsan_unregister_root_region(region, size);
    return 0;
  }
  __lsan_register_root_region(region, size);
  ((void **)region)[100] = malloc(1337);
  fprintf(stderr, "Test alloc: %p.\n", ((void **)region)[100]);
  if (argc > 1)
    __lsan_unregister_root_region(region, size);
  return 0;
}
// ROOT: Test alloc: 0x
// ROOT-NOT: leakcc

// CHECK: Direct leak of 1337 byte(s) in 1 object(s) allocated from:
// CHECK-NEXT: #0 {{.*}} in main {{.*}}lsan_root_region.c:32

// BOGUS: Region: [[REGION:0x[0-9a-f]+]].
// BOGUS: leakcc{{.*}}{{[Ee][Rr][Rr][Oo][Rr]}}{{.*}}[[REGION]]{{.*}}not{{.*}}registered
