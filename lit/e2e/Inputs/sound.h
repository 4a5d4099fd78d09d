/* Shared by the sound_*.c / real_*.c tests (issue 9, sound precision): two
 * decoys that conservative marking (mode=conservative, LeakSanitizer) gets
 * wrong and precise marking gets right, so that every such test has a run
 * line whose expected output is different from the precise one.
 *
 *   - a 120-byte block is live, referenced only by a pointer tagged in bits
 *     56-63 in an instrumented global: precise marking masks the tag,
 *     conservative marking sees no address and reports the block as leaked;
 *   - a 136-byte block is leaked, but its address survives in an
 *     instrumented global as a quotient (a stale copy computed by a
 *     multiplication and a division, which holds no reference): conservative
 *     marking follows it and misses the leak, precise marking reports it.
 *
 * So precise runs expect "Direct leak of 136 byte(s)" and no "leak of 120",
 * conservative runs the opposite.  Call sound_decoys() and sound_print()
 * (which prints "hidden" from the 120-byte block, so that it is used) before
 * scrub_stack(); neither leaves the untagged address in its caller's frame. */
#ifndef LEAKCC_E2E_SOUND_H
#define LEAKCC_E2E_SOUND_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile uintptr_t sound_tagged;   /* 7 << 56 | the 120-byte block */
volatile uintptr_t sound_quotient; /* the 136-byte block's address, as a number */
static volatile uintptr_t sound_three = 3;

__attribute__((noinline)) static void sound_decoys(void) {
  char *h = (char *)malloc(120);
  strcpy(h, "hidden");
  sound_tagged = (uintptr_t)7 << 56 | (uintptr_t)h;
  char *s = (char *)malloc(136);
  memset(s, 's', 136);
  uintptr_t x = (uintptr_t)s * sound_three;
  sound_quotient = x / sound_three; /* == s, but no reference */
}

__attribute__((noinline)) static const char *sound_hidden(void) {
  return (const char *)(sound_tagged & (((uintptr_t)1 << 56) - 1));
}

__attribute__((noinline)) static void sound_print(void) {
  fprintf(stderr, "%s\n", sound_hidden());
}

#endif
