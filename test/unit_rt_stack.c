/*
 * Unit test of the frame-pointer unwinder and the stack depot
 * (runtime/stack.c): identical stacks share an id, different call sites or
 * allocation sites do not, frames[0] is the caller of the allocation
 * function, deep chains are followed up to malloc_context_size, one
 * call site reached from alternating stacks (an xmalloc-style wrapper) keeps
 * exact, distinct ids through the per-thread caches, and capture works in
 * other threads.  Exits 1 at the first failed check.  Needs
 * -fno-omit-frame-pointer, like the programs leakcc builds.
 */
#include "lk.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

void *__leakcc_hook_malloc(size_t n, const struct __leakcc_site *site);

static const struct __leakcc_site site_a = {"a.c", "fa", 1, 2};
static const struct __leakcc_site site_b = {"b.c", "fb", 3, 4};

__attribute__((noinline)) static uint32_t capture_here(
    const struct __leakcc_site *site) {
  uint32_t id = LK_CAPTURE(site);
  __asm__ volatile("" ::: "memory"); /* keep it a real call, not a tail call */
  return id;
}

__attribute__((noinline)) static uint32_t recurse(int depth) {
  uint32_t id = depth ? recurse(depth - 1) : capture_here(NULL);
  __asm__ volatile("" ::: "memory");
  return id;
}

/* One capture call site reached through two callers, like xmalloc. */
__attribute__((noinline)) static uint32_t wrapper(void) {
  uint32_t id = capture_here(&site_a);
  __asm__ volatile("" ::: "memory");
  return id;
}
__attribute__((noinline)) static uint32_t via_one(void) {
  uint32_t id = wrapper();
  __asm__ volatile("" ::: "memory");
  return id;
}
__attribute__((noinline)) static uint32_t via_two(void) {
  uint32_t id = wrapper();
  __asm__ volatile("" ::: "memory");
  return id;
}

static void check_wrapper(void) {
  uint32_t ids[2] = {0, 0}; /* from via_one, via_two */
  for (volatile int i = 0; i < 100; i++) {
    uint32_t x = i & 1 ? via_two() : via_one();
    if (i < 2)
      ids[i] = x;
    REQUIRE(x && x == ids[i & 1], "wrapper: round %d gave id %u, not %u",
          (int)i, x, ids[i & 1]);
  }
  REQUIRE(ids[0] != ids[1], "wrapper: callers share id %u", ids[0]);
  const lk_stack *a = lk_stack_get(ids[0]), *b = lk_stack_get(ids[1]);
  REQUIRE(a->nframes >= 4 && a->frames[0] == b->frames[0] &&
            a->frames[1] == b->frames[1] && a->frames[2] != b->frames[2],
        "wrapper: frames differ below the callers");
}

static uint32_t stack_of(void *p) {
  lk_meta *m = NULL;
  REQUIRE(lk_block_of((uintptr_t)p, &m) == p, "block lookup");
  return m->stack_id;
}

/* Where malloc is called from: frames[0] must be inside this function. */
__attribute__((noinline)) static void check_frame0(void) {
  void *p = __leakcc_hook_malloc(8, &site_a);
  const lk_stack *s = lk_stack_get(stack_of(p));
  REQUIRE(s && s->site == &site_a, "hook stack lacks its site");
  uintptr_t f0 = s->frames[0], fn = (uintptr_t)check_frame0;
  REQUIRE(f0 > fn && f0 < fn + 256, "frames[0] %#zx not in check_frame0 %#zx",
        (size_t)f0, (size_t)fn);
  free(p);
  p = malloc(8);
  s = lk_stack_get(stack_of(p));
  REQUIRE(s && !s->site && s->frames[0] > fn && s->frames[0] < fn + 256,
        "plain malloc: frames[0] not the caller");
  free(p);
}

static void *thread_main(void *arg) {
  uint32_t id[2];
  for (volatile int i = 0; i < 2; i++)
    id[i] = capture_here(NULL);
  uint32_t a = id[0];
  REQUIRE(a && a == id[1], "thread: same stack, ids %u %u", a, id[1]);
  REQUIRE(lk_stack_get(a)->nframes >= 2, "thread: only %u frames",
        lk_stack_get(a)->nframes);
  return NULL;
}

int main(void) {
  uint32_t ids[3];
  for (volatile int i = 0; i < 3; i++) /* volatile: one call site, no unrolling */
    ids[i] = capture_here(NULL);
  REQUIRE(ids[0] && ids[0] == ids[1] && ids[1] == ids[2],
        "same stack, different ids %u %u %u", ids[0], ids[1], ids[2]);
  uint32_t other_line = capture_here(NULL);
  REQUIRE(other_line != ids[0], "different call sites share id %u", other_line);
  uint32_t a = capture_here(&site_a), b = capture_here(&site_b);
  REQUIRE(a != b && a != ids[0], "sites not part of the key (%u %u)", a, b);
  REQUIRE(lk_stack_get(a)->site == &site_a, "site not recorded");
  REQUIRE(lk_stack_get(0) == NULL && lk_stack_get(0xfffffff0u) == NULL,
        "bogus id resolved");

  const lk_stack *deep = lk_stack_get(recurse(40));
  uint32_t want = lk_flags.malloc_context_size;
  REQUIRE(deep->nframes == want, "deep stack: %u frames, expected %u",
        deep->nframes, want);
  REQUIRE(deep->frames[1] == deep->frames[2], "recursion frames differ");
  lk_flags.malloc_context_size = 1;
  REQUIRE(lk_stack_get(recurse(5))->nframes == 1, "malloc_context_size=1");
  lk_flags.malloc_context_size = 30;

  check_frame0();
  check_wrapper();

  pthread_t t;
  REQUIRE(!pthread_create(&t, NULL, thread_main, NULL), "pthread_create");
  pthread_join(t, NULL);
  printf("unit_rt_stack: ok\n");
  return 0;
}
