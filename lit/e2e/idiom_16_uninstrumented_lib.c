// Hidden pointer (issue 3, idiom 16): a library built without leakcc (plain
// clang, linked as a static archive and as a shared object) stores the
// caller's pointers without shadow: into a field of a struct the caller
// allocated (a 101-byte block), into an item array it allocates itself and
// hangs from a caller-allocated header (a 111-byte block), and into its own
// global array (a 104-byte block).  A 203-byte block the library forgets
// (lib_unregister) and the caller drops leaks.  mode=precise must keep the
// three live blocks and report the fourth, for both kinds of library.
//
// No mode=conservative run line: the library writes raw pointers, so
// conservative scanning happens to be right here.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %clang -O2 -fPIC -c %S/Inputs/idiom_16_lib.c -o %t.dir/idiom_16_lib.o
// RUN: rm -f %t.dir/libidiom16.a && llvm-ar rcs %t.dir/libidiom16.a %t.dir/idiom_16_lib.o
// RUN: %clang -O2 -fPIC -shared %S/Inputs/idiom_16_lib.c -o %t.dir/libidiom16.so
// RUN: %leakcc -O0 %s %t.dir/libidiom16.a -o %t.static
// RUN: %env_leakcc_opts=mode=precise not %run %t.static 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s %t.dir/libidiom16.a -o %t.static.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.static.O2 2>&1 | FileCheck %s
// RUN: %leakcc -O0 %s -L%t.dir -lidiom16 -Wl,-rpath,%t.dir -o %t.shared
// RUN: %env_leakcc_opts=mode=precise not %run %t.shared 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -L%t.dir -lidiom16 -Wl,-rpath,%t.dir -o %t.shared.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.shared.O2 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct lib_obj {
  int kind;
  void *user;
};
struct lib_vec {
  size_t n, cap;
  void **items;
};
void lib_obj_init(struct lib_obj *o, int kind, void *user);
void *lib_obj_user(const struct lib_obj *o);
void lib_vec_push(struct lib_vec *v, void *item);
void lib_register(void *p);
void lib_unregister(void *p);
void *lib_registered_at(int i);

struct app {
  struct lib_obj *obj;
  struct lib_vec *vec;
};

struct app *volatile app;

__attribute__((noinline)) static char *block(size_t size, char fill) {
  char *p = malloc(size);
  memset(p, fill, size);
  return p;
}

__attribute__((noinline)) static void build(void) {
  struct app *a = calloc(1, sizeof *a);
  a->obj = calloc(1, sizeof *a->obj);
  lib_obj_init(a->obj, 1, block(101, 'u'));
  a->vec = calloc(1, sizeof *a->vec);
  lib_vec_push(a->vec, block(111, 'v'));
  lib_register(block(203, 'x'));
  lib_register(block(104, 'g'));
  lib_unregister(lib_registered_at(0)); /* the 203-byte block leaks */
  app = a;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "user %c, item %c, registered %c\n",
          *(char *)lib_obj_user(app->obj), *(char *)app->vec->items[0],
          *(char *)lib_registered_at(0));
}

int main(void) {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: user u, item v, registered g
// CHECK-NOT: leak of {{101|104|111}} byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of {{101|104|111}} byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
