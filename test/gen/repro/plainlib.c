/* Built with plain clang (never leakcc) and linked into the reproducers
 * that say "// LIB: plainlib.c". */
#include <stdlib.h>

void lib_out(void *in, void **out) { *out = in; }

/* Reads nothing, writes nothing: only receives the pointer. */
void lib_touch(void *p) { (void)p; }

void *lib_alloc(size_t n) { return calloc(1, n); }

/* Stores p into the first word of the block *ref points to. */
void lib_set_via(void **ref, void *p) { *(void **)*ref = p; }
