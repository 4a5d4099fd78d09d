/*
 * Unit test of the shadow operations and the precise scanner
 * (runtime/precise.c): __leakcc_shadow_copy / __leakcc_shadow_clear
 * semantics (overlapping memmove in both directions, unaligned and
 * mutually misaligned ranges, ranges straddling granules), the allocator's
 * lk_shadow_clear_range / lk_shadow_move, lk_shadow_forget_data, and
 * lk_precise_scan visiting exactly the RAW and UNKNOWN words (DATA words
 * hold no reference; with encoded_only, neither kind).
 *
 * Works on a private anonymous mapping (in HighMem) whose shadow is set by
 * hand, so that nothing else in the process writes it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "lk.h"

#define NONE LEAKCC_SHADOW_UNKNOWN
#define RAW LEAKCC_SHADOW_RAW
#define DATA LEAKCC_SHADOW_DATA
#define WORDS 64

static int failures;
static uintptr_t arena; /* WORDS granules, 8-aligned */

static uint8_t *shadow_of(uintptr_t a) {
  return (uint8_t *)((a >> LEAKCC_SHADOW_SHIFT) + LEAKCC_SHADOW_OFFSET);
}

/* Sets the shadow of granules [0, WORDS) from a string: '.' UNKNOWN,
 * 'R' RAW, 'D' DATA. */
static void set(const char *pattern) {
  for (size_t g = 0; g < WORDS; g++)
    *shadow_of(arena + 8 * g) = pattern[g] == 'R'   ? RAW
                                : pattern[g] == 'D' ? DATA
                                                    : NONE;
}

/* Checks the first strlen(want) granules against a pattern as for set(). */
static void expect(int line, const char *want) {
  char got[WORDS + 1] = {0};
  for (size_t g = 0; g < strlen(want); g++) {
    uint8_t s = *shadow_of(arena + 8 * g);
    got[g] = s == RAW ? 'R' : s == NONE ? '.' : s == DATA ? 'D' : '?';
  }
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "FAIL line %d: shadow %s, expected %s\n", line, got, want);
    failures++;
  }
}
#define EXPECT(want) expect(__LINE__, want)

static uintptr_t at(size_t granule, size_t byte) {
  return arena + 8 * granule + byte;
}

static void test_clear(void) {
  set("RRRRRRRR");
  __leakcc_shadow_clear((void *)at(1, 0), 16); /* whole granules */
  EXPECT("R..RRRRR");
  set("RRRRRRRR");
  __leakcc_shadow_clear((void *)at(1, 4), 9); /* straddles 1..2 */
  EXPECT("R..RRRRR");
  set("RRRRRRRR");
  __leakcc_shadow_clear((void *)at(3, 7), 1); /* one byte */
  EXPECT("RRR.RRRR");
  set("RRRRRRRR");
  __leakcc_shadow_clear((void *)at(3, 7), 0); /* nothing */
  EXPECT("RRRRRRRR");
  set("RRRRRRRR");
  lk_shadow_clear_range(at(4, 1), at(6, 1)); /* granules 4, 5 and 6 */
  EXPECT("RRRR...R");
}

static void test_copy(void) {
  /* Aligned, disjoint. */
  set("R.R.....");
  __leakcc_shadow_copy((void *)at(4, 0), (void *)at(0, 0), 24);
  EXPECT("R.R.R.R.");
  /* Overlapping, forward (dst above src), as memmove. */
  set("RR.R....");
  __leakcc_shadow_copy((void *)at(1, 0), (void *)at(0, 0), 32);
  EXPECT("RRR.R...");
  /* Overlapping, backward (dst below src). */
  set(".RR.R...");
  __leakcc_shadow_copy((void *)at(0, 0), (void *)at(1, 0), 32);
  EXPECT("RR.RR...");
  /* Same offset within the granule, unaligned ends: full granules copy,
   * partly written ones become NONE. */
  set("RRRR....RRRR");
  __leakcc_shadow_copy((void *)at(8, 4), (void *)at(0, 4), 24);
  EXPECT("RRRR.....RR.");
  /* Mutually misaligned: every word is split, so nothing is a pointer. */
  set("RRRR....RRRR");
  __leakcc_shadow_copy((void *)at(8, 0), (void *)at(0, 4), 24);
  EXPECT("RRRR.......R");
  /* Shorter than a granule, inside one: partial write. */
  set("RRRRRRRR");
  __leakcc_shadow_copy((void *)at(2, 2), (void *)at(5, 2), 4);
  EXPECT("RR.RRRRR");
  /* Zero length touches nothing. */
  set("R.......");
  __leakcc_shadow_copy((void *)at(1, 0), (void *)at(0, 0), 0);
  EXPECT("R.......");
  /* A source without shadow (the ShadowGap's neighbourhood is not
   * application memory) clears the destination. */
  set("RRRR");
  __leakcc_shadow_copy((void *)at(0, 0), (void *)0x00008fff7000ULL, 16);
  EXPECT("..RR");
}

static void test_move(void) {
  set("RR.R....");
  lk_shadow_move(at(4, 0), at(0, 0), 32); /* realloc to a disjoint block */
  EXPECT("....RR.R");
  set("RR.R....");
  lk_shadow_move(at(2, 0), at(0, 0), 32); /* overlapping: source tail kept */
  EXPECT("..RR.R..");
  set("RR.R....");
  lk_shadow_move(at(0, 0), at(0, 0), 32); /* in place */
  EXPECT("RR.R....");
}

static uintptr_t seen[WORDS];
static size_t num_seen;

static void found(uintptr_t value, void *arg) {
  if (num_seen < WORDS)
    seen[num_seen] = value;
  num_seen++;
  (*(int *)arg)++;
}

/* Memory handed to code without shadow: DATA becomes UNKNOWN, every other
 * record stays, over every granule the range touches. */
static void test_forget_data(void) {
  set("DRDD.DDD");
  *shadow_of(at(3, 0)) = DATA | LEAKCC_SHADOW_SIDE;
  lk_shadow_forget_data(at(0, 0), at(3, 1));
  if (*shadow_of(at(3, 0)) != LEAKCC_SHADOW_SIDE) {
    fprintf(stderr, "FAIL: forget_data kept DATA beside SIDE\n");
    failures++;
  }
  *shadow_of(at(3, 0)) = DATA;
  EXPECT(".R.D.DDD");
  __leakcc_shadow_unknown((void *)at(5, 7), 2); /* granules 5..6 */
  EXPECT(".R.D...D");
}

static void test_scan(void) {
  uintptr_t *words = (uintptr_t *)arena;
  for (size_t g = 0; g < WORDS; g++)
    words[g] = 0x1000 + g;
  /* RAW bytes at granules 0, 9, 17 and 63, UNKNOWN at 10; the run of DATA
   * between exercises the word-at-a-time skip. */
  char pattern[WORDS + 1];
  memset(pattern, 'D', WORDS);
  pattern[WORDS] = 0;
  pattern[0] = pattern[9] = pattern[17] = pattern[63] = 'R';
  pattern[10] = '.';
  set(pattern);
  int calls = 0;
  num_seen = 0;
  lk_precise_scan(arena, arena + 8 * WORDS, found, &calls, false);
  uintptr_t want[] = {0x1000, 0x1009, 0x100a, 0x1011, 0x103f};
  if (num_seen != 5 || calls != 5 || memcmp(seen, want, sizeof want) != 0) {
    fprintf(stderr, "FAIL: scan visited %zu words:", num_seen);
    for (size_t i = 0; i < num_seen && i < WORDS; i++)
      fprintf(stderr, " %#zx", (size_t)seen[i]);
    fprintf(stderr, "\n");
    failures++;
  }
  /* encoded_only (the caller scans the words by value itself): neither RAW
   * nor UNKNOWN words. */
  num_seen = 0;
  lk_precise_scan(arena, arena + 8 * WORDS, found, &calls, true);
  if (num_seen != 0) {
    fprintf(stderr, "FAIL: encoded-only scan visited %zu words\n", num_seen);
    failures++;
  }
  /* Unaligned bounds visit only whole granules inside them. */
  num_seen = 0;
  lk_precise_scan(at(9, 1), at(17, 7), found, &calls, false);
  if (num_seen != 1 || seen[0] != 0x100a) {
    fprintf(stderr, "FAIL: unaligned scan visited %zu words\n", num_seen);
    failures++;
  }
  /* A value changed after the store is reported as it is now. */
  words[17] = 0xabc;
  num_seen = 0;
  lk_precise_scan(at(17, 0), at(18, 0), found, &calls, false);
  if (num_seen != 1 || seen[0] != 0xabc) {
    fprintf(stderr, "FAIL: scan did not report the current value\n");
    failures++;
  }
  /* Ranges without shadow visit nothing and do not fault. */
  num_seen = 0;
  lk_precise_scan(0x00008fff7000ULL, 0x00008fff8000ULL, found, &calls, false);
  if (num_seen != 0) {
    fprintf(stderr, "FAIL: scan outside the application ranges\n");
    failures++;
  }
}

int main(void) {
  lk_init();
  lk_flags.mode = "precise"; /* the default, set here explicitly */
  if (!lk_shadow_reserved()) {
    fprintf(stderr, "SKIP: the shadow could not be reserved\n");
    return lk_precise_enabled() ? 1 : 0;
  }
  if (!lk_precise_enabled()) {
    fprintf(stderr, "FAIL: mode=precise with shadow is not enabled\n");
    failures++;
  }
  void *m = mmap(NULL, 8 * WORDS, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  arena = (uintptr_t)m;
  test_clear();
  test_copy();
  test_move();
  test_forget_data();
  test_scan();
  lk_flags.mode = "conservative";
  if (lk_precise_enabled()) {
    fprintf(stderr, "FAIL: mode=conservative still precise\n");
    failures++;
  }
  if (failures)
    fprintf(stderr, "%d failure(s)\n", failures);
  return failures != 0;
}
