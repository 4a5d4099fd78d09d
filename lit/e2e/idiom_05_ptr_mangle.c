// Hidden pointer (issue 3, idiom 5): pointers XORed with a random
// per-process key and rotated, as glibc's PTR_MANGLE does for the atexit
// list and setjmp buffers.  A hook table keeps mangled (function, context)
// pairs; a 101-byte context is referenced only by its mangled word, a
// 203-byte context leaks when its hook is unregistered by moving the last
// entry over it.  mode=precise must keep the first and report the second;
// conservative scanning sees random bits and reports the live context as
// leaked.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "Inputs/scrub.h"

static uintptr_t pointer_guard;

#define PTR_MANGLE(v) rotl((v) ^ pointer_guard, 17)
#define PTR_DEMANGLE(v) (rotr((v), 17) ^ pointer_guard)

static inline uintptr_t rotl(uintptr_t v, int n) {
  return v << n | v >> (64 - n);
}
static inline uintptr_t rotr(uintptr_t v, int n) {
  return v >> n | v << (64 - n);
}

typedef void hook_fn(void *ctx);

struct hook {
  uintptr_t fn;  /* mangled hook_fn * */
  uintptr_t ctx; /* mangled context pointer */
};

struct hooks {
  int n;
  struct hook h[4];
};

struct hooks *volatile hooks;

struct context {
  int id;
  char name[];
};

static void greet(void *ctx) {
  fprintf(stderr, "hook ran with context %d\n", ((struct context *)ctx)->id);
}

__attribute__((noinline)) static struct hook make_hook(hook_fn *fn,
                                                       void *ctx) {
  struct hook h = {PTR_MANGLE((uintptr_t)fn), PTR_MANGLE((uintptr_t)ctx)};
  return h;
}

__attribute__((noinline)) static void register_hook(struct hooks *t,
                                                    struct hook h) {
  t->h[t->n++] = h;
}

/* Drops hook i (and forgets to free its context: the leak). */
__attribute__((noinline)) static void unregister_hook(struct hooks *t, int i) {
  t->h[i] = t->h[--t->n];
  memset(&t->h[t->n], 0, sizeof t->h[t->n]);
}

__attribute__((noinline)) static void *new_context(int id, size_t size) {
  struct context *c = calloc(1, size);
  c->id = id;
  return c;
}

__attribute__((noinline)) static void build(void) {
  if (getrandom(&pointer_guard, sizeof pointer_guard, 0) !=
      sizeof pointer_guard)
    abort();
  pointer_guard |= 1; /* never the identity */
  struct hooks *t = calloc(1, sizeof *t);
  register_hook(t, make_hook(greet, new_context(2, 203)));
  register_hook(t, make_hook(greet, new_context(1, 101)));
  unregister_hook(t, 0);
  hooks = t;
}

__attribute__((noinline)) static void run_hooks(void) {
  for (int i = 0; i < hooks->n; i++) {
    hook_fn *fn = (hook_fn *)PTR_DEMANGLE(hooks->h[i].fn);
    fn((void *)PTR_DEMANGLE(hooks->h[i].ctx));
  }
}

int main(void) {
  build();
  run_hooks();
  scrub_stack();
  return 0;
}
// PRECISE: hook ran with context 1
// PRECISE-NOT: leak of 101 byte
// PRECISE: Direct leak of 203 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 101 byte
// PRECISE: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).

// CONS: hook ran with context 1
// CONS-DAG: Direct leak of 203 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 101 byte(s) in 1 object(s)
// CONS: SUMMARY: leakcc: 304 byte(s) leaked in 2 allocation(s).
