/* An instrumented shared library, preloaded into a program by
 * symbolizer_env.c: any process that loads it needs leakcc's runtime. */
#include <stdlib.h>

void *volatile instrumented_lib_sink;

__attribute__((constructor)) static void instrumented_lib_init(void) {
  instrumented_lib_sink = malloc(8);
  free(instrumented_lib_sink);
}
