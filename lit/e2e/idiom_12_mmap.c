// Hidden pointer (issue 3, idiom 12): the only reference kept in an
// anonymous mmap region written by instrumented code, as custom arenas and
// mmap'd hash tables keep them.  A symbol table lives in a private anonymous
// mapping; a 101-byte entry is referenced only from there.  A 203-byte entry
// is referenced only from a second, temporary mapping that is then unmapped
// (so it leaks; the region must also be forgotten, not scanned after
// munmap).  mode=precise must keep the first and report the second;
// conservative scanning, like LSan, does not scan anonymous mappings and
// reports the live entry as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "Inputs/scrub.h"

#define REGION (1u << 20)

struct entry {
  int id;
  char name[];
};

struct symtab {
  size_t n;
  struct entry *slots[];
};

struct symtab *volatile symtab;

__attribute__((noinline)) static struct symtab *map_table(void) {
  void *m = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    abort();
  return m;
}

__attribute__((noinline)) static void insert(struct symtab *t,
                                             struct entry *e) {
  t->slots[t->n++] = e;
}

__attribute__((noinline)) static struct entry *new_entry(int id, size_t size,
                                                         const char *name) {
  struct entry *e = calloc(1, size);
  e->id = id;
  strcpy(e->name, name);
  return e;
}

__attribute__((noinline)) static void build(void) {
  struct symtab *t = map_table();
  insert(t, new_entry(1, 101, "kept"));
  symtab = t;
  struct symtab *scratch = map_table();
  insert(scratch, new_entry(2, 203, "dropped"));
  munmap(scratch, REGION); /* the 203-byte entry leaks */
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%zu entry: %d %s\n", symtab->n, symtab->slots[0]->id,
          symtab->slots[0]->name);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 1 entry: 1 kept
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 1 entry: 1 kept
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
