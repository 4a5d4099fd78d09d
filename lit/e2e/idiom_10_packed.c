// Hidden pointer (issue 3, idiom 10): pointers at unaligned offsets in a
// #pragma pack(1) struct.  A message buffer holds 11-byte records (type,
// payload pointer at offset 1, length), built in a local record and copied in
// with memcpy; the buffer grows with realloc.  Record payloads sit at buffer
// offsets 1, 12, 23 and 34, none 8-aligned.  A 101-byte payload is
// referenced only from record 0; a 203-byte payload leaks when record 2 is
// replaced.  mode=precise must keep the first and report the second;
// conservative scanning reads aligned words only and reports the live
// payload as leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

#pragma pack(push, 1)
struct record {
  uint8_t type;
  void *payload;
  uint16_t len;
};
#pragma pack(pop)

_Static_assert(sizeof(struct record) == 11, "packed");

struct message {
  size_t n, cap;
  struct record *recs;
};

struct message *volatile msg;

__attribute__((noinline)) static struct record make_record(uint8_t type,
                                                           void *payload,
                                                           uint16_t len) {
  struct record r;
  r.type = type;
  r.payload = payload;
  r.len = len;
  return r;
}

__attribute__((noinline)) static void put(struct message *m, size_t i,
                                          struct record r) {
  if (i >= m->cap) {
    m->cap = m->cap ? 2 * m->cap : 2;
    m->recs = realloc(m->recs, m->cap * sizeof *m->recs);
  }
  memcpy(&m->recs[i], &r, sizeof r);
  if (i >= m->n)
    m->n = i + 1;
}

__attribute__((noinline)) static void *payload(uint16_t len, char fill) {
  char *p = malloc(len);
  memset(p, fill, len);
  return p;
}

__attribute__((noinline)) static void build(void) {
  struct message *m = calloc(1, sizeof *m);
  put(m, 0, make_record(1, payload(101, 'a'), 101));
  put(m, 1, make_record(2, NULL, 0)); /* fills the first buffer */
  put(m, 2, make_record(3, payload(203, 'b'), 203)); /* realloc: moves */
  put(m, 3, make_record(4, NULL, 0));
  put(m, 2, make_record(5, NULL, 0)); /* the 203-byte payload leaks */
  msg = m;
}

__attribute__((noinline)) static void show(void) {
  struct record r;
  memcpy(&r, &msg->recs[0], sizeof r);
  fprintf(stderr, "%zu records; record 0: type %d, %c x %d\n", msg->n, r.type,
          ((char *)r.payload)[r.len - 1], r.len);
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: 4 records; record 0: type 1, a x 101
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: 4 records; record 0: type 1, a x 101
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
