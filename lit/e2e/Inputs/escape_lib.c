/* Built WITHOUT leakcc (plain clang) by roots_precise_globals_escape.c: it
 * stores pointers into memory its caller hands it, writing no shadow. */
#include <stdlib.h>

void lib_fill(void **slot, size_t n) { *slot = malloc(n); }
