/* An instrumented library for dlclose.c: its pass site descriptors and the
 * globals that hold its blocks go away when it is unloaded. */
#include <stdlib.h>

void *lib_global;
static void *lib_static;

void lib_store(void) {
  lib_global = malloc(101);
  lib_static = malloc(202);
}

__attribute__((constructor)) static void lib_ctor(void) {
  static void *from_ctor;
  from_ctor = malloc(303);
}
