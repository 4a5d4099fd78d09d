// An instrumented shared library whose loop stores XOR-encoded pointers:
// each store calls __leakcc_side_store (a preserve_most call) from -fPIC
// code, while the loop keeps values in caller-saved registers.
#include <stdint.h>
#include <stdlib.h>

uintptr_t lib_key = 0x5a5a;

uintptr_t *lib_encode(void *p, size_t n) {
  uintptr_t *enc = malloc(n * sizeof *enc);
  for (size_t i = 0; i < n; i++)
    enc[i] = (uintptr_t)p ^ (lib_key + i);
  return enc;
}
