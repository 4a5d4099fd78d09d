/* Shared by the e2e tests that expect a leak at exit.
 *
 * Thread stacks are scanned conservatively (by leakcc as by LSan), so a
 * pointer left behind in a dead frame of a function that has already
 * returned still looks like a reference, and the block it points to is not
 * reported.  clang -fsanitize=leak misses such leaks the same way.  Tests
 * therefore make their leaks in helper functions and call scrub_stack() once
 * those have returned: it overwrites the dead frames below the caller. */
#ifndef LEAKCC_E2E_SCRUB_H
#define LEAKCC_E2E_SCRUB_H

#include <string.h>

__attribute__((noinline)) static void scrub_stack(void) {
  char buf[32768];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory"); /* keep the stores */
}

#endif
