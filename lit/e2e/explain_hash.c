// Explain mode, false pointer that is an integer (issue 3, idiom 20), and a
// chain: a table block holds an integer equal to a leaked list head's address
// (computed by multiplicative hashing and its inverse, so it carries no
// pointer provenance); the head points to a second node.  explain=1 blames
// the head on the table word (offset and shadow), and says the second node is
// reached through the head.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:explain=1 not %run %t 2>&1 | FileCheck %s
// RUN: %env_leakcc_opts=mode=conservative:explain=1 %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:explain=1 not %run %t.O2 2>&1 | FileCheck %s
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
  table->hashes[1] = unhash(key); /* equals the address, as an integer */
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
// CHECK-NEXT: leakcc: explain: conservative and precise marking disagree on 2 block(s): 0 live only in precise mode {{.*}}, 2 live only in conservative mode
// CHECK-NEXT: leakcc: explain: 16-byte block [[HEAD]] (allocated at {{.*}}explain_hash.c:40:{{[0-9]+}}) is live only in conservative mode: its only reference is a false pointer at offset 16 of 32-byte block [[TABLE]] (allocated at {{.*}}explain_hash.c:56:{{[0-9]+}}): the word holds [[HEAD]] but its shadow says it holds no reference
// CHECK-NEXT: leakcc: explain: 16-byte block [[NEXT]] (allocated at {{.*}}explain_hash.c:40:{{[0-9]+}}) is live only in conservative mode: reached through block [[HEAD]]
// CHECK-NOT: leakcc: explain
