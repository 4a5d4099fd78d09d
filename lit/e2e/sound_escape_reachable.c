// Sound precision (issue 9): code built without leakcc may follow the
// pointers it is handed and write into what they point to, so an escape
// covers everything reachable from the escaping memory, not only the block
// the argument points into.  A library built with plain clang
// (Inputs/sound_deep_lib.c) stores the address of a 301-byte block into a
// 40-byte holder it reaches through a local passed by address (`*ref`), and
// a 302-byte block into a 48-byte array (over a number stored there) it
// reaches through a field of a 24-byte struct it is given.  Neither holder is ever passed to the library
// itself; both are scanned conservatively, so the 301- and 302-byte blocks
// are live.  A 203-byte block is dropped: the leak.  Every build must also
// get the Inputs/sound.h decoys right (keep 120, report 136), which
// conservative marking gets wrong.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O2 -fPIC -shared %S/Inputs/sound_deep_lib.c -o %t.dir/libsounddeep.so
// RUN: %leakcc -O0 %s -L%t.dir -lsounddeep -Wl,-rpath,%t.dir -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -L%t.dir -lsounddeep -Wl,-rpath,%t.dir -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -L%t.dir -lsounddeep -Wl,-rpath,%t.dir -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -L%t.dir -lsounddeep -Wl,-rpath,%t.dir -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -L%t.dir -lsounddeep -Wl,-rpath,%t.dir -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -L%t.dir -lsounddeep -Wl,-rpath,%t.dir -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct deep_outer {
  long id;
  void **inner;
};
void deep_set_via(void **ref, void *p);
void deep_set_in(struct deep_outer *o, void *p);

void **volatile via_holder;
struct deep_outer *volatile outer;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void build(void) {
  void **holder = calloc(5, sizeof(void *)); /* 40 bytes */
  void *ref = holder;
  deep_set_via(&ref, text(301, "via a local"));
  via_holder = holder;

  struct deep_outer *o = calloc(1, 24);
  o->inner = calloc(6, sizeof(void *)); /* 48 bytes */
  o->inner[1] = (void *)(uintptr_t)0x5eed; /* plain data, until the library */
  deep_set_in(o, text(302, "via a field"));
  outer = o;

  char *dropped = text(203, "dropped");
  dropped[0] = 'D';
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s, %s\n", (char *)via_holder[0], (char *)outer->inner[1]);
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
// PRECISE: via a local, via a field
// PRECISE-NOT: leak of {{24|40|48|120|301|302}} byte
// PRECISE-DAG: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{24|40|48|120|301|302}} byte
// PRECISE: SUMMARY: leakcc: 339 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: via a local, via a field
// CONS-NOT: leak of {{24|40|48|136|301|302}} byte
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{24|40|48|136|301|302}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 323 byte(s) leaked in 2 allocation(s).
