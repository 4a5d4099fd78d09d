// Sound precision (issue 9, mechanism 7): a stack that lives in a heap
// block.  A coroutine runs on a 128 KiB stack from calloc (makecontext,
// swapcontext) and suspends itself for good from inside a qsort comparator:
// its frame, qsort's frames and the registers swapcontext saved in its
// ucontext_t stay in memory until exit.  A 48-byte
// block referenced only by a local of the suspended coroutine is live (the
// coroutine would print it if resumed), as is the stack block itself.  The
// coroutine also dropped a 200-byte block (and scrubbed its dead frames)
// before suspending: that one leaks.  The words of a stack in a heap block
// are written by frame stores, spills, libc's pushes and swapcontext, not
// by pointer stores the pass classifies, so they must be scanned as possible
// references.  Every build must also get the Inputs/sound.h decoys right
// (keep 120, report 136), which conservative marking gets wrong.  No LSan
// line: LSan deliberately ignores blocks whose allocation stack it cannot
// unwind, as in a coroutine, so it would not report the 200 bytes either.
// RUN: %leakcc -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

#define STACK_SIZE (128 * 1024)

static ucontext_t main_ctx, co_ctx;

/* getcontext and swapcontext save the argument registers too: clear them so
 * that no stale copy of a leaked or decoy address lands in a ucontext_t. */
#define CLEAR_SCRATCH()                                                        \
  __asm__ volatile("xorl %%eax, %%eax\n\txorl %%ecx, %%ecx\n\t"                 \
                   "xorl %%edx, %%edx\n\txorl %%esi, %%esi\n\t"                 \
                   "xorl %%edi, %%edi\n\txorl %%r8d, %%r8d\n\t"                 \
                   "xorl %%r9d, %%r9d\n\txorl %%r10d, %%r10d\n\t"               \
                   "xorl %%r11d, %%r11d"                                       \
                   :                                                           \
                   :                                                           \
                   : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",     \
                     "r11", "memory")
void *volatile sink;

__attribute__((noinline)) static char *text(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static void drop(void) {
  sink = text(200, "dropped");
  sink = NULL; /* the leak */
}

__attribute__((noinline)) static void use(const char *s) {
  fprintf(stderr, "coroutine holds '%s'\n", s);
}

/* Suspends the coroutine from inside qsort, whose frames (libc's, built
 * without leakcc) stay on the coroutine's stack with the callee-saved
 * registers they pushed. */
static int compare_and_suspend(const void *a, const void *b) {
  static int suspended;
  if (!suspended) {
    suspended = 1;
    CLEAR_SCRATCH();
    swapcontext(&co_ctx, &main_ctx); /* never resumed */
  }
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void coroutine(void) {
  char *kept = text(48, "kept"); /* only this local refers to it */
  drop();
  /* Also the last pointer through the pass's provenance channel, which -O0
   * code copies into its frames: not the 200-byte block's. */
  use(kept);
  scrub_stack(); /* the coroutine's dead frames: no stale copy of 200 */
  const char *names[2] = {"b", "a"};
  CLEAR_SCRATCH();
  qsort(names, 2, sizeof *names, compare_and_suspend);
  use(kept);
  free(kept);
}

__attribute__((noinline)) static void start(void) {
  CLEAR_SCRATCH();
  getcontext(&co_ctx);
  co_ctx.uc_stack.ss_sp = calloc(1, STACK_SIZE); /* no stale words */
  co_ctx.uc_stack.ss_size = STACK_SIZE;
  co_ctx.uc_link = &main_ctx;
  makecontext(&co_ctx, coroutine, 0);
  CLEAR_SCRATCH();
  swapcontext(&main_ctx, &co_ctx);
  fprintf(stderr, "coroutine suspended\n");
}

int main(void) {
  start();
  /* After start(): at -O0 the coroutine's frame keeps copies of the pass's
   * thread-local provenance channel, which must not hold a decoy's address. */
  sound_decoys();
  sound_print();
  scrub_stack();
  return 0;
}
// PRECISE: coroutine holds 'kept'
// PRECISE: coroutine suspended
// PRECISE: hidden
// PRECISE-NOT: leak of {{48|131072|120}} byte
// PRECISE-DAG: Direct leak of 200 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{48|131072|120}} byte
// PRECISE: SUMMARY: leakcc: 336 byte(s) leaked in 2 allocation(s).

// CONS: coroutine holds 'kept'
// CONS: coroutine suspended
// CONS: hidden
// CONS-NOT: leak of {{48|131072|136}} byte
// CONS-DAG: Direct leak of 200 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-NOT: leak of {{48|131072|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 320 byte(s) leaked in 2 allocation(s).
