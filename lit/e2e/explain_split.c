// Explain mode, a pointer split into two 32-bit halves (issue 3, idiom 11;
// side table): a record keeps the low and high halves of its target's
// address in two fields that no aligned word joins.  Conservative marking
// reports the target.  explain=1 names the kind (part of a pointer) and the
// holding block and offset of a half.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

/* No aligned word joins the halves, and neither word looks like a heap
 * address (the high half sits in the low bits of its word). */
struct record {
  uint32_t lo; /* offset 0 */
  uint32_t id;
  uint32_t hi; /* offset 8 */
  uint32_t pad;
};

struct record *volatile record;

__attribute__((noinline)) static void store_split(struct record *r, void *p) {
  r->lo = (uint32_t)(uintptr_t)p;
  r->hi = (uint32_t)((uintptr_t)p >> 32);
}

__attribute__((noinline)) static void *joined(const struct record *r) {
  return (void *)((uintptr_t)r->hi << 32 | r->lo);
}

__attribute__((noinline)) static void build(void) {
  struct record *r = calloc(1, sizeof *r);
  store_split(r, malloc(77));
  r->id = 7;
  record = r;
  fprintf(stderr, "target %p record %p\n", joined(r), (void *)r);
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: target [[TARGET:0x[0-9a-f]+]] record [[RECORD:0x[0-9a-f]+]]
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 1 block(s): 1 live only in precise mode {{.*}}, 0 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 77-byte block [[TARGET]] (allocated at {{.*}}explain_split.c:39:{{[0-9]+}}) is live only in precise mode: it is referenced by a part of a pointer (split or truncated) at offset {{0|8}} of 16-byte block [[RECORD]] (allocated at {{.*}}explain_split.c:38:{{[0-9]+}})
// CHECK-NOT: leakcc: explain
