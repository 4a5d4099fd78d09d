// In a leaked ring that nothing else reaches, exactly one member is direct
// and it is the one at the lowest address (runtime/lk.h, mark.c contract), so
// the report is deterministic; LSan would report every member as indirect.
// Smaller size classes live in lower regions, so the 32-byte members lie
// below the 48-byte one whatever the allocation order.
// RUN: %leakcc -O0 %s -o %t
// RUN: not %run %t 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not %run %t 3 2>&1 | FileCheck %s --check-prefix=THREE
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct node {
  struct node *next;
};

void *volatile sink;

/* Allocates blocks of the given sizes in order, linked into a ring in
 * allocation order: first -> second -> ... -> first. */
__attribute__((noinline)) static void leak_ring(const size_t *sizes, int n) {
  struct node *nodes[3];
  for (int i = 0; i < n; i++) {
    nodes[i] = calloc(1, sizes[i]);
    sink = nodes[i];
  }
  for (int i = 0; i < n; i++)
    nodes[i]->next = nodes[(i + 1) % n];
  sink = NULL;
}

int main(int argc, char **argv) {
  static const size_t two[] = {48, 32}, three[] = {48, 32, 32};
  if (argc > 1)
    leak_ring(three, 3);
  else
    leak_ring(two, 2);
  scrub_stack();
  return 0;
}
// TWO: Direct leak of 32 byte(s) in 1 object(s) allocated from:
// TWO: Indirect leak of 48 byte(s) in 1 object(s) allocated from:
// TWO: SUMMARY: leakcc: 80 byte(s) leaked in 2 allocation(s).

// THREE: Direct leak of 32 byte(s) in 1 object(s) allocated from:
// THREE: Indirect leak of 80 byte(s) in 2 object(s) allocated from:
// THREE: SUMMARY: leakcc: 112 byte(s) leaked in 3 allocation(s).
