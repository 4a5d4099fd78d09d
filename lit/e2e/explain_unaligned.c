// Explain mode, an unaligned pointer (issue 3, idiom 10; side table): a
// #pragma pack(1) record keeps its target's pointer at offset 1.
// Conservative marking reads aligned words only and reports the target.
// explain=1 names the kind (unaligned) and the holding block and offset.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#pragma pack(push, 1)
struct packed {
  char kind;
  void *target; /* offset 1 */
  char pad[7];
};
#pragma pack(pop)

struct packed *volatile packed;

__attribute__((noinline)) static void set_target(struct packed *r, void *p) {
  r->target = p;
}

__attribute__((noinline)) static void build(void) {
  struct packed *r = calloc(1, sizeof *r);
  r->kind = 'x';
  set_target(r, malloc(55));
  packed = r;
  fprintf(stderr, "target %p record %p\n", r->target, (void *)r);
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: target [[TARGET:0x[0-9a-f]+]] record [[RECORD:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 1 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 55-byte block [[TARGET]] (allocated at {{.*}}explain_unaligned.c:32:{{[0-9]+}}) is live only in precise mode: it is referenced by an unaligned pointer at offset 1 of 16-byte block [[RECORD]] (allocated at {{.*}}explain_unaligned.c:30:{{[0-9]+}})
// CHECK-NOT: leakcc: explain
