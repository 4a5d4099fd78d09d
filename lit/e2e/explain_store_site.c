// Explain mode names the store that made a false pointer "no reference"
// (issue 9): in an explain build (LEAKCC_STORE_SITES=1 in the compiler's
// environment), the word in the table block that equals the leaked head's
// address was written by `table->hashes[1] = unhash(key)` (a hash: plain
// data), and explain=1 says so, at every optimisation level.  Without the
// variable the explanation stops at the shadow record.
// RUN: env LEAKCC_STORE_SITES=1 %leakcc -O0 %s -o %t.O0
// RUN: %env_leakcc_opts=explain=1 not %run %t.O0 2>&1 | FileCheck %s --check-prefixes=CHECK,SITE
// RUN: env LEAKCC_STORE_SITES=1 %leakcc -O1 %s -o %t.O1
// RUN: %env_leakcc_opts=explain=1 not %run %t.O1 2>&1 | FileCheck %s --check-prefixes=CHECK,SITE
// RUN: env LEAKCC_STORE_SITES=1 %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=explain=1 not %run %t.O2 2>&1 | FileCheck %s --check-prefixes=CHECK,SITE
// RUN: env LEAKCC_STORE_SITES=1 %leakcc -O3 %s -o %t.O3
// RUN: %env_leakcc_opts=explain=1 not %run %t.O3 2>&1 | FileCheck %s --check-prefixes=CHECK,SITE
// RUN: env LEAKCC_STORE_SITES=1 %leakcc -O2 -flto %s -o %t.lto
// RUN: %env_leakcc_opts=explain=1 not %run %t.lto 2>&1 | FileCheck %s --check-prefixes=CHECK,SITE
// RUN: %leakcc -O2 %s -o %t.plain
// RUN: %env_leakcc_opts=explain=1 not %run %t.plain 2>&1 | FileCheck %s --check-prefixes=CHECK,NOSITE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

#define K 0x9e3779b97f4a7c15ULL    /* odd: invertible modulo 2^64 */
#define K_INV 0xf1de83e19937733dULL /* K * K_INV == 1 modulo 2^64 */

struct node {
  struct node *next;
  long value;
};

struct table {
  long n;
  uintptr_t hashes[3];
};

struct table *volatile table;
volatile uintptr_t key;

__attribute__((noinline)) static uintptr_t hash(uintptr_t x) { return x * K; }
__attribute__((noinline)) static uintptr_t unhash(uintptr_t h) {
  return h * K_INV;
}

__attribute__((noinline)) static struct node *push(struct node *next) {
  struct node *x = malloc(sizeof *x);
  x->next = next;
  x->value = 1;
  return x;
}

__attribute__((noinline)) static void insert(void) {
  struct node *head = push(push(NULL));
  key = hash((uintptr_t)head);
  table->hashes[1] = unhash(key); /* STORE: equals the address, as an integer */
  key = 0;
  fprintf(stderr, "head %p next %p table %p\n", (void *)head,
          (void *)head->next, (void *)table);
}

int main(void) {
  table = calloc(1, sizeof *table);
  insert();
  scrub_stack();
  return 0;
}
// CHECK: head [[HEAD:0x[0-9a-f]+]] next [[NEXT:0x[0-9a-f]+]] table [[TABLE:0x[0-9a-f]+]]
// CHECK: leakcc: explain: 16-byte block [[HEAD]] (allocated at {{.*}}) is live only in conservative mode: its only reference is a false pointer at offset 16 of 32-byte block [[TABLE]] {{.*}}: the word holds [[HEAD]] but its shadow says it holds no reference (stale data, a hash or another integer)
// SITE-SAME: ; written by the store at {{.*}}explain_store_site.c:[[#@LINE-14]]:{{[0-9]+}} in insert
// NOSITE-NOT: written by the store
