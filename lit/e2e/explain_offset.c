// Explain mode, self-relative offsets (issue 3, idiom 7; side table): a
// handle block keeps its target as `target - &field`, a difference of two
// pointers, computed by a helper.  Conservative marking reports the target.
// explain=1 names the kind (a pointer difference) and the holding block and
// offset.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

struct handle {
  long id;
  intptr_t rel; /* target - &rel */
};

struct handle *volatile handle;

__attribute__((noinline)) static intptr_t rel_to(const void *field,
                                                 const void *target) {
  return (intptr_t)target - (intptr_t)field;
}

__attribute__((noinline)) static void *deref(struct handle *h) {
  return (char *)&h->rel + h->rel;
}

__attribute__((noinline)) static void build(void) {
  struct handle *h = calloc(1, sizeof *h);
  void *target = malloc(123);
  h->rel = rel_to(&h->rel, target);
  handle = h;
  fprintf(stderr, "target %p handle %p\n", deref(h), (void *)h);
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: target [[TARGET:0x[0-9a-f]+]] handle [[HANDLE:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 1 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 123-byte block [[TARGET]] (allocated at {{.*}}explain_offset.c:35:{{[0-9]+}}) is live only in precise mode: it is referenced by a pointer difference (base- or self-relative offset) at offset 8 of 16-byte block [[HANDLE]] (allocated at {{.*}}explain_offset.c:34:{{[0-9]+}})
// CHECK-NOT: leakcc: explain
