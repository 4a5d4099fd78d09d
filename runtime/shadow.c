/*
 * Shadow memory reservation (abi.h: one byte per 8-byte granule, ASan's
 * x86-64 layout).  At start-up the runtime claims LowShadow and HighShadow
 * as lazily committed read/write memory (MAP_NORESERVE: untouched shadow
 * costs neither RSS nor commit charge) and makes the ShadowGap inaccessible,
 * so nothing else (the kernel's mmap placement, a library) lands there.
 * MAP_FIXED_NOREPLACE never clobbers an existing mapping: if something is
 * already mapped in a range, we warn once and run without shadow.
 */
#include "lk.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Last byte of LowMem and of HighMem (abi.h draws inclusive bounds). */
#define LOW_MEM_END (LK_LOW_MEM_HI - 1)
#define HIGH_MEM_END (LK_HIGH_MEM_HI - 1)

static struct {
  int state; /* 0: not tried, 1: reserved, -1: failed */
} shadow;

/* Maps [beg, end] (inclusive) at exactly that address, or returns false
 * with errno set and nothing mapped. */
static bool map_fixed(uintptr_t beg, uintptr_t end, int prot) {
  size_t size = end - beg + 1;
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE;
  void *p = lk_sys_mmap((void *)beg, size, prot, flags, -1, 0);
  if (p == MAP_FAILED)
    return false;
  if ((uintptr_t)p != beg) { /* kernel < 4.17 ignores NOREPLACE: a hint */
    lk_sys_munmap(p, size);
    errno = EEXIST;
    return false;
  }
  return true;
}

void lk_shadow_init(void) {
  if (shadow.state != 0)
    return;
  static const struct {
    uintptr_t beg, end;
    int prot;
    const char *name;
  } ranges[] = {
      {LK_SHADOW_OF(0), LK_SHADOW_OF(LOW_MEM_END), PROT_READ | PROT_WRITE,
       "LowShadow"},
      {LK_SHADOW_OF(LK_HIGH_MEM_LO), LK_SHADOW_OF(HIGH_MEM_END),
       PROT_READ | PROT_WRITE, "HighShadow"},
      {LK_SHADOW_OF(LOW_MEM_END) + 1, LK_SHADOW_OF(LK_HIGH_MEM_LO) - 1,
       PROT_NONE, "ShadowGap"},
  };
  size_t n = sizeof ranges / sizeof ranges[0];
  for (size_t i = 0; i < n; i++) {
    if (map_fixed(ranges[i].beg, ranges[i].end, ranges[i].prot))
      continue;
    int err = errno;
    lk_warn("cannot reserve shadow %s [0x%zx, 0x%zx]: %s; running without "
            "shadow memory (precise mode falls back to conservative scanning)",
            ranges[i].name, (size_t)ranges[i].beg, (size_t)ranges[i].end,
            strerror(err));
    while (i-- > 0)
      lk_sys_munmap((void *)ranges[i].beg, ranges[i].end - ranges[i].beg + 1);
    shadow.state = -1;
    return;
  }
  shadow.state = 1;
}

bool lk_shadow_reserved(void) {
  return shadow.state == 1;
}
