// Sound precision (issue 9, mechanism 4): blocks handed to uninstrumented
// code through an allocator callback.  A list library built without leakcc
// (Inputs/sound_cb_lib.c, plain clang, as a shared object) allocates its
// 24-byte header and its nodes through the program's callback, so they are
// blocks of instrumented code, and links them with its own stores (head,
// next).  The program keeps only the header: the 64-, 80- and 104-byte
// nodes hang from it through pointers the library wrote and are live.  The
// program pops the newest node, a 96-byte one, and drops it: the leak.
// Every build must also get the Inputs/sound.h decoys right (keep 120,
// report 136), which conservative marking gets wrong.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O2 -fPIC -shared %S/Inputs/sound_cb_lib.c -o %t.dir/libsoundcb.so
// RUN: %leakcc -O0 %s -L%t.dir -lsoundcb -Wl,-rpath,%t.dir -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -L%t.dir -lsoundcb -Wl,-rpath,%t.dir -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -L%t.dir -lsoundcb -Wl,-rpath,%t.dir -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -L%t.dir -lsoundcb -Wl,-rpath,%t.dir -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -L%t.dir -lsoundcb -Wl,-rpath,%t.dir -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -L%t.dir -lsoundcb -Wl,-rpath,%t.dir -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

typedef void *(*lib_alloc_fn)(size_t size);
struct lib_list;
struct lib_list *lib_list_new(lib_alloc_fn alloc);
void lib_list_push(struct lib_list *l, size_t payload, const char *text);
void *lib_list_pop(struct lib_list *l);
const char *lib_list_text(const struct lib_list *l, size_t i);

struct lib_list *volatile list;
void *volatile popped;
volatile unsigned long nallocs;

static void *my_alloc(size_t size) {
  nallocs++;
  return malloc(size);
}

__attribute__((noinline)) static void build(void) {
  struct lib_list *l = lib_list_new(my_alloc); /* 24 bytes */
  lib_list_push(l, 88, "oldest");              /* 104-byte node */
  lib_list_push(l, 64, "middle");              /* 80-byte node */
  lib_list_push(l, 48, "newest");              /* 64-byte node */
  lib_list_push(l, 80, "dropped");             /* 96-byte node */
  popped = lib_list_pop(l);
  popped = NULL; /* the leak */
  list = l;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%lu allocations: %s %s %s\n", nallocs,
          lib_list_text(list, 0), lib_list_text(list, 1),
          lib_list_text(list, 2));
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
// PRECISE: 5 allocations: newest middle oldest
// PRECISE-NOT: leak of {{24|64|80|104|120}} byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 96 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{24|64|80|104|120}} byte
// PRECISE: SUMMARY: leakcc: 232 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: 5 allocations: newest middle oldest
// CONS-NOT: leak of {{24|64|80|104|136}} byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 96 byte(s) in 1 object(s)
// CONS-NOT: leak of {{24|64|80|104|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 216 byte(s) leaked in 2 allocation(s).
