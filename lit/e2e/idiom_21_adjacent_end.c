// False pointer (issue 3, idiom 21): a leaked block whose start equals
// another, live block's one-past-the-end pointer (adjacent chunks), also
// when that end pointer lives in memory libc writes.
//  - A span {begin, end} keeps a live 64-byte buffer; the next chunk of the
//    same size class holds a 64-byte scratch buffer that is never freed.
//  - setvbuf hands a live 96-byte buffer to a stream: the FILE (libc's
//    memory) keeps its end pointer; the next chunk holds a 96-byte block
//    that is never freed.
// Both pairs are two mallocs in a row; the lower chunk is the live one.  The
// program prints whether each pair is adjacent (the CHECK lines require it,
// so the test cannot pass without exercising the idiom) and the addresses,
// and report_objects=1 lists the leaked objects, so the checks tell the
// equal-sized blocks apart.  mode=precise must report both upper blocks and
// neither lower one.
//
// No mode=conservative run line: with an allocator that puts chunks end to
// end (LSan's), conservative scanning resolves each end pointer to the next
// chunk and misses both leaks; leakcc's allocator leaves slack after every
// block and its lookup counts the one-past-the-end address as part of the
// block, so its conservative marking happens to be right here.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise:report_objects=1 not %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise:report_objects=1 not %run %t.O2 2>&1 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct span {
  char *begin, *end;
};

struct state {
  struct span span;
  FILE *log;
};

struct state *volatile state;

struct pair {
  char *lo, *hi;
};

/* Two blocks of one size class, allocated in a row, sorted by address. */
__attribute__((noinline)) static struct pair alloc_pair(size_t n) {
  char *a = malloc(n), *b = malloc(n);
  memset(a, 'a', n);
  memset(b, 'b', n);
  struct pair p = {a < b ? a : b, a < b ? b : a};
  return p;
}

/* Adjacent chunks: hi starts right after lo's chunk (chunks are n bytes, or
 * up to 16 more when the allocator rounds up or adds slack). */
__attribute__((noinline)) static int adjacent(struct pair p, size_t n) {
  uintptr_t d = (uintptr_t)p.hi - (uintptr_t)p.lo;
  return d >= n && d <= n + 16;
}

__attribute__((noinline)) static void set_span(struct span *s, char *p,
                                               size_t n) {
  s->begin = p;
  s->end = p + n;
}

__attribute__((noinline)) static void build(void) {
  struct state *st = calloc(1, sizeof *st);
  struct pair spanned = alloc_pair(64);
  set_span(&st->span, spanned.lo, 64); /* spanned.hi is never freed */
  struct pair buffered = alloc_pair(96);
  st->log = fopen("/dev/null", "w");
  if (!st->log || setvbuf(st->log, buffered.lo, _IOFBF, 96))
    abort();
  fputs("x", st->log); /* buffered.hi is never freed */
  fprintf(stderr, "adjacent chunks: %d %d\n", adjacent(spanned, 64),
          adjacent(buffered, 96));
  fprintf(stderr, "live %p %p, dropped %p %p\n", (void *)spanned.lo,
          (void *)buffered.lo, (void *)spanned.hi, (void *)buffered.hi);
  state = st;
}

int main(void) {
  build();
  scrub_stack();
  return 0;
}
// CHECK: adjacent chunks: 1 1
// CHECK: live [[A:0x[0-9a-f]+]] [[B:0x[0-9a-f]+]], dropped [[X:0x[0-9a-f]+]] [[Y:0x[0-9a-f]+]]
// CHECK-NOT: {{^}}[[A]] (
// CHECK-NOT: {{^}}[[B]] (
// CHECK: Direct leak of 96 byte(s) in 1 object(s)
// CHECK: {{^}}[[Y]] (96 bytes)
// CHECK: Direct leak of 64 byte(s) in 1 object(s)
// CHECK: {{^}}[[X]] (64 bytes)
// CHECK-NOT: {{^}}[[A]] (
// CHECK-NOT: {{^}}[[B]] (
// CHECK: SUMMARY: leakcc: 160 byte(s) leaked in 2 allocation(s).

