/*
 * Unit test of the side table and the provenance channel (runtime/side.c)
 * and of their use by the shadow copy and the precise scanner
 * (runtime/precise.c):
 *
 *  - __leakcc_side_store: SIDE entries (aligned, unaligned across two
 *    granules, 4-byte halves), which count only while memory holds their
 *    value (and, across granules, while the second granule is SIDE); stores
 *    that need no entry (value 0, no base, an XOR base given twice, RAW and
 *    MASKED pointers in aligned words); partial stores keeping only SIDE;
 *  - __leakcc_side_derive and __leakcc_chan_derive: the bases of a loaded
 *    word from its RAW, MASK or SIDE shadow (an entry overlapping the word
 *    counts), an extra base, COPY keeping the source's kind;
 *  - __leakcc_shadow_copy: entries follow aligned copies, overlapping moves
 *    in both directions included; misaligned copies make RAW and MASK words
 *    UNALIGNED entries and move entries with their bytes; a copy of part of
 *    an entry copies no entry;
 *  - eviction (a granule keeps its newest entries), table growth, and a
 *    table that stays small while entries keep dying;
 *  - lk_precise_refs: the target and LK_HOW_* of RAW, MASK and SIDE words.
 *
 * Works on a private anonymous mapping (in HighMem) whose shadow only this
 * test writes.  Block addresses ("bases") are plain numbers: the side table
 * reports them without resolving them to blocks.  Each test takes fresh
 * granules (fresh()), so entries earlier tests left in the table, which is
 * never emptied, cannot match.  Checks under a "Regression" comment cover
 * bugs this test found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "lk.h"

/* The compiler hooks (abi.h gives their signatures in prose). */
void __leakcc_side_store(void *addr, uint64_t value, uint64_t how,
                         const void *base, const void *base2);
void __leakcc_side_derive(void *addr, uint64_t value, uint64_t how,
                          const void *src, uint64_t srcval, const void *base);
void __leakcc_chan_derive(struct __leakcc_chan *slot, uint64_t value,
                          uint64_t how, const void *src, uint64_t srcval,
                          const void *base);

#define HOW(width, kind) LEAKCC_SIDE_HOW(width, kind)
/* __leakcc_side_derive's HOW carries the source's shadow in bits 16-23. */
#define FROM(sh) ((uint64_t)(sh) << 16)
#define SIDE_HOW(kind) (LK_HOW_SIDE + LEAKCC_SIDE_##kind)

/* NONE: plain data (what a store that holds no reference leaves); SIDE8:
 * a granule an aligned 8-byte entry covers exactly (its value is no raw
 * pointer); SIDE: one an entry covers in part. */
#define NONE LEAKCC_SHADOW_DATA
#define UNKNOWN LEAKCC_SHADOW_UNKNOWN
#define RAW LEAKCC_SHADOW_RAW
#define MASK LEAKCC_SHADOW_MASK
#define SIDE LEAKCC_SHADOW_SIDE
#define SIDE8 (LEAKCC_SHADOW_SIDE | LEAKCC_SHADOW_DATA)

#define ARENA_GRANULES (64u * 1024)
#define GROWTH_ENTRIES 700 /* > INITIAL_CAP / 2 of side.c: forces a growth */
#define MAX_REFS 16

/* Stand-ins for block addresses (never dereferenced) and a NaN-box tag. */
#define P(i) ((uintptr_t)0x7e5a00000000 + ((uintptr_t)(i) << 8))
#define TAG 0xfff9000000000000ull

static uintptr_t arena, arena_next, arena_end;

static uint8_t *shadow_of(uintptr_t a) { return (uint8_t *)LK_SHADOW_OF(a); }

/* N granules no earlier call returned, 8-aligned, with an untouched guard
 * granule on each side (so unaligned entries never reach a neighbour); all
 * plain data (DATA), as a freed chunk's are. */
static uintptr_t fresh(size_t n) {
  uintptr_t a = arena_next + 8;
  REQUIRE(a + 8 * (n + 1) <= arena_end, "arena exhausted (%zu granules)", n);
  arena_next = a + 8 * n;
  memset(shadow_of(a - 8), LEAKCC_SHADOW_DATA, n + 2);
  return a;
}

static uint8_t sh(uintptr_t a) { return *shadow_of(a); }

static void put64(uintptr_t a, uint64_t v) { memcpy((void *)a, &v, 8); }
static void put32(uintptr_t a, uint32_t v) { memcpy((void *)a, &v, 4); }
static uint64_t get64(uintptr_t a) {
  uint64_t v;
  memcpy(&v, (const void *)a, 8);
  return v;
}

/* A side store as instrumented code does it: the hook, then the store. */
static void store8(uintptr_t a, uint64_t v, unsigned kind, uintptr_t b1,
                   uintptr_t b2) {
  __leakcc_side_store((void *)a, v, HOW(8, kind), (const void *)b1,
                      (const void *)b2);
  put64(a, v);
}

static void store4(uintptr_t a, uint32_t v, unsigned kind, uintptr_t b1) {
  __leakcc_side_store((void *)a, v, HOW(4, kind), (const void *)b1, NULL);
  put32(a, v);
}

/* A derived store: the hook, then the store. */
static void derive(uintptr_t a, uint64_t v, unsigned width, unsigned kind,
                   uint8_t src_shadow, uintptr_t src, uint64_t srcval,
                   uintptr_t base) {
  __leakcc_side_derive((void *)a, v, HOW(width, kind) | FROM(src_shadow),
                       (const void *)src, srcval, (const void *)base);
  if (width == 8)
    put64(a, v);
  else
    put32(a, (uint32_t)v);
}

/* memmove with its shadow, in the order instrumented code uses. */
static void move(uintptr_t d, uintptr_t s, size_t n) {
  __leakcc_shadow_copy((void *)d, (const void *)s, n);
  memmove((void *)d, (const void *)s, n);
}

/* ------------------------------------------------------- references seen */

struct ref {
  uintptr_t where, target;
  unsigned how;
};
static struct ref refs[MAX_REFS];
static size_t num_refs;
/* Words scanned by their value because nothing classified them (UNKNOWN,
 * or SIDE without DATA: part of an unaligned entry): counted apart, so that
 * refs holds what shadow and side entries record. */
static size_t num_unknown;
static struct ref last_unknown;

static void collect(uintptr_t where, uintptr_t target, unsigned how, void *arg) {
  (void)arg;
  if (how == LK_HOW_UNKNOWN) {
    num_unknown++;
    last_unknown = (struct ref){where, target, how};
    return;
  }
  if (num_refs < MAX_REFS)
    refs[num_refs] = (struct ref){where, target, how};
  num_refs++;
}

/* lk_side_refs of granule G; returns the number of references. */
static size_t side_refs(uintptr_t g) {
  num_refs = 0;
  lk_side_refs(g, collect, NULL);
  return num_refs;
}

/* lk_precise_refs of [lo, hi); returns the number of references. */
static size_t precise_refs(uintptr_t lo, uintptr_t hi) {
  num_refs = num_unknown = 0;
  lk_precise_refs(lo, hi, collect, NULL, false);
  return num_refs;
}

/* Whether the last collection saw this reference. */
static bool seen(uintptr_t where, uintptr_t target, unsigned how) {
  for (size_t i = 0; i < num_refs && i < MAX_REFS; i++)
    if (refs[i].where == where && refs[i].target == target && refs[i].how == how)
      return true;
  return false;
}

/* Exactly one reference, this one. */
static bool only(uintptr_t where, uintptr_t target, unsigned how) {
  return num_refs == 1 && seen(where, target, how);
}

/* -------------------------------------------------------------- stores */

static void test_store_aligned(void) {
  uintptr_t a = fresh(1);
  uint64_t v = P(1) ^ 0x5555aaaa5555aaaaull;
  store8(a, v, LEAKCC_SIDE_XOR, P(1), 0);
  CHECK(sh(a) == SIDE8);
  CHECK(side_refs(a) == 1 && only(a, P(1), SIDE_HOW(XOR)));
  /* Memory no longer holds the value: the entry is dead; again: alive. */
  put64(a, v + 1);
  CHECK(side_refs(a) == 0);
  put64(a, v);
  CHECK(side_refs(a) == 1);
  /* Two bases, both reported; a base given twice (not XOR) counts once.
   * An offset p - q leads back to p only. */
  uintptr_t b = fresh(1), c = fresh(1);
  store8(b, P(2) ^ P(3), LEAKCC_SIDE_OTHER, P(2), P(3));
  CHECK(side_refs(b) == 2 && seen(b, P(2), SIDE_HOW(OTHER)) &&
        seen(b, P(3), SIDE_HOW(OTHER)));
  uintptr_t o = fresh(1);
  store8(o, P(2) - P(3), LEAKCC_SIDE_OFFSET, P(2), P(3));
  CHECK(side_refs(o) == 1 && only(o, P(2), SIDE_HOW(OFFSET)));
  store8(c, P(4) - 1, LEAKCC_SIDE_BELOW, P(4), P(4));
  CHECK(side_refs(c) == 1 && only(c, P(4), SIDE_HOW(BELOW)));
}

static void test_store_no_entry(void) {
  /* Value 0 refers to nothing, whatever its bases. */
  uintptr_t a = fresh(1);
  *shadow_of(a) = RAW;
  store8(a, 0, LEAKCC_SIDE_XOR, P(5), 0);
  CHECK(sh(a) == NONE);
  /* The difference of two pointers into one heap block is a length, no
   * reference; a pointer "below" its block that lies inside it is raw. */
  char *blk = malloc(64);
  REQUIRE(blk, "malloc failed");
  uintptr_t len = fresh(1), in = fresh(1);
  store8(len, 40, LEAKCC_SIDE_OFFSET, (uintptr_t)blk + 40, (uintptr_t)blk);
  CHECK(sh(len) == NONE && side_refs(len) == 0);
  store8(in, (uintptr_t)blk + 8, LEAKCC_SIDE_BELOW, (uintptr_t)blk + 16, 0);
  CHECK(sh(in) == RAW);
  /* Other arithmetic on two pointers into one block: a length (no entry),
   * or a raw pointer when it lands in the block; XOR keeps its entry. */
  uintptr_t other = fresh(1), back = fresh(1), x = fresh(1);
  store8(other, 12, LEAKCC_SIDE_BELOW, (uintptr_t)blk + 9, (uintptr_t)blk);
  CHECK(sh(other) == NONE && side_refs(other) == 0);
  store8(back, (uintptr_t)blk + 24, LEAKCC_SIDE_OTHER, (uintptr_t)blk + 9,
         (uintptr_t)blk);
  CHECK(sh(back) == RAW);
  store8(x, ((uintptr_t)blk + 8) ^ ((uintptr_t)blk + 32), LEAKCC_SIDE_XOR,
         (uintptr_t)blk + 8, (uintptr_t)blk + 32);
  CHECK(sh(x) == SIDE8 && side_refs(x) == 2);
  free(blk);
  /* No base known (a channel that had nothing): the word may still be a
   * pointer, scanned by its value. */
  store8(a, 0x1234, LEAKCC_SIDE_OTHER, 0, 0);
  CHECK(sh(a) == UNKNOWN && side_refs(a) == 0);
  /* A SIDE granule overwritten whole by a store without entry. */
  store8(a, P(5) ^ 1, LEAKCC_SIDE_XOR, P(5), 0);
  CHECK(sh(a) == SIDE8);
  store8(a, 77, LEAKCC_SIDE_OTHER, 0, 0);
  CHECK(sh(a) == UNKNOWN);
  /* XOR with the same pointer twice cancels (p ^ p ^ key is the key). */
  uintptr_t b = fresh(1);
  store8(b, 0xdeadbeef, LEAKCC_SIDE_XOR, P(6), P(6));
  CHECK(sh(b) == NONE && side_refs(b) == 0);
  /* A width other than 4 or 8 is ignored. */
  *shadow_of(b) = RAW;
  __leakcc_side_store((void *)b, P(6), HOW(2, LEAKCC_SIDE_PART), (void *)P(6),
                      NULL);
  CHECK(sh(b) == RAW);
}

static void test_store_raw_masked(void) {
  /* A raw pointer in an aligned word: RAW, no entry. */
  uintptr_t a = fresh(1);
  store8(a, P(7), LEAKCC_SIDE_RAW, P(7), 0);
  CHECK(sh(a) == RAW && side_refs(a) == 0);
  /* A tagged pointer whose base is the value's low 48 bits: MASK. */
  uintptr_t b = fresh(1);
  store8(b, TAG | P(8), LEAKCC_SIDE_MASKED, P(8), 0);
  CHECK(sh(b) == MASK && side_refs(b) == 0);
  /* RAW whose base is not the value (an aligned word): an OTHER entry. */
  uintptr_t c = fresh(1);
  store8(c, P(9) + 0x1000, LEAKCC_SIDE_RAW, P(9), 0);
  CHECK(sh(c) == SIDE8 && side_refs(c) == 1 && only(c, P(9), SIDE_HOW(OTHER)));
  /* MASKED at an unaligned address: an UNALIGNED entry. */
  uintptr_t d = fresh(2);
  store8(d + 3, TAG | P(10), LEAKCC_SIDE_MASKED, P(10), 0);
  CHECK(sh(d) == SIDE && sh(d + 8) == SIDE);
  CHECK(side_refs(d) == 1 && only(d + 3, P(10), SIDE_HOW(UNALIGNED)));
}

static void test_store_unaligned(void) {
  /* An 8-byte pointer at +4 spans two granules, both SIDE; the entry is
   * found from the first. */
  uintptr_t a = fresh(2);
  store8(a + 4, P(11), LEAKCC_SIDE_RAW, P(11), 0);
  CHECK(sh(a) == SIDE && sh(a + 8) == SIDE);
  CHECK(side_refs(a) == 1 && only(a + 4, P(11), SIDE_HOW(UNALIGNED)));
  CHECK(side_refs(a + 8) == 0);
  /* The two words are scanned by their value too (UNKNOWN besides SIDE). */
  CHECK(precise_refs(a, a + 16) == 1 && only(a + 4, P(11), SIDE_HOW(UNALIGNED)));
  CHECK(num_unknown == 2);
  /* The second granule rewritten (its shadow is no longer SIDE, even with
   * the same bytes): dead.  SIDE again: alive. */
  *shadow_of(a + 8) = RAW;
  CHECK(side_refs(a) == 0);
  *shadow_of(a + 8) = NONE;
  CHECK(side_refs(a) == 0);
  *shadow_of(a + 8) = SIDE;
  CHECK(side_refs(a) == 1);
  /* A byte of the second granule changed: dead. */
  ((volatile uint8_t *)a)[9] ^= 1;
  CHECK(side_refs(a) == 0);
}

static void test_store_halves(void) {
  /* Two 4-byte entries in one granule, found independently. */
  uintptr_t a = fresh(1);
  store4(a, (uint32_t)P(12), LEAKCC_SIDE_PART, P(12));
  store4(a + 4, (uint32_t)(P(13) >> 32), LEAKCC_SIDE_PART, P(13));
  CHECK(sh(a) == SIDE);
  CHECK(side_refs(a) == 2 && seen(a, P(12), SIDE_HOW(PART)) &&
        seen(a + 4, P(13), SIDE_HOW(PART)));
  put32(a + 4, 0x99);
  CHECK(side_refs(a) == 1 && only(a, P(12), SIDE_HOW(PART)));
  put32(a, 0x98);
  CHECK(side_refs(a) == 0);
  put32(a + 4, (uint32_t)(P(13) >> 32));
  CHECK(side_refs(a) == 1 && only(a + 4, P(13), SIDE_HOW(PART)));
}

/* A store that writes part of a granule keeps only its SIDE bit
 * (LEAKCC_SHADOW_PARTIAL_KEEP): the other half may hold a 4-byte entry. */
static void test_partial(void) {
  uintptr_t a = fresh(1);
  store4(a, (uint32_t)P(14), LEAKCC_SIDE_OFFSET, P(14));
  store4(a + 4, 0x4444, LEAKCC_SIDE_OTHER, 0); /* no entry */
  CHECK(sh(a) == SIDE);
  CHECK(side_refs(a) == 1 && only(a, P(14), SIDE_HOW(OFFSET)));
  /* RAW and MASK do not survive a partial store. */
  uintptr_t b = fresh(2);
  *shadow_of(b) = RAW;
  *shadow_of(b + 8) = MASK;
  store4(b + 4, 0, LEAKCC_SIDE_OTHER, P(15));
  store4(b + 8, 0, LEAKCC_SIDE_OTHER, P(15));
  CHECK(sh(b) == UNKNOWN && sh(b + 8) == UNKNOWN);
  /* Zeros into half of a DATA word: DATA (plain data both halves). */
  uintptr_t e = fresh(1);
  store4(e, 0, LEAKCC_SIDE_OTHER, P(15));
  CHECK(sh(e) == NONE);
  /* An 8-byte store without entry straddling two granules: each keeps only
   * its SIDE bit. */
  uintptr_t c = fresh(2);
  *shadow_of(c) = RAW;
  *shadow_of(c + 8) = SIDE;
  store8(c + 4, 0, LEAKCC_SIDE_OTHER, P(15), 0);
  CHECK(sh(c) == UNKNOWN && sh(c + 8) == SIDE);
  /* A 4-byte entry in a RAW granule makes it SIDE. */
  uintptr_t d = fresh(1);
  *shadow_of(d) = RAW;
  store4(d + 4, 0x10, LEAKCC_SIDE_OFFSET, P(16));
  CHECK(sh(d) == SIDE && side_refs(d) == 1 && only(d + 4, P(16), SIDE_HOW(OFFSET)));
}

/* -------------------------------------------------------------- derive */

static void test_derive(void) {
  /* Sources: a RAW word, a MASK word and an XOR entry. */
  uintptr_t src = fresh(3);
  put64(src, P(20));
  *shadow_of(src) = RAW;
  put64(src + 8, TAG | P(21));
  *shadow_of(src + 8) = MASK;
  uint64_t x = P(22) ^ 0x0f0f0f0f0f0full;
  store8(src + 16, x, LEAKCC_SIDE_XOR, P(22), 0);

  uintptr_t d = fresh(12);
  /* From RAW. */
  derive(d, P(20) + 0x40000, 8, LEAKCC_SIDE_OFFSET, RAW, src, P(20), 0);
  CHECK(sh(d) == SIDE8 && side_refs(d) == 1 && only(d, P(20), SIDE_HOW(OFFSET)));
  /* From MASK: the low 48 bits. */
  derive(d + 8, (TAG | P(21)) >> 3, 8, LEAKCC_SIDE_OTHER, MASK, src + 8,
         TAG | P(21), 0);
  CHECK(side_refs(d + 8) == 1 && only(d + 8, P(21), SIDE_HOW(OTHER)));
  /* From SIDE: the entry's base. */
  derive(d + 16, x ^ 0xff, 8, LEAKCC_SIDE_XOR, SIDE, src + 16, x, 0);
  CHECK(side_refs(d + 16) == 1 && only(d + 16, P(22), SIDE_HOW(XOR)));
  /* A stale source value (not what the entry holds) has no base: code
   * without shadow may have written it, so it is scanned by its value. */
  derive(d + 24, x ^ 0xff, 8, LEAKCC_SIDE_XOR, SIDE, src + 16, x + 8, 0);
  CHECK(sh(d + 24) == UNKNOWN);
  /* An extra base: both. */
  derive(d + 32, P(20) ^ P(23), 8, LEAKCC_SIDE_XOR, RAW, src, P(20), P(23));
  CHECK(side_refs(d + 32) == 2 && seen(d + 32, P(20), SIDE_HOW(XOR)) &&
        seen(d + 32, P(23), SIDE_HOW(XOR)));
  /* XOR with the pointer the source was encoded with: the key, no ref. */
  derive(d + 40, x ^ P(22), 8, LEAKCC_SIDE_XOR, SIDE, src + 16, x, P(22));
  CHECK(sh(d + 40) == NONE);
  /* RAW at an unaligned source address: bytes of two words, no base. */
  derive(d + 48, P(20), 8, LEAKCC_SIDE_OTHER, RAW, src + 4, P(20), 0);
  CHECK(sh(d + 48) == UNKNOWN);

  /* COPY keeps the source's kind: XOR from the entry; RAW and MASK to an
   * aligned word become the shadow byte, RAW to an unaligned one an
   * UNALIGNED entry. */
  derive(d + 56, x, 8, LEAKCC_SIDE_COPY, SIDE, src + 16, x, 0);
  CHECK(side_refs(d + 56) == 1 && only(d + 56, P(22), SIDE_HOW(XOR)));
  derive(d + 64, P(20), 8, LEAKCC_SIDE_COPY, RAW, src, P(20), 0);
  CHECK(sh(d + 64) == RAW && side_refs(d + 64) == 0);
  derive(d + 72, TAG | P(21), 8, LEAKCC_SIDE_COPY, MASK, src + 8, TAG | P(21), 0);
  CHECK(sh(d + 72) == MASK && side_refs(d + 72) == 0);
  derive(d + 84, P(20), 8, LEAKCC_SIDE_COPY, RAW, src, P(20), 0);
  CHECK(sh(d + 80) == SIDE && sh(d + 88) == SIDE);
  CHECK(side_refs(d + 80) == 1 && only(d + 84, P(20), SIDE_HOW(UNALIGNED)));
  /* COPY of another value, or with a base of its own: OTHER. */
  uintptr_t e = fresh(2);
  derive(e, x + 1, 8, LEAKCC_SIDE_COPY, SIDE, src + 16, x, 0);
  CHECK(side_refs(e) == 1 && only(e, P(22), SIDE_HOW(OTHER)));
  derive(e + 8, x, 8, LEAKCC_SIDE_COPY, SIDE, src + 16, x, P(24));
  CHECK(side_refs(e + 8) == 2 && seen(e + 8, P(22), SIDE_HOW(OTHER)) &&
        seen(e + 8, P(24), SIDE_HOW(OTHER)));
}

/* A word that overlaps an entry and agrees with it on the shared bytes
 * refers to the entry's blocks (a word holding half of an unaligned
 * pointer); an exact 4-byte entry keeps its kind. */
static void test_derive_overlap(void) {
  uintptr_t s = fresh(2);
  uint64_t u = P(25) | 0x0102ull << 48; /* distinct high bytes */
  store8(s + 4, u, LEAKCC_SIDE_UNALIGNED, P(25), 0);
  put32(s, 0xaaaaaaaa);
  put32(s + 12, 0xbbbbbbbb);
  uint64_t lo = get64(s), hi = get64(s + 8);
  uintptr_t d = fresh(4);
  derive(d, hi, 8, LEAKCC_SIDE_COPY, SIDE, s + 8, hi, 0);
  CHECK(side_refs(d) == 1 && only(d, P(25), SIDE_HOW(PART)));
  derive(d + 8, lo, 8, LEAKCC_SIDE_COPY, SIDE, s, lo, 0);
  CHECK(side_refs(d + 8) == 1 && only(d + 8, P(25), SIDE_HOW(PART)));
  /* Disagreeing on a shared byte: no base. */
  derive(d + 16, hi ^ 0x100, 8, LEAKCC_SIDE_COPY, SIDE, s + 8, hi ^ 0x100, 0);
  CHECK(sh(d + 16) == UNKNOWN);
  /* The exact unaligned entry read whole keeps its kind. */
  uintptr_t e = fresh(2);
  derive(e + 4, u, 8, LEAKCC_SIDE_COPY, SIDE, s + 4, u, 0);
  CHECK(side_refs(e) == 1 && only(e + 4, P(25), SIDE_HOW(UNALIGNED)));
  /* A 4-byte entry read exactly. */
  uintptr_t h = fresh(1);
  store4(h + 4, 0x7777, LEAKCC_SIDE_OFFSET, P(26));
  derive(d + 24, 0x7777, 4, LEAKCC_SIDE_COPY, SIDE, h + 4, 0x7777, 0);
  CHECK(side_refs(d + 24) == 1 && only(d + 24, P(26), SIDE_HOW(OFFSET)));
}

static void test_chan_derive(void) {
  uintptr_t src = fresh(3);
  put64(src, P(30));
  *shadow_of(src) = RAW;
  put64(src + 8, TAG | P(31));
  *shadow_of(src + 8) = MASK;
  uint64_t x = P(32) ^ 0x3c3c3c3cull;
  store8(src + 16, x, LEAKCC_SIDE_XOR, P(32), 0);
  struct __leakcc_chan *slot = &__leakcc_chan[1];

  *slot = (struct __leakcc_chan){1, (void *)1, (void *)1, 1};
  __leakcc_chan_derive(slot, P(30) + 8, HOW(8, LEAKCC_SIDE_OFFSET) | FROM(RAW),
                       (void *)src, P(30), NULL);
  CHECK(slot->value == P(30) + 8 && slot->base == (void *)P(30) &&
        slot->base2 == NULL && slot->kind == LEAKCC_SIDE_OFFSET);
  /* COPY from an entry: its kind and base. */
  __leakcc_chan_derive(slot, x, HOW(8, LEAKCC_SIDE_COPY) | FROM(SIDE),
                       (void *)(src + 16), x, NULL);
  CHECK(slot->value == x && slot->base == (void *)P(32) &&
        slot->base2 == NULL && slot->kind == LEAKCC_SIDE_XOR);
  /* An extra base and a MASK source. */
  __leakcc_chan_derive(slot, 5, HOW(8, LEAKCC_SIDE_OTHER) | FROM(MASK),
                       (void *)(src + 8), TAG | P(31), (void *)P(33));
  CHECK(slot->value == 5 && slot->base == (void *)P(33) &&
        slot->base2 == (void *)P(31) && slot->kind == LEAKCC_SIDE_OTHER);
  /* No base: value 0 (the reader never matches it). */
  __leakcc_chan_derive(slot, 6, HOW(8, LEAKCC_SIDE_OTHER) | FROM(NONE),
                       (void *)src, P(30), NULL);
  CHECK(slot->value == 0);
  /* XOR cancelling out: no base either. */
  __leakcc_chan_derive(slot, x ^ P(32), HOW(8, LEAKCC_SIDE_XOR) | FROM(SIDE),
                       (void *)(src + 16), x, (void *)P(32));
  CHECK(slot->value == 0);
}

/* --------------------------------------------------------------- copies */

static void test_copy_aligned(void) {
  /* Disjoint: entries (8-byte, two halves) and RAW words follow. */
  uintptr_t s = fresh(3), d = fresh(3);
  store8(s, P(40) ^ 0x11, LEAKCC_SIDE_XOR, P(40), 0);
  store4(s + 8, 0x1111, LEAKCC_SIDE_OFFSET, P(41));
  store4(s + 12, 0x2222, LEAKCC_SIDE_PART, P(42));
  put64(s + 16, P(43));
  *shadow_of(s + 16) = RAW;
  move(d, s, 24);
  CHECK(sh(d) == SIDE8 && sh(d + 8) == SIDE && sh(d + 16) == RAW);
  CHECK(precise_refs(d, d + 24) == 4 && seen(d, P(40), SIDE_HOW(XOR)) &&
        seen(d + 8, P(41), SIDE_HOW(OFFSET)) &&
        seen(d + 12, P(42), SIDE_HOW(PART)) && seen(d + 16, P(43), LK_HOW_RAW));
  /* The source keeps its own. */
  CHECK(precise_refs(s, s + 24) == 4);

  /* Overlapping moves, up and down by one and two granules: every entry
   * arrives (entries copied into granules not yet visited as source must
   * not hide the ones still to be copied). */
  enum { N = 5 };
  static const int shifts[] = {1, -1, 2, -2};
  for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++) {
    uintptr_t r = fresh(N + 4), base = r + 16;
    for (int i = 0; i < N; i++)
      store8(base + 8 * i, P(50 + i) ^ (0x100u * k + i), LEAKCC_SIDE_XOR,
             P(50 + i), 0);
    uintptr_t to = base + 8 * shifts[k];
    move(to, base, 8 * N);
    CHECK(precise_refs(to, to + 8 * N) == N);
    for (int i = 0; i < N; i++)
      CHECK(seen(to + 8 * i, P(50 + i), SIDE_HOW(XOR)));
  }
  /* Overlapping, same offset in the granule (+4 both): the 4-byte entries
   * and the unaligned one move with their bytes. */
  uintptr_t r = fresh(6);
  store4(r + 4, 0x5151, LEAKCC_SIDE_OFFSET, P(56));
  store8(r + 12, P(57), LEAKCC_SIDE_UNALIGNED, P(57), 0);
  store4(r + 20, 0x5252, LEAKCC_SIDE_PART, P(58));
  move(r + 12, r + 4, 20);
  CHECK(precise_refs(r + 8, r + 40) == 3 && seen(r + 12, P(56), SIDE_HOW(OFFSET)) &&
        seen(r + 20, P(57), SIDE_HOW(UNALIGNED)) &&
        seen(r + 28, P(58), SIDE_HOW(PART)));
}

static void test_copy_misaligned(void) {
  /* RAW and MASK words land unaligned: UNALIGNED entries; an 8-byte and a
   * 4-byte entry move with their bytes. */
  uintptr_t s = fresh(4), d = fresh(5);
  put64(s, P(60));
  *shadow_of(s) = RAW;
  put64(s + 8, TAG | P(61));
  *shadow_of(s + 8) = MASK;
  store8(s + 16, P(62) ^ 0x77, LEAKCC_SIDE_XOR, P(62), 0);
  store4(s + 24, 0x6363, LEAKCC_SIDE_OFFSET, P(63));
  move(d + 4, s, 32);
  for (int g = 0; g < 4; g++)
    CHECK(sh(d + 8 * g) == SIDE);
  CHECK(precise_refs(d, d + 40) == 4 &&
        seen(d + 4, P(60), SIDE_HOW(UNALIGNED)) &&
        seen(d + 12, P(61), SIDE_HOW(UNALIGNED)) &&
        seen(d + 20, P(62), SIDE_HOW(XOR)) &&
        seen(d + 28, P(63), SIDE_HOW(OFFSET)));
  /* A 4-byte entry copied into the other half of its own granule: both. */
  uintptr_t h = fresh(1);
  store4(h, 0x6464, LEAKCC_SIDE_PART, P(64));
  move(h + 4, h, 4);
  CHECK(side_refs(h) == 2 && seen(h, P(64), SIDE_HOW(PART)) &&
        seen(h + 4, P(64), SIDE_HOW(PART)));
  /* Regression: an overlapping misaligned move (memmove(p + 4, p, n));
   * copy_granules used to zero the destination's shadow, which is also the
   * source's, before it called lk_side_copy, so no word was carried. */
  uintptr_t o = fresh(5);
  put64(o, P(65));
  *shadow_of(o) = RAW;
  put64(o + 8, P(66));
  *shadow_of(o + 8) = RAW;
  store8(o + 16, P(67) ^ 0x99, LEAKCC_SIDE_XOR, P(67), 0);
  move(o + 4, o, 24);
  CHECK(precise_refs(o, o + 40) == 3);
  CHECK(seen(o + 4, P(65), SIDE_HOW(UNALIGNED)));
  CHECK(seen(o + 12, P(66), SIDE_HOW(UNALIGNED)));
  CHECK(seen(o + 20, P(67), SIDE_HOW(XOR)));
}

/* A copy of part of an entry copies no entry (the destination granule may
 * become SIDE: without a live entry that refers to nothing). */
static void test_copy_part(void) {
  uintptr_t s = fresh(2), d = fresh(2);
  store8(s, P(70) ^ 0x42, LEAKCC_SIDE_XOR, P(70), 0);
  move(d, s, 4);
  move(d + 4, s + 4, 4);
  CHECK(get64(d) == get64(s) && precise_refs(d, d + 8) == 0);
  /* Misaligned: half of an unaligned entry. */
  store8(s + 4, P(71), LEAKCC_SIDE_UNALIGNED, P(71), 0);
  move(d + 1, s, 8);
  CHECK(precise_refs(d, d + 16) == 0);
}

/* ------------------------------------------------------ table and scan */

/* A granule keeps its newest MAX_PER_GRANULE (4) entries. */
static void test_eviction(void) {
  uintptr_t a = fresh(1);
  for (int i = 1; i <= 6; i++)
    store8(a, P(80 + i) ^ 0xe0, LEAKCC_SIDE_XOR, P(80 + i), 0);
  for (int i = 1; i <= 6; i++) {
    put64(a, P(80 + i) ^ 0xe0);
    CHECK(side_refs(a) == (i >= 3 ? 1u : 0u));
  }
  /* Storing a value the granule already has updates that entry. */
  store8(a, P(83) ^ 0xe0, LEAKCC_SIDE_XOR, P(89), 0);
  CHECK(side_refs(a) == 1 && only(a, P(89), SIDE_HOW(XOR)));
  put64(a, P(84) ^ 0xe0);
  CHECK(side_refs(a) == 1 && only(a, P(84), SIDE_HOW(XOR)));
  /* Regression: eviction must prefer dead entries: four stores into one
   * 4-byte half must not evict the live entry of the other half (a node's
   * two 32-bit relative links, one rewritten often). */
  uintptr_t h = fresh(1);
  store4(h + 4, 0x4040, LEAKCC_SIDE_OFFSET, P(90));
  for (uint32_t i = 1; i <= 4; i++)
    store4(h, 0x4000 + i, LEAKCC_SIDE_OFFSET, P(90 + i));
  CHECK(side_refs(h) == 2 && seen(h + 4, P(90), SIDE_HOW(OFFSET)) &&
        seen(h, P(94), SIDE_HOW(OFFSET)));
}

/* How many of test_growth's entries granules [a, a + 8 * GROWTH_ENTRIES)
 * hold. */
static size_t growth_entries_at(uintptr_t a) {
  size_t found = 0;
  for (uintptr_t i = 0; i < GROWTH_ENTRIES; i++) {
    uintptr_t g = a + 8 * i;
    found += side_refs(g) == 1 && only(g, P(100) + i, SIDE_HOW(XOR));
  }
  return found;
}

/* More entries than the initial table holds at its load factor: the table
 * grows and keeps every live entry; an entry whose granule is not SIDE at
 * the growth is dropped. */
static void test_growth(void) {
  uintptr_t gone = fresh(1);
  store8(gone, P(99) ^ 0x5, LEAKCC_SIDE_XOR, P(99), 0);
  *shadow_of(gone) = NONE;
  uintptr_t a = fresh(GROWTH_ENTRIES);
  for (uintptr_t i = 0; i < GROWTH_ENTRIES; i++)
    store8(a + 8 * i, (P(100) + i) ^ 0x3, LEAKCC_SIDE_XOR, P(100) + i, 0);
  CHECK(growth_entries_at(a) == GROWTH_ENTRIES);
  *shadow_of(gone) = SIDE;
  CHECK(side_refs(gone) == 0);

  /* Regression: an aligned copy records the destination's entries before
   * their granules become SIDE; a growth of the table by one of its own
   * inserts must keep the entries already copied.  Copying GROWTH_ENTRIES
   * more entries always crosses the next growth threshold. */
  uintptr_t d = fresh(GROWTH_ENTRIES);
  move(d, a, 8 * GROWTH_ENTRIES);
  size_t found = growth_entries_at(d);
  if (found != GROWTH_ENTRIES)
    printf("aligned copy with growth: %zu of %d entries kept\n", found,
           GROWTH_ENTRIES);
  CHECK(found == GROWTH_ENTRIES);
}

/* Bytes of address space mapped by the process (/proc/self/statm). */
static size_t mapped_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  REQUIRE(f && fscanf(f, "%lu", &pages) == 1, "cannot read /proc/self/statm");
  fclose(f);
  return pages * 4096;
}

#define CHURN_ROUNDS 40
/* Encoded words written and then overwritten by plain data, round after
 * round, at new addresses: the table stays sized by its live entries and
 * replaced tables are unmapped (regression: it doubled on every fill and
 * kept every old table, 5 MB and more for these 28k entries). */
static void test_churn(void) {
  size_t before = mapped_bytes();
  for (unsigned r = 0; r < CHURN_ROUNDS; r++) {
    uintptr_t a = fresh(GROWTH_ENTRIES);
    for (uintptr_t i = 0; i < GROWTH_ENTRIES; i++)
      store8(a + 8 * i, (P(100) + i) ^ 0x3, LEAKCC_SIDE_XOR, P(100) + i, 0);
    CHECK(growth_entries_at(a) == GROWTH_ENTRIES);
    for (uintptr_t i = 0; i < GROWTH_ENTRIES; i++)
      store8(a + 8 * i, 0x1234, LEAKCC_SIDE_OTHER, 0, 0); /* plain data */
  }
  size_t grown = mapped_bytes() - before;
  if (grown >= (1u << 20))
    printf("churn: %zu bytes more mapped\n", grown);
  CHECK(grown < (1u << 20));
}

static uintptr_t targets[MAX_REFS];
static size_t num_targets;

static void found_target(uintptr_t value, void *arg) {
  (void)arg;
  if (num_targets < MAX_REFS)
    targets[num_targets] = value;
  num_targets++;
}

/* lk_precise_refs decodes each kind of word and reports its address. */
static void test_precise_refs(void) {
  uintptr_t a = fresh(8);
  put64(a, P(110));
  *shadow_of(a) = RAW;
  put64(a + 8, TAG | P(111));
  *shadow_of(a + 8) = MASK;
  put64(a + 16, P(112)); /* looks like a pointer, shadow DATA */
  store8(a + 24, P(113) ^ P(114), LEAKCC_SIDE_XOR, P(113), P(114));
  store8(a + 36, P(115), LEAKCC_SIDE_UNALIGNED, P(115), 0);
  store8(a + 48, P(116) - 1, LEAKCC_SIDE_BELOW, P(116), 0);
  put64(a + 56, P(117));
  *shadow_of(a + 56) = SIDE8; /* SIDE without an entry, DATA: nothing */
  CHECK(precise_refs(a, a + 64) == 6);
  CHECK(num_unknown == 2); /* the granules the unaligned entry spans */
  CHECK(seen(a, P(110), LK_HOW_RAW));
  CHECK(seen(a + 8, P(111), LK_HOW_MASK));
  CHECK(seen(a + 24, P(113), SIDE_HOW(XOR)) && seen(a + 24, P(114), SIDE_HOW(XOR)));
  CHECK(seen(a + 36, P(115), SIDE_HOW(UNALIGNED)));
  CHECK(seen(a + 48, P(116), SIDE_HOW(BELOW)));
  /* In address order. */
  for (size_t i = 1; i < num_refs && i < MAX_REFS; i++)
    CHECK(refs[i - 1].where <= refs[i].where);
  CHECK(strcmp(lk_how_name(SIDE_HOW(XOR)), "XOR-encoded pointer") == 0);
  /* lk_precise_scan hands the marker the same targets, and the values of
   * the two words scanned by value. */
  num_targets = 0;
  lk_precise_scan(a, a + 64, found_target, NULL, false);
  CHECK(num_targets == 8);
  for (size_t i = 0; i < num_refs && i < MAX_REFS; i++) {
    bool found = false;
    for (size_t j = 0; j < num_targets && j < sizeof targets / sizeof *targets; j++)
      found |= targets[j] == refs[i].target;
    CHECK(found);
  }
  /* A word nothing wrote with shadow (UNKNOWN) is scanned by its value. */
  *shadow_of(a + 16) = UNKNOWN;
  CHECK(precise_refs(a + 16, a + 24) == 0 && num_unknown == 1 &&
        last_unknown.where == a + 16 && last_unknown.target == P(112));
  /* Bounds: only whole granules inside [lo, hi) are visited. */
  CHECK(precise_refs(a + 1, a + 24) == 1 && only(a + 8, P(111), LK_HOW_MASK));
}

int main(void) {
  lk_init();
  if (!lk_shadow_reserved()) {
    fprintf(stderr, "SKIP: the shadow could not be reserved\n");
    return 0;
  }
  size_t size = 8 * (size_t)ARENA_GRANULES;
  void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(m != MAP_FAILED, "mmap of %zu bytes", size);
  arena = arena_next = (uintptr_t)m;
  arena_end = arena + size;
  REQUIRE(lk_in_app_range(arena, arena_end), "arena %#zx outside the app ranges",
          (size_t)arena);
  test_store_aligned();
  test_store_no_entry();
  test_store_raw_masked();
  test_store_unaligned();
  test_store_halves();
  test_partial();
  test_derive();
  test_derive_overlap();
  test_chan_derive();
  test_copy_aligned();
  test_copy_misaligned();
  test_copy_part();
  test_eviction();
  test_precise_refs();
  test_growth(); /* assumes the table has its initial size before */
  test_churn();
  if (failures)
    printf("%d failure(s)\n", failures);
  return failures != 0;
}
