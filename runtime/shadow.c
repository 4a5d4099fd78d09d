/*
 * Shadow memory (abi.h: one byte per 8-byte granule, ASan's x86-64 layout).
 *
 * Reserved (the usual case): at start-up the runtime claims LowShadow and
 * HighShadow as lazily committed read/write memory (MAP_NORESERVE:
 * untouched shadow costs neither RSS nor commit charge) and makes the
 * ShadowGap inaccessible, so nothing else (the kernel's mmap placement, a
 * library) lands there.  MAP_FIXED_NOREPLACE never clobbers an existing
 * mapping: if something is already mapped in a range, we warn once and run
 * without shadow.
 *
 * On demand (lk_shadow_lazy): the reservation is about 16 TiB, and every
 * byte of a mapping counts against RLIMIT_AS (and, writable, against
 * RLIMIT_DATA), so under any `ulimit -v` or `ulimit -d` the kernel refuses
 * it.  Then nothing is reserved:
 *   - the allocator maps the shadow of the heap memory it commits
 *     (lk_shadow_commit), so that running out of address space makes
 *     malloc fail instead of a later shadow store;
 *   - every other shadow access (stores of instrumented code to stacks,
 *     globals, mmap regions; the runtime's reads) faults on the first touch
 *     of a page; the SIGSEGV handler below maps a 64 KiB piece of shadow
 *     there (zero: UNKNOWN) and returns, and the access is retried;
 *   - any other SIGSEGV goes to the handler the program installed, or to
 *     the default action.  The program never sees our handler: sigaction,
 *     signal, sigprocmask and pthread_sigmask are intercepted so that its
 *     SIGSEGV handler is recorded instead of installed, and so that no
 *     mask it sets blocks SIGSEGV (a blocked synchronous SIGSEGV kills the
 *     process, and a blocked shadow fault must not).
 * A shadow fault that cannot be mapped (the address space is exhausted)
 * kills the process with one error line.  A spare mapping made at
 * start-up (writable, so that it counts against RLIMIT_DATA too; at most
 * 8 MiB and 1/64 of the limit) is given
 * up piece by piece first, for the handler and for the runtime's own
 * memory (lk_spare_give_up): a program that used the whole limit and freed
 * its blocks still has a leak check (freed small blocks keep their address
 * space for reuse).
 *
 * Limits of the on-demand mode (docs/reliability.md, "Resource limits"):
 * the shadow ranges are not reserved, so a program mapping memory there
 * with MAP_FIXED would share it with the shadow; SIGSEGV handlers
 * installed with sigset, sysv_signal or bsd_signal replace ours; code that
 * runs with SIGSEGV blocked by other means (a raw rt_sigprocmask system
 * call) dies at its first shadow fault.
 */
#include "lk.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Last byte of LowMem and of HighMem (abi.h draws inclusive bounds). */
#define LOW_MEM_END (LK_LOW_MEM_HI - 1)
#define HIGH_MEM_END (LK_HIGH_MEM_HI - 1)
#define PAGE 4096ULL
#define FAULT_CHUNK (64ULL << 10) /* shadow mapped per fault: 512 KiB of app */
#define SPARE_SIZE (8ULL << 20)    /* at most: given up, in FAULT_CHUNKs, near the limit */
/* glibc's internal signals SIGCANCEL (32) and SIGSETXID (33), which its
 * pthread_sigmask never blocks: bits 31 and 32 of a sigset_t. */
#define GLIBC_INTERNAL_SIGNALS ((1UL << 31) | (1UL << 32))

/* libc's sigaction and signal under their other exported names. */
extern int __sigaction(int sig, const struct sigaction *act,
                       struct sigaction *old);
extern __sighandler_t bsd_signal(int sig, __sighandler_t h);

enum { NOT_TRIED = 0, RESERVED = 1, LAZY = 2, FAILED = -1 };

/* The shadow of LowMem and of HighMem, [lo, hi), page aligned. */
static const struct {
  uintptr_t lo, hi;
} shadow_ranges[] = {
    {LK_SHADOW_OF(0), LK_SHADOW_OF(LOW_MEM_END) + 1},
    {LK_SHADOW_OF(LK_HIGH_MEM_LO), LK_SHADOW_OF(HIGH_MEM_END) + 1},
};
static const struct {
  uintptr_t lo, hi;
} app_ranges[] = {{0, LK_LOW_MEM_HI}, {LK_HIGH_MEM_LO, LK_HIGH_MEM_HI}};

static struct {
  int state;
  uintptr_t spare_lo, spare_hi; /* the spare reservation left (atomic lo) */
  int segv_lock;                /* spinlock guarding segv_action */
  struct sigaction segv_action; /* the program's SIGSEGV action, lazy */
} shadow;

/* ------------------------------------------------------- system calls
 * Raw: the fault handler may run on the marker's clone(2) threads, which
 * share the TLS of the thread that created them, so it must not write
 * errno. */

static long raw_syscall6(long n, long a, long b, long c, long d, long e,
                         long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
                     "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

/* Maps [lo, hi) read/write at exactly lo: 0, or -errno (-EEXIST when
 * something is mapped in the range). */
static long map_fixed_raw(uintptr_t lo, uintptr_t hi, int prot) {
  long r = raw_syscall6(SYS_mmap, (long)lo, (long)(hi - lo), prot,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                            MAP_FIXED_NOREPLACE,
                        -1, 0);
  if (r < 0 && r > -4096)
    return r;
  if ((uintptr_t)r != lo) { /* kernel < 4.17 ignores NOREPLACE: a hint */
    raw_syscall6(SYS_munmap, r, (long)(hi - lo), 0, 0, 0, 0);
    return -EEXIST;
  }
  return 0;
}

/* -------------------------------------------------------------- reserved */

/* Maps [beg, end] (inclusive) at exactly that address, or returns false
 * with errno set and nothing mapped. */
static bool map_fixed(uintptr_t beg, uintptr_t end, int prot) {
  long r = map_fixed_raw(beg, end + 1, prot);
  errno = (int)-r;
  return r == 0;
}

static void start_lazy(void);

void lk_shadow_init(void) {
  if (shadow.state != NOT_TRIED)
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
    for (size_t k = 0; k < i; k++)
      lk_sys_munmap((void *)ranges[k].beg, ranges[k].end - ranges[k].beg + 1);
    if (err == ENOMEM) { /* RLIMIT_AS or RLIMIT_DATA: map it on demand */
      start_lazy();
      return;
    }
    lk_warn("cannot reserve shadow %s [0x%zx, 0x%zx]: %s; running without "
            "shadow memory (precise mode falls back to conservative scanning)",
            ranges[i].name, (size_t)ranges[i].beg, (size_t)ranges[i].end,
            strerror(err));
    shadow.state = FAILED;
    return;
  }
  shadow.state = RESERVED;
}

bool lk_shadow_reserved(void) {
  return shadow.state == RESERVED || shadow.state == LAZY;
}

bool lk_shadow_lazy(void) {
  return __atomic_load_n(&shadow.state, __ATOMIC_RELAXED) == LAZY;
}

/* ------------------------------------------------------------- on demand */

/* Maps the pages of [lo, hi) (page aligned, inside one shadow range) that
 * are not mapped yet: halves a range that overlaps a mapping until the
 * pieces are free or single mapped pages.  False if the kernel refuses. */
static bool map_missing(uintptr_t lo, uintptr_t hi) {
  long r = map_fixed_raw(lo, hi, PROT_READ | PROT_WRITE);
  if (r == 0)
    return true;
  if (r != -EEXIST)
    return false;
  if (hi - lo == PAGE)
    return true; /* already mapped */
  uintptr_t mid = lo + (((hi - lo) / 2) & ~(PAGE - 1));
  return map_missing(lo, mid) && map_missing(mid, hi);
}

bool lk_shadow_commit(uintptr_t lo, uintptr_t hi) {
  if (!lk_shadow_lazy())
    return true;
  for (size_t i = 0; i < 2; i++) {
    uintptr_t a = lo > app_ranges[i].lo ? lo : app_ranges[i].lo;
    uintptr_t b = hi < app_ranges[i].hi ? hi : app_ranges[i].hi;
    if (a >= b)
      continue;
    uintptr_t s_lo = LK_SHADOW_OF(a) & ~(PAGE - 1);
    uintptr_t s_hi = (LK_SHADOW_OF(b - 1) + PAGE) & ~(PAGE - 1);
    if (!map_missing(s_lo, s_hi))
      return false;
  }
  return true;
}

void lk_shadow_release(uintptr_t lo, uintptr_t hi) {
  int state = __atomic_load_n(&shadow.state, __ATOMIC_RELAXED);
  if (state != LAZY && state != RESERVED)
    return;
  for (size_t i = 0; i < 2; i++) {
    uintptr_t a = lo > app_ranges[i].lo ? lo : app_ranges[i].lo;
    uintptr_t b = hi < app_ranges[i].hi ? hi : app_ranges[i].hi;
    if (a >= b)
      continue;
    /* Whole granules only, then whole pages of their shadow. */
    uintptr_t s_lo = (LK_SHADOW_OF((a + 7) & ~7ULL) + PAGE - 1) & ~(PAGE - 1);
    uintptr_t s_hi = LK_SHADOW_OF(b & ~7ULL) & ~(PAGE - 1);
    if (s_lo < s_hi && state == LAZY)
      raw_syscall6(SYS_munmap, (long)s_lo, (long)(s_hi - s_lo), 0, 0, 0, 0);
    else if (s_lo < s_hi)
      madvise((void *)s_lo, s_hi - s_lo, MADV_DONTNEED);
  }
}

/* Whole shadow pages are dropped, the partial ones at either end (at most
 * 32 KiB of application memory each) written. */
void lk_shadow_forget(uintptr_t lo, uintptr_t hi) {
  const uintptr_t span = PAGE << LEAKCC_SHADOW_SHIFT; /* app bytes per page */
  uintptr_t a = (lo + span - 1) & ~(span - 1), b = hi & ~(span - 1);
  if (a >= b) {
    lk_shadow_clear_range(lo, hi);
    return;
  }
  lk_shadow_clear_range(lo, a);
  lk_shadow_release(a, b);
  lk_shadow_clear_range(b, hi);
}

/* Index of the shadow range holding a, or -1. */
static int shadow_range_of(uintptr_t a) {
  for (int i = 0; i < 2; i++)
    if (a >= shadow_ranges[i].lo && a < shadow_ranges[i].hi)
      return i;
  return -1;
}

/* Gives at least `bytes` (rounded up to FAULT_CHUNKs) of the spare
 * mapping back to the kernel; false when not that much is left.  Lock
 * free, no errno: also called from the fault handler. */
static bool give_up_spare(size_t bytes) {
  bytes = (bytes + FAULT_CHUNK - 1) & ~(FAULT_CHUNK - 1);
  uintptr_t lo = __atomic_fetch_add(&shadow.spare_lo, bytes,
                                    __ATOMIC_ACQ_REL);
  if (!lo || lo + bytes > shadow.spare_hi)
    return false;
  raw_syscall6(SYS_munmap, (long)lo, (long)bytes, 0, 0, 0, 0);
  return true;
}

bool lk_spare_give_up(size_t bytes) {
  return lk_shadow_lazy() && give_up_spare(bytes);
}

/* Maps the shadow around the faulting shadow address a (in range i):
 * its FAULT_CHUNK, or only its page when part of the chunk is mapped
 * already.  False when the address space is exhausted. */
static bool map_on_fault(uintptr_t a, int i) {
  uintptr_t lo = a & ~(FAULT_CHUNK - 1), hi = lo + FAULT_CHUNK;
  if (lo < shadow_ranges[i].lo)
    lo = shadow_ranges[i].lo;
  if (hi > shadow_ranges[i].hi)
    hi = shadow_ranges[i].hi;
  uintptr_t page = a & ~(PAGE - 1);
  for (;;) {
    long r = map_fixed_raw(lo, hi, PROT_READ | PROT_WRITE);
    if (r == -EEXIST)
      r = map_fixed_raw(page, page + PAGE, PROT_READ | PROT_WRITE);
    if (r == 0 || r == -EEXIST) /* EEXIST: another thread mapped it */
      return true;
    if (r != -ENOMEM || !give_up_spare(FAULT_CHUNK))
      return false;
    lo = page; /* near the limit: one page at a time */
    hi = page + PAGE;
  }
}

static void segv_lock(void) {
  while (__atomic_exchange_n(&shadow.segv_lock, 1, __ATOMIC_ACQUIRE))
    ;
}
static void segv_unlock(void) {
  __atomic_store_n(&shadow.segv_lock, 0, __ATOMIC_RELEASE);
}

/* Signal masks the program sets never block SIGSEGV, and never the two
 * signals glibc keeps for itself (SIGCANCEL, SIGSETXID), as glibc's own
 * pthread_sigmask ensures.  Returns the set to pass to the kernel. */
static const sigset_t *filter_mask(const sigset_t *set, sigset_t *copy) {
  *copy = *set;
  copy->__val[0] &= ~GLIBC_INTERNAL_SIGNALS;
  if (lk_shadow_lazy())
    copy->__val[0] &= ~(1UL << (SIGSEGV - 1));
  return copy;
}

/* The program's own SIGSEGV action, as the kernel would have run it: the
 * default action (the fault recurs and kills, a sent signal is raised
 * again), ignored (a sent signal only), or its handler with its mask. */
static void run_program_action(int sig, siginfo_t *si, void *ctx) {
  segv_lock();
  struct sigaction act = shadow.segv_action;
  if ((act.sa_flags & SA_RESETHAND) && act.sa_handler != SIG_DFL &&
      act.sa_handler != SIG_IGN) {
    shadow.segv_action.sa_handler = SIG_DFL;
    shadow.segv_action.sa_flags &= ~(SA_SIGINFO | SA_RESETHAND);
  }
  segv_unlock();
  bool sent = si->si_code <= 0; /* kill, tgkill, sigqueue: not a fault */
  if (act.sa_handler == SIG_IGN && sent)
    return;
  if (act.sa_handler == SIG_DFL || act.sa_handler == SIG_IGN) {
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    __sigaction(SIGSEGV, &dfl, NULL);
    if (sent)
      raw_syscall6(SYS_tgkill, raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0),
                   raw_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0), SIGSEGV, 0, 0,
                   0);
    return; /* a fault: it recurs under the default action */
  }
  sigset_t mask, old;
  filter_mask(&act.sa_mask, &mask);
  raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, (long)&mask, (long)&old,
               _NSIG / 8, 0, 0);
  if (act.sa_flags & SA_SIGINFO)
    act.sa_sigaction(sig, si, ctx);
  else
    act.sa_handler(sig);
  raw_syscall6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, _NSIG / 8, 0,
               0);
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  uintptr_t a = (uintptr_t)si->si_addr;
  int i = si->si_code == SEGV_MAPERR ? shadow_range_of(a) : -1;
  if (i < 0) {
    run_program_action(sig, si, ctx);
    return;
  }
  if (map_on_fault(a, i))
    return;
  lk_error("cannot map shadow memory at %p: the address space is exhausted "
           "(ulimit -v or -d); the program cannot continue", (void *)a);
  lk_die();
}

/* Switches to on-demand shadow: records the SIGSEGV action in place (a
 * constructor may have set one), installs on_segv, and keeps the spare
 * mapping (never touched: it costs no memory, only limit). */
static void start_lazy(void) {
  struct sigaction ours = {.sa_sigaction = on_segv,
                           .sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK |
                                       SA_RESTART};
  sigemptyset(&ours.sa_mask);
  segv_lock();
  __sigaction(SIGSEGV, NULL, &shadow.segv_action);
  __atomic_store_n(&shadow.state, LAZY, __ATOMIC_RELEASE);
  __sigaction(SIGSEGV, &ours, NULL);
  segv_unlock();
  /* At most 1/64 of the tighter limit. */
  size_t spare_size = SPARE_SIZE;
  struct rlimit rl;
  int limits[] = {RLIMIT_AS, RLIMIT_DATA};
  for (int i = 0; i < 2; i++)
    if (getrlimit(limits[i], &rl) == 0 && rl.rlim_cur / 64 < spare_size)
      spare_size = rl.rlim_cur / 64;
  spare_size &= ~(FAULT_CHUNK - 1);
  if (spare_size < FAULT_CHUNK)
    spare_size = FAULT_CHUNK;
  void *spare = lk_sys_mmap(NULL, spare_size, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (spare != MAP_FAILED) {
    shadow.spare_hi = (uintptr_t)spare + spare_size;
    __atomic_store_n(&shadow.spare_lo, (uintptr_t)spare, __ATOMIC_RELEASE);
  }
  /* The current thread's mask may block SIGSEGV already (a program that
   * blocked signals before exec). */
  sigset_t segv;
  sigemptyset(&segv);
  sigaddset(&segv, SIGSEGV);
  raw_syscall6(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&segv, 0, _NSIG / 8, 0,
               0);
  if (lk_flags.verbosity >= 1)
    lk_printf("leakcc: the shadow cannot be reserved (RLIMIT_AS or "
              "RLIMIT_DATA); mapping it on demand\n");
}

/* ---------------------------------------------------------- interceptors
 * Exported under libc's names (driver/leakcc.dynlist), weak so that a
 * program defining them itself still links.  Without on-demand shadow they
 * are libc's behaviour exactly. */

LK_EXPORT __attribute__((weak)) int sigaction(int sig,
                                              const struct sigaction *act,
                                              struct sigaction *old) {
  if (!lk_shadow_lazy())
    return __sigaction(sig, act, old);
  if (sig != SIGSEGV) {
    struct sigaction copy;
    if (act) {
      copy = *act;
      filter_mask(&act->sa_mask, &copy.sa_mask);
      act = &copy;
    }
    return __sigaction(sig, act, old);
  }
  segv_lock();
  if (old)
    *old = shadow.segv_action;
  if (act)
    shadow.segv_action = *act;
  segv_unlock();
  return 0;
}

/* glibc's signal() has BSD semantics: the signal is blocked while its
 * handler runs, and interrupted system calls restart. */
LK_EXPORT __attribute__((weak)) __sighandler_t signal(int sig,
                                                       __sighandler_t h) {
  if (!lk_shadow_lazy() || sig != SIGSEGV)
    return bsd_signal(sig, h);
  struct sigaction act = {.sa_handler = h, .sa_flags = SA_RESTART}, old;
  sigemptyset(&act.sa_mask);
  sigaction(sig, &act, &old);
  return old.sa_handler;
}

LK_EXPORT __attribute__((weak)) int pthread_sigmask(int how,
                                                    const sigset_t *set,
                                                    sigset_t *old) {
  sigset_t copy;
  if (set && how != SIG_UNBLOCK)
    set = filter_mask(set, &copy);
  long r = raw_syscall6(SYS_rt_sigprocmask, how, (long)set, (long)old,
                        _NSIG / 8, 0, 0);
  return r < 0 ? (int)-r : 0;
}

LK_EXPORT __attribute__((weak)) int sigprocmask(int how, const sigset_t *set,
                                                sigset_t *old) {
  int err = pthread_sigmask(how, set, old);
  if (err) {
    errno = err;
    return -1;
  }
  return 0;
}
