/*
 * Unit test of escapes and instrumented globals (runtime/escape.c,
 * roots.c, mark.c), with module descriptors built by hand as the pass
 * would emit them:
 *
 *  - __leakcc_escape: a listed callee sets *known and changes nothing; any
 *    other callee flags the heap block the pointer points into (start,
 *    interior, one past the end) LK_META_CONSERVATIVE, or makes the
 *    registered global it points into conservative; the function set keeps
 *    every address of a module listing thousands, and readers never miss a
 *    known function while other modules register (and the set grows);
 *  - lk_for_each_root: registered globals come as precise ranges, cut out of
 *    the conservative scan of their segment; an escaped one does not;
 *  - lk_mark_all(true): a heap address in a precise global counts only if
 *    its shadow records a reference; in an escaped global it always counts;
 *  - unloading: a descriptor whose object no longer holds it unchanged
 *    (faked by editing it) drops the object's ranges and functions.
 */
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "lk.h"

void *__leakcc_hook_malloc(size_t size, const struct __leakcc_site *site);
void __leakcc_register_module(const struct __leakcc_module *m);

static const struct __leakcc_site site = {"unit_rt_escape.c", "test", 1, 1};

/* Listed and unlisted functions (only their addresses matter). */
__attribute__((noinline)) void listed_fn(void) { __asm__ volatile(""); }
__attribute__((noinline)) void unlisted_fn(void) { __asm__ volatile(""); }

/* Stand-ins for thousands of function addresses of this object. */
#define MANY 5000
static const char code_like[MANY * 16] = {1};
static const void *many[MANY];

/* The registered globals.  Heap addresses stored in them are kept only as
 * ~address elsewhere, so that no other word refers to the blocks. */
static void *volatile g_precise[4];
static void *volatile g_escaped[2];
static volatile char g_odd[5]; /* not a multiple of the granule */

static const void *const fns_a[] = {(const void *)listed_fn};
static struct __leakcc_global globals_a[] = {
    {(void *)g_precise, sizeof g_precise},
    {(void *)g_escaped, sizeof g_escaped},
    {(void *)g_odd, sizeof g_odd},
    {(void *)g_precise, sizeof g_precise}, /* listed twice: merged */
};
/* Writable on purpose: editing it fakes the object being unloaded. */
static struct __leakcc_module desc_a = {
    LEAKCC_ABI_VERSION, 4, "a.c", globals_a, 1, fns_a};
static struct __leakcc_module desc_many = {LEAKCC_ABI_VERSION, 0, "many.c",
                                           NULL, MANY, many};

static uint8_t *shadow_of(const volatile void *p) {
  return (uint8_t *)LK_SHADOW_OF((uintptr_t)p);
}

static bool is_conservative(const void *p) {
  lk_meta *m;
  REQUIRE(lk_block_of((uintptr_t)p, &m), "%p is not a block", p);
  return m->flags & LK_META_CONSERVATIVE;
}

/* ------------------------------------------------------------ escapes */

static void escapes_of_blocks(void) {
  char *a = __leakcc_hook_malloc(40, &site);
  char *b = __leakcc_hook_malloc(40, &site);
  char *c = __leakcc_hook_malloc(24, &site);
  char *d = __leakcc_hook_malloc(24, &site);
  uint8_t known = 0;
  __leakcc_escape(&known, (const void *)listed_fn, a);
  CHECK(known == 1);
  CHECK(!is_conservative(a));
  __leakcc_escape(NULL, (const void *)listed_fn, a); /* NULL known: fine */
  CHECK(!is_conservative(a));

  known = 0;
  __leakcc_escape(&known, (const void *)unlisted_fn, a);
  CHECK(known == 0);
  CHECK(is_conservative(a));
  __leakcc_escape(&known, (const void *)unlisted_fn, a); /* idempotent */
  CHECK(is_conservative(a));
  __leakcc_escape(&known, (const void *)unlisted_fn, b + 33); /* interior */
  CHECK(is_conservative(b));
  __leakcc_escape(&known, (const void *)unlisted_fn, c + 24); /* one past */
  CHECK(is_conservative(c));
  CHECK(!is_conservative(d));
  __leakcc_escape(&known, NULL, NULL); /* nothing to do, no crash */
  CHECK(known == 0);

  /* What the block held as plain data may be overwritten with pointers by
   * the callee: its DATA bits go, other records stay. */
  memset(shadow_of(d), LEAKCC_SHADOW_DATA, 3);
  *shadow_of(d + 8) = LEAKCC_SHADOW_RAW;
  __leakcc_escape(&known, (const void *)unlisted_fn, d);
  CHECK(*shadow_of(d) == LEAKCC_SHADOW_UNKNOWN &&
        *shadow_of(d + 8) == LEAKCC_SHADOW_RAW &&
        *shadow_of(d + 16) == LEAKCC_SHADOW_UNKNOWN);
  /* An out-parameter on the stack, in a frame the pass did not see: a
   * window from it loses DATA.  Inline asm's writes likewise, without
   * making a block conservative. */
  uint64_t slot[4];
  memset(shadow_of(slot), LEAKCC_SHADOW_DATA, 4);
  __leakcc_escape(&known, (const void *)unlisted_fn, &slot[1]);
  CHECK(*shadow_of(&slot[0]) == LEAKCC_SHADOW_DATA &&
        *shadow_of(&slot[1]) == LEAKCC_SHADOW_UNKNOWN &&
        *shadow_of(&slot[3]) == LEAKCC_SHADOW_UNKNOWN);
  char *f = __leakcc_hook_malloc(24, &site);
  memset(shadow_of(f), LEAKCC_SHADOW_DATA, 3);
  __leakcc_unknown_write(f + 8);
  CHECK(!is_conservative(f) && *shadow_of(f) == LEAKCC_SHADOW_UNKNOWN &&
        *shadow_of(f + 16) == LEAKCC_SHADOW_UNKNOWN);
  free(f);
  /* A block returned to a caller without shadow (the caller token did not
   * match): escapes with no callee. */
  char *g = __leakcc_hook_malloc(24, &site);
  __leakcc_escape(NULL, NULL, g);
  CHECK(is_conservative(g));
  free(g);

  /* Freed and allocated again: the flag does not survive. */
  free(a);
  char *e = __leakcc_hook_malloc(40, &site);
  CHECK(!is_conservative(e));
  free(b);
  free(c);
  free(d);
  free(e);
}

static void many_functions(void) {
  for (size_t i = 0; i < MANY; i++)
    many[i] = code_like + 16 * i;
  __leakcc_register_module(&desc_many);
  size_t unknown = 0;
  for (size_t i = 0; i < MANY; i++) {
    uint8_t known = 0;
    __leakcc_escape(&known, many[i], NULL);
    unknown += known != 1;
  }
  CHECK(unknown == 0);
  uint8_t known = 0;
  __leakcc_escape(&known, code_like + 8, NULL); /* between two */
  CHECK(known == 0);
  known = 0;
  __leakcc_escape(&known, (const void *)listed_fn, NULL); /* still there */
  CHECK(known == 1);
}

/* Readers of the set while it grows: listed_fn must stay known. */
#define MORE_MODULES 8
#define MORE_EACH 4096
static const char more_code[MORE_MODULES * MORE_EACH] = {1};
static const void *more[MORE_MODULES][MORE_EACH];
static struct __leakcc_module more_desc[MORE_MODULES];
static volatile bool growing;

static void *read_while_growing(void *arg) {
  size_t *misses = arg;
  while (__atomic_load_n(&growing, __ATOMIC_ACQUIRE)) {
    uint8_t known = 0;
    __leakcc_escape(&known, (const void *)listed_fn, NULL);
    *misses += known != 1;
  }
  return NULL;
}

static void concurrent_growth(void) {
  pthread_t readers[2];
  size_t misses[2] = {0, 0};
  growing = true;
  for (int i = 0; i < 2; i++)
    REQUIRE(pthread_create(&readers[i], NULL, read_while_growing,
                           &misses[i]) == 0,
            "pthread_create");
  for (int m = 0; m < MORE_MODULES; m++) {
    for (int i = 0; i < MORE_EACH; i++)
      more[m][i] = more_code + m * MORE_EACH + i;
    more_desc[m] = (struct __leakcc_module){
        LEAKCC_ABI_VERSION, 0, "more.c", NULL, MORE_EACH, more[m]};
    __leakcc_register_module(&more_desc[m]);
  }
  __atomic_store_n(&growing, false, __ATOMIC_RELEASE);
  for (int i = 0; i < 2; i++)
    pthread_join(readers[i], NULL);
  CHECK(misses[0] == 0 && misses[1] == 0);
  size_t unknown = 0;
  for (int m = 0; m < MORE_MODULES; m++)
    for (int i = 0; i < MORE_EACH; i++) {
      uint8_t known = 0;
      __leakcc_escape(&known, more[m][i], NULL);
      unknown += known != 1;
    }
  CHECK(unknown == 0);
}

/* -------------------------------------------------------------- roots */

#define MAX_RANGES 4096
static struct range {
  uintptr_t lo, hi;
  bool precise;
} ranges[MAX_RANGES];
static size_t nranges;

static void collect(uintptr_t lo, uintptr_t hi, const char *what,
                    bool precise, void *arg) {
  if (nranges < MAX_RANGES)
    ranges[nranges++] = (struct range){lo, hi, precise};
}

static void collect_roots(void *arg) { lk_for_each_root(collect, NULL, true); }

static void snapshot_roots(void) {
  nranges = 0;
  lk_stop_the_world(collect_roots, NULL);
  REQUIRE(nranges < MAX_RANGES, "too many root ranges");
}

/* How [lo, hi) is covered: 'P' all by precise ranges, 'C' all by
 * conservative ones, 'M' mixed, '-' not at all. */
static char coverage(const volatile void *p, size_t size) {
  uintptr_t lo = (uintptr_t)p, hi = lo + size;
  size_t precise = 0, plain = 0;
  for (uintptr_t a = lo; a < hi; a++)
    for (size_t i = 0; i < nranges; i++)
      if (a >= ranges[i].lo && a < ranges[i].hi) {
        ranges[i].precise ? precise++ : plain++;
        break;
      }
  if (precise == size)
    return 'P';
  if (plain == size)
    return 'C';
  return precise + plain ? 'M' : '-';
}

static void root_ranges(void) {
  snapshot_roots();
  CHECK(coverage(g_precise, sizeof g_precise) == 'P');
  CHECK(coverage(g_escaped, sizeof g_escaped) == 'P');
  CHECK(coverage(g_odd, sizeof g_odd) == 'P');
  CHECK(coverage(&ranges, sizeof ranges) == 'C'); /* not registered */
  for (size_t i = 0; i < nranges; i++) /* no byte is scanned twice */
    for (size_t j = i + 1; j < nranges; j++)
      CHECK(ranges[i].hi <= ranges[j].lo || ranges[j].hi <= ranges[i].lo);

  __leakcc_escape(NULL, (const void *)unlisted_fn, (const void *)&g_escaped[1]);
  snapshot_roots();
  CHECK(coverage(g_precise, sizeof g_precise) == 'P');
  CHECK(coverage(g_escaped, sizeof g_escaped) == 'C');
}

/* ------------------------------------------------------------ marking */

static void mark_cb(void *arg) { lk_mark_all(true); }

static unsigned tag_of(uintptr_t enc) {
  lk_meta *m;
  REQUIRE(lk_block_of(~enc, &m), "block gone");
  return m->tag;
}

/* Marks precisely from globals and TLS only: the test's own frames may
 * hold stale copies of the addresses. */
static void mark_precisely(void) {
  lk_flags.use_stacks = lk_flags.use_registers = false;
  lk_alloc_lock_all();
  lk_stop_the_world(mark_cb, NULL);
  lk_alloc_unlock_all();
  lk_flags.use_stacks = lk_flags.use_registers = true;
}

__attribute__((noinline)) static uintptr_t new_block(void) {
  return ~(uintptr_t)__leakcc_hook_malloc(32, &site);
}

static void marking(void) {
  uintptr_t in_precise = new_block(), in_escaped = new_block();
  g_precise[2] = (void *)~in_precise; /* shadow DATA: not a reference */
  g_escaped[0] = (void *)~in_escaped;
  *shadow_of(&g_precise[2]) = LEAKCC_SHADOW_DATA;
  *shadow_of(&g_escaped[0]) = LEAKCC_SHADOW_DATA;
  mark_precisely();
  CHECK(tag_of(in_precise) == LK_TAG_UNMARKED);
  CHECK(tag_of(in_escaped) == LK_TAG_REACHABLE); /* conservative */
  *shadow_of(&g_precise[2]) = LEAKCC_SHADOW_RAW;
  mark_precisely();
  CHECK(tag_of(in_precise) == LK_TAG_REACHABLE);
  /* Nothing wrote it with shadow (UNKNOWN): scanned by its value. */
  *shadow_of(&g_precise[2]) = LEAKCC_SHADOW_UNKNOWN;
  mark_precisely();
  CHECK(tag_of(in_precise) == LK_TAG_REACHABLE);
  g_precise[2] = g_escaped[0] = NULL;
  free((void *)~in_precise);
  free((void *)~in_escaped);
}

/* ---------------------------------------------------------- unloading */

static const void *const fns_b[] = {(const void *)unlisted_fn};
static struct __leakcc_global globals_b[] = {
    {(void *)g_escaped, sizeof g_escaped}};
static const struct __leakcc_module desc_b = {
    LEAKCC_ABI_VERSION, 1, "b.c", globals_b, 1, fns_b};

static void unloading(void) {
  desc_a.name = "edited"; /* the object holding desc_a looks unloaded */
  snapshot_roots();
  CHECK(coverage(g_precise, sizeof g_precise) == 'C');
  CHECK(coverage(g_odd, sizeof g_odd) == 'C');
  uint8_t known = 0;
  __leakcc_escape(&known, (const void *)listed_fn, NULL);
  CHECK(known == 1); /* forgotten only at the next registration */

  /* A new registration in the "reloaded" object starts afresh: the old
   * ranges and functions are gone, its own are there. */
  __leakcc_register_module(&desc_b);
  known = 0;
  __leakcc_escape(&known, (const void *)listed_fn, NULL);
  CHECK(known == 0);
  known = 0;
  __leakcc_escape(&known, many[7], NULL);
  CHECK(known == 0);
  known = 0;
  __leakcc_escape(&known, (const void *)unlisted_fn, NULL);
  CHECK(known == 1);
  snapshot_roots();
  CHECK(coverage(g_precise, sizeof g_precise) == 'C');
  CHECK(coverage(g_escaped, sizeof g_escaped) == 'P'); /* not escaped yet */
}

int main(void) {
  lk_init();
  lk_flags.mode = "precise"; /* the default, set here explicitly */
  if (!lk_precise_enabled()) {
    fprintf(stderr, "SKIP: the shadow could not be reserved\n");
    return 0;
  }
  __leakcc_register_module(&desc_a);
  escapes_of_blocks();
  many_functions();
  concurrent_growth();
  root_ranges();
  marking();
  unloading();
  if (failures)
    fprintf(stderr, "%d failure(s)\n", failures);
  return failures != 0;
}
