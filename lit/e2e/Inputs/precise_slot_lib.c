/* Built twice by roots_precise_globals_dlclose.c, with leakcc and with
 * plain clang, so that both copies have the same layout. */
#include <stdint.h>
#include <stdlib.h>

#define K 0x9e3779b97f4a7c15ULL     /* odd: invertible modulo 2^64 */
#define K_INV 0xf1de83e19937733dULL /* K * K_INV == 1 modulo 2^64 */

/* Page aligned, so that it lands at the same offset in both copies. */
volatile uintptr_t slot __attribute__((aligned(4096)));
volatile uintptr_t key;

__attribute__((noinline)) static uintptr_t hash(uintptr_t x) { return x * K; }
__attribute__((noinline)) static uintptr_t unhash(uintptr_t h) {
  return h * K_INV;
}

/* Keeps a new block of n bytes in slot: as a pointer, or (hashed) as the
 * inverse of its multiplicative hash, which is no reference. */
void lib_keep(size_t n, int hashed) {
  void *p = malloc(n);
  if (hashed) {
    key = hash((uintptr_t)p);
    slot = unhash(key);
    key = 0;
  } else {
    slot = (uintptr_t)p;
  }
}

const volatile void *lib_slot(void) { return &slot; }
