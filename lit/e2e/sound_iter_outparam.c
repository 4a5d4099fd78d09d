// Sound precision (issue 9, mechanism 2): stack slots written by a library
// built without leakcc.  A glib-style iterator (Inputs/sound_iter_lib.c, a
// shared object built by plain clang) moves each entry of its table into the
// caller's locals `key` and `value` through out-parameters, then forgets it;
// the instrumented caller copies the locals into a heap struct, the only
// reference left.  The pass never wrote those stack slots, so the copies
// must be scanned as possible references: the 64- and 80-byte keys and the
// 72-byte value are live.  The caller drops the second value, an 88-byte
// leak.  Every build must also get the Inputs/sound.h decoys right (keep
// 120, report 136), which conservative marking gets wrong.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O2 -fPIC -shared %S/Inputs/sound_iter_lib.c -o %t.dir/libsounditer.so
// RUN: %leakcc -O0 %s -L%t.dir -lsounditer -Wl,-rpath,%t.dir -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -L%t.dir -lsounditer -Wl,-rpath,%t.dir -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -L%t.dir -lsounditer -Wl,-rpath,%t.dir -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -L%t.dir -lsounditer -Wl,-rpath,%t.dir -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -L%t.dir -lsounditer -Wl,-rpath,%t.dir -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -L%t.dir -lsounditer -Wl,-rpath,%t.dir -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct lib_table;
typedef struct {
  struct lib_table *t;
  size_t i;
} lib_iter;
struct lib_table *lib_table_new(void);
void lib_table_put(struct lib_table *t, void *key, void *value);
void lib_iter_init(lib_iter *it, struct lib_table *t);
int lib_iter_steal_next(lib_iter *it, void **key, void **value);

struct entry {
  char *key;
  char *value; /* NULL when dropped */
  struct entry *next;
};

struct entry *volatile entries;
struct lib_table *volatile table; /* empty once drained, but kept */

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void fill(struct lib_table *t) {
  lib_table_put(t, text(64, "k1"), text(72, "v1"));
  lib_table_put(t, text(80, "k2"), text(88, "v2"));
}

__attribute__((noinline)) static void drain(struct lib_table *t) {
  lib_iter it;
  void *key, *value;
  struct entry **tail = (struct entry **)&entries;
  int n = 0;
  lib_iter_init(&it, t);
  while (lib_iter_steal_next(&it, &key, &value)) {
    struct entry *e = calloc(1, sizeof *e);
    e->key = key;
    if (n++ == 0)
      e->value = value; /* the second value is dropped: the leak */
    *tail = e;
    tail = &e->next;
  }
}

__attribute__((noinline)) static void build(void) {
  struct lib_table *t = lib_table_new();
  fill(t);
  drain(t);
  table = t;
}

__attribute__((noinline)) static void show(void) {
  for (struct entry *e = entries; e; e = e->next)
    fprintf(stderr, "%s=%s\n", e->key, e->value ? e->value : "-");
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
// PRECISE-NEXT: k1=v1
// PRECISE-NEXT: k2=-
// PRECISE-NOT: leak of {{64|72|80|120}} byte
// PRECISE-DAG: Direct leak of 88 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{64|72|80|120}} byte
// PRECISE: SUMMARY: leakcc: 224 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS-NEXT: k1=v1
// CONS-NEXT: k2=-
// CONS-NOT: leak of {{64|72|80|136}} byte
// CONS-DAG: Direct leak of 88 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{64|72|80|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 208 byte(s) leaked in 2 allocation(s).
