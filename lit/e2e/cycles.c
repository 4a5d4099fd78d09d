// Leaked cycles: a ring that nothing else reaches is reported with exactly one
// direct member, the rest indirect (which member is direct:
// cycle_direct_member.c); a self-loop is a direct leak; a chain leading into a
// ring makes only the chain head direct.
// RUN: %leakcc -O0 %s -o %t
// RUN: not %run %t self 2>&1 | FileCheck %s --check-prefix=SELF
// RUN: not %run %t 2 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not %run %t 3 2>&1 | FileCheck %s --check-prefix=THREE
// RUN: not %run %t chain 2>&1 | FileCheck %s --check-prefix=CHAIN
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 3 2>&1 | FileCheck %s --check-prefix=THREE
// RUN: not %run %t.O2 chain 2>&1 | FileCheck %s --check-prefix=CHAIN
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct node {
  struct node *next;
};

void *volatile sink;

/* Allocates n nodes of the given sizes (all from one site), links them in a
 * list and points the last one back at nodes[loop_to]. */
__attribute__((noinline)) static void leak_ring(const size_t *sizes, int n,
                                                int loop_to) {
  struct node *nodes[4];
  for (int i = 0; i < n; i++) {
    nodes[i] = malloc(sizes[i]);
    memset(nodes[i], 0, sizes[i]);
    sink = nodes[i];
  }
  for (int i = 0; i + 1 < n; i++)
    nodes[i]->next = nodes[i + 1];
  nodes[n - 1]->next = nodes[loop_to];
  sink = 0;
}

int main(int argc, char **argv) {
  static const size_t self[] = {48}, two[] = {48, 32}, three[] = {48, 32, 32},
                      chain[] = {64, 48, 32};
  if (!strcmp(argv[1], "self"))
    leak_ring(self, 1, 0);
  else if (!strcmp(argv[1], "2"))
    leak_ring(two, 2, 0);
  else if (!strcmp(argv[1], "3"))
    leak_ring(three, 3, 0);
  else
    leak_ring(chain, 3, 1); /* 64 -> 48 -> 32 -> 48 */
  scrub_stack();
  return 0;
}
// SELF: Direct leak of 48 byte(s) in 1 object(s) allocated from:
// SELF-NEXT: #0 {{.*}} in leak_ring {{.*}}cycles.c:30
// SELF-NOT: leak of
// SELF: SUMMARY: leakcc: 48 byte(s) leaked in 1 allocation(s).

// TWO: Direct leak of {{48|32}} byte(s) in 1 object(s) allocated from:
// TWO-NOT: Direct leak
// TWO: Indirect leak of {{32|48}} byte(s) in 1 object(s) allocated from:
// TWO-NOT: leak of
// TWO: SUMMARY: leakcc: 80 byte(s) leaked in 2 allocation(s).

// THREE: Direct leak of {{48|32}} byte(s) in 1 object(s) allocated from:
// THREE-NOT: Direct leak
// THREE: Indirect leak of {{64|80}} byte(s) in 2 object(s) allocated from:
// THREE-NOT: leak of
// THREE: SUMMARY: leakcc: 112 byte(s) leaked in 3 allocation(s).

// CHAIN: Direct leak of 64 byte(s) in 1 object(s) allocated from:
// CHAIN-NOT: Direct leak
// CHAIN: Indirect leak of 80 byte(s) in 2 object(s) allocated from:
// CHAIN-NOT: leak of
// CHAIN: SUMMARY: leakcc: 144 byte(s) leaked in 3 allocation(s).
