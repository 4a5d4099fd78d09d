// Sound precision (issue 9, mechanism 6): stores the pass does not decode.
// Pointers kept in bitfields are written by read-modify-write sequences
// (load the word, mask, or in the new bits, store): a 48-bit field beside a
// 16-bit tag (struct { uint64_t ptr:48; uint64_t tag:16; }), and a 61-bit
// field holding p >> 3 beside a 3-bit kind (p is 8-byte aligned).  Each
// field is the only reference to its block: a 48-byte and a 56-byte block
// are live, also after a later read-modify-write of only the tag bits.  A
// first assignment to each field referenced a 200- or 208-byte
// block; the second replaced it, and both leak.  Whatever the pass cannot
// classify must be scanned as a possible reference, the 48-bit field masked
// and the shifted one decoded.  Conservative marking sees neither word as an
// address (it reports the 48- and 56-byte blocks) and gets the
// Inputs/sound.h decoys wrong (reports 120, misses 136).
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct handles {
  long id;
  struct {
    uint64_t ptr : 48;
    uint64_t tag : 16;
  } wide;
  struct {
    uint64_t ptr : 61; /* the address >> 3 */
    uint64_t kind : 3;
  } shifted;
};

struct handles *volatile handles;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void set_wide(struct handles *h, char *p,
                                               unsigned tag) {
  h->wide.ptr = (uintptr_t)p;
  h->wide.tag = tag;
}

__attribute__((noinline)) static void set_shifted(struct handles *h, char *p,
                                                  unsigned kind) {
  h->shifted.ptr = (uintptr_t)p >> 3;
  h->shifted.kind = kind;
}

/* Changes only the tags: the words are loaded, masked and stored back. */
__attribute__((noinline)) static void retag(struct handles *h) {
  h->wide.tag++;
  h->shifted.kind ^= 1;
}

__attribute__((noinline)) static void build(void) {
  struct handles *h = calloc(1, sizeof *h);
  set_wide(h, text(200, "old wide"), 0xbeef);
  set_shifted(h, text(208, "old shifted"), 5);
  set_wide(h, text(48, "wide"), 0xcafe);        /* the 200-byte block leaks */
  set_shifted(h, text(56, "shifted"), 6);       /* the 208-byte block leaks */
  retag(h);
  handles = h;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s %x %s %u\n", (char *)(uintptr_t)handles->wide.ptr,
          (unsigned)handles->wide.tag,
          (char *)(uintptr_t)(handles->shifted.ptr << 3),
          (unsigned)handles->shifted.kind);
}

int main(void) {
  sound_decoys();
  sound_print();
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: wide caff shifted 7
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 208 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|56|120}} byte
// PRECISE: SUMMARY: leakcc: 544 byte(s) leaked in 3 allocation(s).

// CONS: hidden
// CONS: wide caff shifted 7
// CONS-NOT: leak of 136 byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 208 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 56 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 48 byte(s) in 1 object(s)
// CONS-NOT: leak of 136 byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 632 byte(s) leaked in 5 allocation(s).
