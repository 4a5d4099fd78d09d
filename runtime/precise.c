/*
 * precise.c: shadow memory operations and the precise scanner (design.md
 * §5-§6).
 *
 * Instrumented code keeps one shadow byte per 8-byte granule up to date
 * (pass/stores.c writes it inline; memcpy/memmove/memset call the two
 * __leakcc_shadow_* hooks here).  With mode=precise (or explain=1) the
 * allocator marks a chunk's shadow DATA when its block is freed (stale
 * contents are no references) and UNKNOWN when an uninstrumented caller
 * allocates it, moves it on realloc, and the marker asks lk_precise_scan for
 * the references the words of instrumented memory make, decoded
 * (docs/precise-mode.md).  Memory nobody with shadow wrote reads UNKNOWN
 * (0) and is scanned by value: only DATA, written by instrumented code for
 * values it proved are no pointer, hides a word (the soundness rule).
 *
 *   application byte a          shadow byte (abi.h)
 *   +--+--+--+--+--+--+--+--+
 *   |  granule g = a & ~7   |   -->  *((a >> 3) + LEAKCC_SHADOW_OFFSET)
 *   +--+--+--+--+--+--+--+--+        DATA: no reference, RAW: a pointer,
 *                                    MASK: tagged, SIDE: see side.c,
 *                                    0 (UNKNOWN): scan the value
 *
 * A write that covers only part of a granule leaves a word that is neither
 * the old value nor a whole new one, so the granule keeps only its SIDE bit
 * (a 4-byte entry in its other half stays; side.c checks values) and is
 * otherwise UNKNOWN.  Only
 * addresses in LowMem and HighMem have shadow; the parts of a range outside
 * them are ignored.  Every function here is a no-op when the shadow could
 * not be reserved (lk_shadow_reserved() is false).
 */
#include "lk.h"

#include <string.h>
#include <sys/mman.h>

#define GRANULE ((uintptr_t)1 << LEAKCC_SHADOW_SHIFT)
#define SHADOW(a) ((uint8_t *)LK_SHADOW_OF(a))
#define ALIGN_DOWN(a) ((a) & ~(GRANULE - 1))
#define ALIGN_UP(a) ALIGN_DOWN((a) + GRANULE - 1)
/* Shadow ranges at least this long are released with madvise instead of
 * being written (a large block's free). */
#define MADVISE_MIN (64u * 1024)
#define PAGE 4096u

/* The application ranges of lk.h, [lo, hi) (shadow.c reserves their
 * shadow). */
static const struct {
  uintptr_t lo, hi;
} app_ranges[] = {
    {0, LK_LOW_MEM_HI},                /* LowMem */
    {LK_HIGH_MEM_LO, LK_HIGH_MEM_HI},  /* HighMem */
};
#define NUM_APP_RANGES (sizeof app_ranges / sizeof app_ranges[0])

/* All module state. */
static struct {
  bool warned_no_shadow; /* lk_precise_enabled has said why it is off */
} st;

typedef uint64_t __attribute__((may_alias, aligned(1))) lk_shadow_word;

/* Whether [lo, hi) lies inside one application range. */
bool lk_in_app_range(uintptr_t lo, uintptr_t hi) {
  for (size_t i = 0; i < NUM_APP_RANGES; i++)
    if (lo >= app_ranges[i].lo && hi <= app_ranges[i].hi && lo <= hi)
      return true;
  return false;
}

/* hi = lo + n, saturated (a range running past the address space is cut). */
static uintptr_t range_end(uintptr_t lo, size_t n) {
  return n > UINTPTR_MAX - lo ? UINTPTR_MAX : lo + n;
}

/* Zeroes shadow bytes [beg, end); long runs give their pages back to the
 * kernel (the private anonymous mapping reads back as zeros). */
static void zero_shadow(uint8_t *beg, uint8_t *end) {
  if (end <= beg)
    return;
  if ((size_t)(end - beg) < MADVISE_MIN) {
    memset(beg, LEAKCC_SHADOW_UNKNOWN, (size_t)(end - beg));
    return;
  }
  uint8_t *page_beg = (uint8_t *)(((uintptr_t)beg + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
  uint8_t *page_end = (uint8_t *)((uintptr_t)end & ~(uintptr_t)(PAGE - 1));
  memset(beg, LEAKCC_SHADOW_UNKNOWN, (size_t)(page_beg - beg));
  if (madvise(page_beg, (size_t)(page_end - page_beg), MADV_DONTNEED) != 0)
    memset(page_beg, LEAKCC_SHADOW_UNKNOWN, (size_t)(page_end - page_beg));
  memset(page_end, LEAKCC_SHADOW_UNKNOWN, (size_t)(end - page_end));
}

/* UNKNOWN for every granule that overlaps [lo, hi), within the app
 * ranges. */
static void clear_granules(uintptr_t lo, uintptr_t hi) {
  for (size_t i = 0; i < NUM_APP_RANGES; i++) {
    uintptr_t a = lo > app_ranges[i].lo ? lo : app_ranges[i].lo;
    uintptr_t b = hi < app_ranges[i].hi ? hi : app_ranges[i].hi;
    if (a < b)
      zero_shadow(SHADOW(ALIGN_DOWN(a)), SHADOW(ALIGN_UP(b)));
  }
}

/* Shadow of [d, d + n) after its bytes were copied from [s, s + n).
 * Caller: shadow reserved, n > 0. */
static void copy_granules(uintptr_t d, uintptr_t s, size_t n) {
  uintptr_t e = range_end(d, n);
  if (!lk_in_app_range(d, e) || !lk_in_app_range(s, range_end(s, n))) {
    clear_granules(d, e); /* no shadow to copy from (or to) */
    return;
  }
  /* Side entries first, while the source shadow is intact (an overlapping
   * move rewrites it); their granules become SIDE at the end. */
  uint32_t since = lk_side_copy(d, s, n);
  uintptr_t full_lo = ALIGN_UP(d), full_hi = ALIGN_DOWN(e);
  if (full_lo < full_hi) {
    if ((d - s) % GRANULE == 0) /* words land on words */
      memmove(SHADOW(full_lo), SHADOW(s + (full_lo - d)),
              (full_hi - full_lo) / GRANULE);
    else /* every word is split across two granules */
      zero_shadow(SHADOW(full_lo), SHADOW(full_hi));
  }
  /* Partly written granules at either end (after the memmove, which may
   * have read them as source) keep only a side entry of their other half. */
  if (d % GRANULE)
    *SHADOW(d) &= LEAKCC_SHADOW_PARTIAL_KEEP;
  if (e % GRANULE)
    *SHADOW(e) &= LEAKCC_SHADOW_PARTIAL_KEEP;
  lk_side_copy_done(d, n, since);
}

/* ------------------------------------------------------ compiler hooks */

LK_EXPORT void __leakcc_shadow_copy(void *dst, const void *src, size_t n) {
  if (n && lk_shadow_reserved())
    copy_granules((uintptr_t)dst, (uintptr_t)src, n);
}

LK_EXPORT void __leakcc_shadow_clear(void *p, size_t n) {
  if (n && lk_shadow_reserved())
    clear_granules((uintptr_t)p, range_end((uintptr_t)p, n));
}

/* ------------------------------------------------------------ allocator */

void lk_shadow_clear_range(uintptr_t lo, uintptr_t hi) {
  if (lo < hi && lk_shadow_reserved())
    clear_granules(lo, hi);
}

void lk_shadow_move(uintptr_t dst, uintptr_t src, size_t n) {
  if (!n || dst == src || !lk_shadow_reserved())
    return;
  copy_granules(dst, src, n);
  /* Clear what of the source the destination does not cover. */
  uintptr_t s_end = range_end(src, n), d_end = range_end(dst, n);
  if (src < dst)
    clear_granules(src, s_end < dst ? s_end : dst);
  if (s_end > d_end)
    clear_granules(src > d_end ? src : d_end, s_end);
}

/* -------------------------------------------------------------- marker */

/* Calls fn(where, target, how) for every reference the words of [lo, hi)
 * make by their shadow: an UNKNOWN or RAW word its value (conservatively:
 * nothing proves it holds no pointer), a MASK word its value's low 48 bits,
 * a SIDE granule the bases of its live entries; DATA words nothing.  With
 * ENCODED_ONLY (the range is also scanned conservatively) only what a
 * conservative scan does not see: MASK words and side entries. */
static inline __attribute__((always_inline)) void
scan_refs(uintptr_t lo, uintptr_t hi, lk_ref_fn fn, void *arg,
          bool encoded_only) {
  if (!lk_shadow_reserved())
    return;
  /* Eight shadow bytes that need no work: all DATA, or (ENCODED_ONLY)
   * no MASK and no SIDE bit. */
  const uint64_t all_data = 0x0101010101010101ull * LEAKCC_SHADOW_DATA;
  const uint64_t encoded =
      0x0101010101010101ull * (LEAKCC_SHADOW_MASK | LEAKCC_SHADOW_SIDE);
  for (size_t r = 0; r < NUM_APP_RANGES; r++) {
    uintptr_t a = ALIGN_UP(lo > app_ranges[r].lo ? lo : app_ranges[r].lo);
    uintptr_t b = ALIGN_DOWN(hi < app_ranges[r].hi ? hi : app_ranges[r].hi);
    if (a >= b)
      continue;
    const uint8_t *base = SHADOW(a), *sh = base, *end = SHADOW(b);
    while (sh < end) {
      if ((size_t)(end - sh) >= sizeof(uint64_t)) {
        uint64_t w = *(const lk_shadow_word *)sh;
        if (encoded_only ? !(w & encoded) : w == all_data) {
          sh += sizeof(uint64_t);
          continue;
        }
      }
      uintptr_t word = a + (uintptr_t)(sh - base) * GRANULE;
      uint8_t s = *sh++;
      if (s & LEAKCC_SHADOW_MASK)
        fn(word, *(const uintptr_t *)word & LEAKCC_MASK_BITS, LK_HOW_MASK, arg);
      else if (!encoded_only && !(s & LEAKCC_SHADOW_DATA))
        fn(word, *(const uintptr_t *)word,
           s & LEAKCC_SHADOW_RAW ? LK_HOW_RAW : LK_HOW_UNKNOWN, arg);
      if (s & LEAKCC_SHADOW_SIDE)
        lk_side_refs(word, fn, arg);
    }
  }
}

struct found_ctx {
  void (*found)(uintptr_t value, void *arg);
  void *arg;
};

static void found_target(uintptr_t where, uintptr_t target, unsigned how,
                         void *arg) {
  (void)where, (void)how;
  const struct found_ctx *c = arg;
  c->found(target, c->arg);
}

void lk_precise_scan(uintptr_t lo, uintptr_t hi,
                     void (*found)(uintptr_t value, void *arg), void *arg,
                     bool encoded_only) {
  struct found_ctx c = {found, arg};
  scan_refs(lo, hi, found_target, &c, encoded_only);
}

void lk_precise_refs(uintptr_t lo, uintptr_t hi, lk_ref_fn fn, void *arg,
                     bool encoded_only) {
  scan_refs(lo, hi, fn, arg, encoded_only);
}

const char *lk_how_name(unsigned how) {
  switch (how) {
  case LK_HOW_RAW:
  case LK_HOW_SIDE + LEAKCC_SIDE_RAW:
    return "pointer";
  case LK_HOW_UNKNOWN:
    return "word of unknown origin (scanned conservatively)";
  case LK_HOW_MASK:
  case LK_HOW_SIDE + LEAKCC_SIDE_MASKED:
    return "tagged or NaN-boxed pointer";
  case LK_HOW_SIDE + LEAKCC_SIDE_UNALIGNED:
    return "unaligned pointer";
  case LK_HOW_SIDE + LEAKCC_SIDE_OFFSET:
    return "pointer difference (base- or self-relative offset)";
  case LK_HOW_SIDE + LEAKCC_SIDE_XOR:
    return "XOR-encoded pointer";
  case LK_HOW_SIDE + LEAKCC_SIDE_BELOW:
    return "pointer outside its block";
  case LK_HOW_SIDE + LEAKCC_SIDE_PART:
    return "part of a pointer (split or truncated)";
  default:
    return "encoded pointer";
  }
}

/* Every full granule in [lo, hi) becomes SH, the partial ones at either
 * end keep only their SIDE bit (whatever was written there may be part of
 * a pointer). */
static void set_granules(uintptr_t lo, uintptr_t hi, uint8_t sh) {
  if (lo >= hi || !lk_shadow_reserved() || !lk_in_app_range(lo, hi))
    return;
  uintptr_t a = ALIGN_UP(lo), b = ALIGN_DOWN(hi);
  if (a < b)
    memset(SHADOW(a), sh, (b - a) / GRANULE);
  if (lo % GRANULE)
    *SHADOW(lo) &= LEAKCC_SHADOW_PARTIAL_KEEP;
  if (hi % GRANULE && ALIGN_DOWN(hi) >= lo)
    *SHADOW(hi) &= LEAKCC_SHADOW_PARTIAL_KEEP;
}

void lk_shadow_set_raw(uintptr_t lo, uintptr_t hi) {
  set_granules(lo, hi, LEAKCC_SHADOW_RAW);
}

void lk_shadow_set_data(uintptr_t lo, uintptr_t hi) {
  set_granules(lo, hi, LEAKCC_SHADOW_DATA);
}

/* Clears the DATA bit of every granule overlapping [lo, hi) that lies in
 * an application range: eight shadow bytes at a time. */
static void forget_data(uintptr_t lo, uintptr_t hi) {
  const uint64_t keep = ~(0x0101010101010101ull * LEAKCC_SHADOW_DATA);
  for (size_t i = 0; i < NUM_APP_RANGES; i++) {
    uintptr_t a = lo > app_ranges[i].lo ? lo : app_ranges[i].lo;
    uintptr_t b = hi < app_ranges[i].hi ? hi : app_ranges[i].hi;
    if (a >= b)
      continue;
    uint8_t *sh = SHADOW(ALIGN_DOWN(a)), *end = SHADOW(ALIGN_UP(b));
    for (; sh + sizeof(uint64_t) <= end; sh += sizeof(uint64_t))
      *(lk_shadow_word *)sh &= keep;
    for (; sh < end; sh++)
      *sh &= (uint8_t)~LEAKCC_SHADOW_DATA;
  }
}

void lk_shadow_forget_data(uintptr_t lo, uintptr_t hi) {
  if (lo < hi && lk_shadow_reserved())
    forget_data(lo, hi);
}

LK_EXPORT void __leakcc_shadow_unknown(void *p, size_t n) {
  if (n && lk_shadow_reserved())
    forget_data((uintptr_t)p, range_end((uintptr_t)p, n));
}

/* ---------------------------------------------------------------- mode */

bool lk_precise_enabled(void) {
  if (strcmp(lk_flags.mode, "precise") != 0)
    return false;
  if (lk_shadow_reserved())
    return true;
  if (!st.warned_no_shadow) {
    st.warned_no_shadow = true;
    lk_warn("mode=precise needs shadow memory, which could not be reserved; "
            "scanning conservatively (as mode=conservative)");
  }
  return false;
}

void lk_precise_require_shadow(const char *module) {
  if (lk_shadow_reserved())
    return;
  lk_error("module '%s' was built by leakcc to record pointer stores in "
           "shadow memory, but the shadow could not be reserved (see the "
           "warning above); it cannot run safely",
           module ? module : "<unnamed>");
  lk_die();
}
