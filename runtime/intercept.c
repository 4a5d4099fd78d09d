/*
 * Interceptors of libc and kernel interfaces that hold or write pointers
 * (lk.h, intercept.c section; design.md §6).  Everything here serves
 * precise marking: it records or fixes up only while the process keeps
 * shadow for it (shadow_kept(): mode=precise or explain=1, shadow
 * reserved), and is a plain call of the real function otherwise.
 *
 *   libc out-parameters  getline, getdelim, asprintf, vasprintf,
 *                        open_memstream, regcomp, scandir, glob,
 *                        getaddrinfo, tsearch, tdelete (and their *64,
 *                        *at and _chk forms): after the real call the
 *                        word(s) libc may have written get RAW shadow, so
 *                        the precise scanner resolves whatever libc put
 *                        there (open_memstream: libc writes *ptr at each
 *                        fflush/fclose, so the slot is RAW from the open
 *                        on).  What those words point to is allocated by
 *                        libc through our malloc, from an uninstrumented
 *                        caller, and is scanned conservatively already.
 *                        setvbuf/setbuf and putenv need nothing: the FILE
 *                        and the environ array that keep the pointer are
 *                        libc-allocated blocks or libc globals, which are
 *                        scanned conservatively.
 *   bytes read           read, pread, readv, preadv, recv, recvfrom,
 *                        recvmsg, fread (and _chk forms): RAW over the
 *                        bytes read from a pipe or socketpair this process
 *                        made or from a memory stream (whole granules;
 *                        lk_shadow_set_raw), DATA over bytes read from
 *                        anything else (files, other processes).
 *   bytes in flight      pipe, pipe2 and socketpair descriptors are
 *                        tracked.  A write to one appends to its channel
 *                        every 8-byte window of the bytes written, at every
 *                        byte offset, whose value lies in the heap
 *                        (candidates: nothing else can be a reference),
 *                        with the stream offset where it ends; a read from
 *                        the peer end drops the candidates that end within
 *                        the bytes read.  lk_intercept_roots hands each
 *                        channel's candidate array to the scanner,
 *                        conservatively.  Filtering at write time keeps
 *                        the table small and makes unaligned pointers in
 *                        packed messages work without 8 scans per byte.
 *                        Channels follow dup/dup2/dup3; closing the last
 *                        read end drops the data (the kernel discards it).
 *                        A channel keeps at most MAX_CANDIDATES: past that
 *                        the oldest go, with one warning.
 *   epoll                epoll_ctl ADD/MOD remember event.data per (epfd,
 *                        fd), DEL and close of either forget it; the data
 *                        words are a conservative root.
 *   anonymous mmap       mmap/mmap64 regions with MAP_ANONYMOUS are
 *                        recorded (any protection: a PROT_NONE reservation
 *                        may be committed later by mprotect), their shadow
 *                        cleared; munmap/mremap/MAP_FIXED update the set.
 *                        lk_intercept_roots hands over their readable
 *                        parts (per /proc/self/maps) conservatively.  Each
 *                        region keeps its creator's return address, so
 *                        that regions made by instrumented code can be
 *                        scanned precisely once the module registry
 *                        (roots.c) can tell which objects are
 *                        instrumented.
 *
 * Interposition: each interceptor is a static function with a weak,
 * exported alias under the libc name, as compiler-rt's interceptors, so a
 * program that defines the same name itself still links and wins.  The real
 * function comes from dlsym(RTLD_NEXT), resolved for all of them by a
 * constructor (so no dlsym runs during a leak check) or at first use if an
 * interceptor runs before it.  libc's own internal calls (fread's read,
 * pthread_create's stack mmap, popen's pipe2) use internal aliases and never
 * reach these, so they see only the program's calls.  The mmap family is
 * the system call itself (lk_sys_mmap): the runtime's own mappings must go
 * through lk_sys_mmap/lk_sys_munmap, never mmap/munmap, or they would be
 * recorded as application regions (and a mapping made by the marker with
 * the world stopped could wait for a lock a stopped thread holds).
 *
 * Not followed: fcntl(F_DUPFD), close_range/closefrom and descriptors
 * closed inside libc (fclose of an fdopen'ed pipe) leave a stale entry
 * (reads through a reused number then count against a channel nobody
 * reads); data written through stdio (libc's internal write) is not
 * recorded; a datagram read shorter than the datagram counts only what it
 * returned (its candidates stay longer, never go early); a pointer split
 * across two writes is not recognised.
 *
 * Concurrency.  While the world is stopped the runtime itself reads and
 * closes /proc files and writes its log, possibly on descriptor numbers
 * that were pipes once, and a stopped thread may be anywhere in here.  So
 * reads, closes, dups and writes without a candidate take no lock: stream
 * positions and descriptor counts are atomics, a descriptor's channels are
 * swapped atomically, and a close makes its epoll registrations stale by
 * bumping the descriptor's generation instead of removing them.  Writes
 * with candidates, pipe creation, epoll_ctl and the mmap family take their
 * table's spinlock, which records its owner so that an interceptor
 * re-entered from a signal handler on the same thread skips its update
 * instead of deadlocking.  lk_intercept_roots takes no lock and never
 * faults: arrays are replaced by publishing a new pointer before the old
 * one is freed, channels are recycled but never freed, a table whose lock
 * is held (by a stopped thread) is scanned over its whole capacity (stale
 * words only add roots), and the region set is copy-on-write.
 */
/* This file defines getline, which <bits/stdio.h> otherwise defines as an
 * extern inline calling __getdelim when optimising. */
#include <features.h>
#undef __USE_EXTERN_INLINES

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <netdb.h>
#include <pthread.h>
#include <regex.h>
#include <sched.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>
#include <wchar.h>

#include "lk.h"

#undef fread_unlocked /* an inline macro in <bits/stdio.h> at -O2 */

/* The _FORTIFY_SOURCE entry points (declared by libc's headers only when
 * fortifying). */
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __pread64_chk(int fd, void *buf, size_t n, off64_t off,
                      size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
                       struct sockaddr *addr, socklen_t *addrlen);
size_t __fread_chk(void *ptr, size_t ptrlen, size_t size, size_t n,
                   FILE *stream);
size_t __fread_unlocked_chk(void *ptr, size_t ptrlen, size_t size, size_t n,
                            FILE *stream);
int __vasprintf_chk(char **strp, int flag, const char *fmt, va_list ap);
int __asprintf_chk(char **strp, int flag, const char *fmt, ...);

#define PAGE ((uintptr_t)4096)
#define PAGE_UP(n) (((n) + PAGE - 1) & ~(PAGE - 1))
#define FD_PAGE 1024          /* descriptors per page of the fd table */
#define FD_PAGES 1024         /* descriptors >= FD_PAGE * FD_PAGES: untracked */
#define RING_MIN 16           /* candidates of a new channel ring */
#define MAX_CANDIDATES (1u << 16) /* per channel (16 bytes each) */
#define EPOLL_MIN 16

/* ------------------------------------------------------- real functions */

/* The libc functions called through dlsym(RTLD_NEXT). */
#define LIBC_FUNCTIONS(X)                                                      \
  X(read) X(pread) X(pread64) X(readv) X(preadv) X(preadv64) X(recv)           \
  X(recvfrom) X(recvmsg) X(fread) X(fread_unlocked) X(__read_chk)              \
  X(__pread_chk) X(__pread64_chk) X(__recv_chk) X(__recvfrom_chk)              \
  X(__fread_chk) X(__fread_unlocked_chk) X(write) X(writev) X(send)            \
  X(sendto) X(sendmsg) X(pipe) X(pipe2) X(socketpair) X(dup) X(dup2) X(dup3)   \
  X(close) X(epoll_ctl) X(getline) X(getdelim) X(__getdelim) X(vasprintf)      \
  X(__vasprintf_chk) X(open_memstream) X(open_wmemstream) X(regcomp)           \
  X(scandir) X(scandir64) X(scandirat) X(scandirat64) X(glob) X(glob64)        \
  X(getaddrinfo) X(tsearch) X(tdelete) X(swapcontext) X(setcontext)          \
  X(sigaltstack)

static struct {
#define X(name) void *name;
  LIBC_FUNCTIONS(X)
#undef X
} reals;

static void *resolve(void **slot, const char *name) {
  void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
  if (LK_LIKELY(f))
    return f;
  f = dlsym(RTLD_NEXT, name);
  if (!f) {
    lk_error("cannot find the real %s: %s", name, dlerror());
    lk_die();
  }
  __atomic_store_n(slot, f, __ATOMIC_RELEASE);
  return f;
}

#define REAL(name) ((__typeof__(&name))resolve(&reals.name, #name))

/* Defines the interceptor NAME: a static function with a weak exported
 * alias under libc's name (same type, checked by __typeof__). */
#define INTERCEPTOR(ret, name, params)                                         \
  static ret icpt_##name params;                                               \
  _Static_assert(__builtin_types_compatible_p(__typeof__(name),                \
                                              __typeof__(icpt_##name)),        \
                 #name " differs from libc's declaration");                    \
  extern __typeof__(name) name                                                 \
      __attribute__((weak, alias("icpt_" #name), visibility("default")));      \
  static ret icpt_##name params

/* Exports NAME as another spelling of interceptor IMPL. */
#define ALIAS(name, impl)                                                      \
  extern __typeof__(name) name                                                 \
      __attribute__((weak, alias("icpt_" #impl), visibility("default")))

void *lk_sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
                  long off) {
  return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int lk_sys_munmap(void *addr, size_t len) {
  return (int)syscall(SYS_munmap, addr, len);
}

/* ---------------------------------------------------------------- state */

typedef struct chan chan;

/* One descriptor number: the channel it reads from and the one it writes
 * to (a pipe end has one, a socketpair end both; swapped atomically), and
 * its generation, bumped whenever the number is closed or replaced. */
typedef struct fdent {
  chan *in, *out;
  unsigned gen;
} fdent;

/* Candidates of a channel, a ring of cap (a power of two) slots: vals[i]
 * is a candidate word, ends[i] the stream offset just past it. */
typedef struct ring {
  size_t cap;
  uint64_t *ends;   /* = (uint64_t *)&vals[cap] */
  uint64_t vals[];
} ring;

/* The bytes written to a pipe or to one direction of a socketpair.  A
 * channel no descriptor refers to is dead; pipe creation recycles it. */
struct chan {
  chan *next;                 /* st.chans; never unlinked */
  ring *ring;                 /* NULL while it has no candidate */
  size_t head, count;         /* live slots: head .. head + count - 1 */
  uint64_t wpos, rpos;        /* stream offsets: bytes written, read */
  unsigned readers, writers;  /* descriptors whose in / out it is */
};

/* An epoll registration, valid while neither descriptor number has been
 * closed since (their generations are unchanged). */
typedef struct ep_key {
  int epfd, fd;
  unsigned epfd_gen, fd_gen;
} ep_key;
/* The registrations: data[i] is the event data of keys[i]. */
typedef struct ep_table {
  size_t cap;
  ep_key *keys;     /* = (ep_key *)&data[cap] */
  uint64_t data[];
} ep_table;

/* An anonymous mapping: [lo, hi), and the return address of the call that
 * created it. */
typedef struct mregion {
  uintptr_t lo, hi, pc;
} mregion;
/* The region set: sorted, disjoint; replaced as a whole on each change. */
typedef struct region_set {
  size_t n, cap;
  mregion r[];
} region_set;

/* All module state.  The locks hold 0 or their owner's thread token; each
 * guards the fields below it. */
static struct {
  fdent *fd_pages[FD_PAGES];  /* allocated on demand, never freed */
  uintptr_t chans_lock;       /* rings, channel creation */
  chan *chans;
  bool warned_overflow;
  uintptr_t epoll_lock;
  ep_table *epoll;
  size_t nepoll;
  uintptr_t regions_lock;     /* writers of regions */
  region_set *regions;
  /* The leak check holds every lock (lk_intercept_lock): the tables are
   * consistent although their locks are taken. */
  bool held_for_check;
  bool warned_regions;        /* the set could not be updated once */
  /* Out of runtime memory, a descriptor table page could not be made:
   * descriptors without an entry may be pipes of ours (lost_memory). */
  bool fd_lost;
} st;

/* Pipes and sockets whose channel could not be allocated share this one;
 * it keeps no candidate: each is pinned when written (lost_memory). */
static chan overflow_chan;

/* Metadata the interceptors keep could not be allocated (out of memory).
 * What they would have tracked is then treated more conservatively, never
 * less: one warning per process. */
static void lost_memory(const char *what) {
  static bool warned;
  if (!__atomic_exchange_n(&warned, true, __ATOMIC_ACQ_REL))
    lk_warn("out of memory for the %s: blocks whose references the kernel "
            "holds (pipes, sockets, epoll) are never reported as leaks from "
            "now on", what);
}

struct piece;
/* Heap words in the bytes of PIECES: their blocks become ignored for good
 * (lk_pin_block), because no channel remembers them in flight. */
static void pin_words(const struct piece *pieces, size_t npieces,
                      size_t total);

/* ---------------------------------------------------------------- basics */

/* Whether interceptors record: shadow is kept for precise marking in this
 * process (set once by lk_init: mode=precise or explain, shadow reserved).
 * False until lk_init has finished. */
static bool shadow_kept(void) {
  return __atomic_load_n(&lk_inited, __ATOMIC_ACQUIRE) == 2 &&
         lk_alloc_clears_shadow;
}

/* Its address identifies the calling thread. */
static __thread char thread_token;

/* Takes *l; false if this thread already holds it (an interceptor
 * re-entered from a signal handler): then the caller skips its update. */
static bool lock_take(uintptr_t *l) {
  uintptr_t self = (uintptr_t)&thread_token;
  for (;;) {
    uintptr_t seen = 0;
    if (__atomic_compare_exchange_n(l, &seen, self, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
      return true;
    if (seen == self)
      return false;
    sched_yield();
  }
}

static void lock_drop(uintptr_t *l) {
  __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* Whether a thread may be stopped in the middle of an update of *l's
 * table. */
static bool lock_held(uintptr_t *l) {
  return __atomic_load_n(l, __ATOMIC_RELAXED) != 0 &&
         !__atomic_load_n(&st.held_for_check, __ATOMIC_RELAXED);
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static bool in_heap(uint64_t v) {
  return v - lk_heap_lo < lk_heap_hi - lk_heap_lo;
}

/* Bytes [p, p + n) were written by libc or the kernel. */
static void wrote_bytes(const void *p, size_t n) {
  if (n && shadow_kept())
    lk_shadow_set_raw((uintptr_t)p, (uintptr_t)p + n);
}

/* libc may have stored a pointer in the word at slot. */
static void wrote_word(const void *slot) {
  if (slot)
    wrote_bytes(slot, sizeof(void *));
}

/* ------------------------------------------------------------ fd table */

/* The entry of fd, or NULL if its page was never needed.  Lock free. */
static fdent *fd_peek(int fd) {
  if (fd < 0 || fd >= FD_PAGE * FD_PAGES)
    return NULL;
  fdent *page = LOAD(st.fd_pages[fd / FD_PAGE]);
  return page ? &page[fd % FD_PAGE] : NULL;
}

/* The entry of fd, its page allocated if needed; NULL if fd is out of
 * range. */
static fdent *fd_get(int fd) {
  if (fd < 0 || fd >= FD_PAGE * FD_PAGES)
    return NULL;
  fdent **slot = &st.fd_pages[fd / FD_PAGE];
  fdent *page = LOAD(*slot);
  if (!page) {
    fdent *fresh = lk_ialloc_try(FD_PAGE * sizeof(fdent));
    if (!fresh) {
      STORE(st.fd_lost, true);
      lost_memory("descriptor table");
      return NULL;
    }
    if (__atomic_compare_exchange_n(slot, &page, fresh, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      page = fresh;
    else
      lk_ifree(fresh, FD_PAGE * sizeof(fdent));
  }
  return &page[fd % FD_PAGE];
}

/* fd now reads from in and writes to out (either may be NULL), instead of
 * what it did before.  Lock free. */
static void fd_point(fdent *e, chan *in, chan *out) {
  if (in)
    __atomic_fetch_add(&in->readers, 1, __ATOMIC_ACQ_REL);
  if (out)
    __atomic_fetch_add(&out->writers, 1, __ATOMIC_ACQ_REL);
  chan *old_in = __atomic_exchange_n(&e->in, in, __ATOMIC_ACQ_REL);
  chan *old_out = __atomic_exchange_n(&e->out, out, __ATOMIC_ACQ_REL);
  if (old_in)
    __atomic_fetch_sub(&old_in->readers, 1, __ATOMIC_ACQ_REL);
  if (old_out)
    __atomic_fetch_sub(&old_out->writers, 1, __ATOMIC_ACQ_REL);
}

/* The number fd is being closed or replaced (dup2 onto it).  Lock free. */
static void fd_forget(int fd) {
  fdent *e = fd_peek(fd);
  if (!e)
    return;
  if (LOAD(e->in) || LOAD(e->out))
    fd_point(e, NULL, NULL);
  __atomic_fetch_add(&e->gen, 1, __ATOMIC_ACQ_REL);
}

/* ------------------------------------------------------------- channels */

static size_t ring_bytes(size_t cap) {
  return sizeof(ring) + 2 * cap * sizeof(uint64_t);
}

/* Caller holds chans_lock.  Replaces c's ring by one of cap slots holding
 * its live candidates in order (cap 0: none, and no ring).  False, with c
 * unchanged, when there is no memory for it. */
static bool ring_resize(chan *c, size_t cap) {
  ring *old = c->ring, *r = NULL;
  if (cap) {
    r = lk_ialloc_try(ring_bytes(cap));
    if (!r)
      return false;
    r->cap = cap;
    r->ends = (uint64_t *)&r->vals[cap];
    for (size_t i = 0; i < c->count; i++) {
      size_t j = (c->head + i) & (old->cap - 1);
      r->vals[i] = old->vals[j];
      r->ends[i] = old->ends[j];
    }
  }
  STORE(c->ring, r);
  c->head = 0;
  if (!cap)
    c->count = 0;
  if (old)
    lk_ifree(old, ring_bytes(old->cap));
  return true;
}

/* Caller holds chans_lock.  Drops the candidates read by now (from the
 * front: they were appended in stream order). */
static void ring_trim(chan *c) {
  ring *r = c->ring;
  uint64_t read = LOAD(c->rpos);
  while (c->count && r->ends[c->head] <= read) {
    c->head = (c->head + 1) & (r->cap - 1);
    c->count--;
  }
  if (r && !c->count && r->cap > RING_MIN)
    ring_resize(c, 0);
}

/* Caller holds chans_lock. */
static void push_candidate(chan *c, uint64_t v, uint64_t end) {
  size_t cap = c->ring ? c->ring->cap : 0;
  if (c == &overflow_chan) { /* no memory for a channel of its own */
    lk_pin_block(v);
    return;
  }
  if (c->count == cap) {
    if (cap < MAX_CANDIDATES) {
      if (!ring_resize(c, cap ? 2 * cap : RING_MIN)) {
        lost_memory("candidates in flight");
        lk_pin_block(v);
        return;
      }
    } else {
      c->head = (c->head + 1) & (cap - 1);
      c->count--;
      if (!st.warned_overflow) {
        st.warned_overflow = true;
        lk_warn("more than %u possible pointers are in flight in one pipe "
                "or socket; the oldest are no longer treated as references",
                MAX_CANDIDATES);
      }
    }
  }
  ring *r = c->ring;
  size_t i = (c->head + c->count) & (r->cap - 1);
  r->vals[i] = v;
  r->ends[i] = end;
  c->count++;
}

/* Reserves the stream offsets of n bytes written to c; returns the first.
 * Bytes read that we never saw written (another process, stdio) move the
 * write position up to the read position.  Lock free. */
static uint64_t channel_reserve(chan *c, size_t n) {
  uint64_t w = LOAD(c->wpos), base;
  do {
    uint64_t r = LOAD(c->rpos);
    base = w > r ? w : r;
  } while (!__atomic_compare_exchange_n(&c->wpos, &w, base + n, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
  return base;
}

/* An iovec-like piece of data. */
typedef struct piece {
  const void *p;
  size_t n;
} piece;

/* The first total bytes of the pieces were written to c.  Takes
 * chans_lock only at the first candidate. */
static void channel_write(chan *c, const piece *pieces, size_t npieces,
                          size_t total) {
  uint64_t base = channel_reserve(c, total);
  if (!LOAD(c->readers)) /* no reader: the data can never be read */
    return;
  bool locked = false;
  for (size_t k = 0; k < npieces && total; k++) {
    const unsigned char *p = pieces[k].p;
    size_t n = pieces[k].n < total ? pieces[k].n : total;
    for (size_t i = 0; i + sizeof(uint64_t) <= n; i++) {
      uint64_t v;
      __builtin_memcpy(&v, p + i, sizeof v); /* an unaligned load */
      if (!in_heap(v))
        continue;
      if (!locked) {
        if (!lock_take(&st.chans_lock))
          return;
        locked = true;
        ring_trim(c);
      }
      push_candidate(c, v, base + i + sizeof v);
    }
    base += n;
    total -= n;
  }
  if (locked)
    lock_drop(&st.chans_lock);
}

static void pin_words(const piece *pieces, size_t npieces, size_t total) {
  for (size_t k = 0; k < npieces && total; k++) {
    const unsigned char *p = pieces[k].p;
    size_t n = pieces[k].n < total ? pieces[k].n : total;
    for (size_t i = 0; i + sizeof(uint64_t) <= n; i++) {
      uint64_t v;
      __builtin_memcpy(&v, p + i, sizeof v); /* an unaligned load */
      if (in_heap(v))
        lk_pin_block(v);
    }
    total -= n;
  }
}

/* Caller holds chans_lock.  A channel for a new descriptor pair: a dead one
 * recycled, else a new one.  Dead channels' rings are released here. */
static chan *channel_new(void) {
  chan *fresh = NULL;
  for (chan *c = st.chans; c; c = c->next) {
    if (LOAD(c->readers))
      continue;
    if (c->ring)
      ring_resize(c, 0); /* unreadable: the kernel discarded the data */
    if (!fresh && !LOAD(c->writers))
      fresh = c;
  }
  if (fresh) {
    STORE(fresh->wpos, 0);
    STORE(fresh->rpos, 0);
    return fresh;
  }
  fresh = lk_ialloc_try(sizeof *fresh);
  if (!fresh) {
    lost_memory("pipe channels");
    return &overflow_chan;
  }
  fresh->next = st.chans;
  STORE(st.chans, fresh);
  return fresh;
}

/* The first total bytes of pieces went through fd: written to it (out)
 * or read from it. */
static void fd_traffic(int fd, const piece *pieces, size_t npieces,
                       size_t total, bool out) {
  fdent *e = fd_peek(fd);
  chan *c = e ? (out ? LOAD(e->out) : LOAD(e->in)) : NULL;
  if (!c && out && !e && LOAD(st.fd_lost)) {
    pin_words(pieces, npieces, total); /* may be a pipe of ours */
    return;
  }
  if (!c)
    return;
  int saved = errno;
  if (out)
    channel_write(c, pieces, npieces, total);
  else
    __atomic_fetch_add(&c->rpos, total, __ATOMIC_ACQ_REL);
  errno = saved;
}

/* A read of r bytes into the pieces (r < 0: failed).  consume: the bytes
 * left the descriptor (not MSG_PEEK, not pread). */
static void got(int fd, const piece *pieces, size_t npieces, ssize_t r,
                bool consume) {
  if (r <= 0 || !shadow_kept())
    return;
  /* Bytes from a pipe or socketpair this process made, or from a stream
   * over memory (fmemopen: no descriptor), may be pointers it wrote there:
   * scanned conservatively.  Bytes from anywhere else (files, other
   * processes) are no reference to this heap: DATA. */
  fdent *e = fd < 0 ? NULL : fd_peek(fd);
  /* Without an entry since memory ran out, it may be a pipe of ours. */
  bool ours = fd < 0 || (e && LOAD(e->in)) || (!e && LOAD(st.fd_lost));
  size_t left = (size_t)r;
  for (size_t i = 0; i < npieces && left; i++) {
    size_t n = pieces[i].n < left ? pieces[i].n : left;
    if (ours)
      wrote_bytes(pieces[i].p, n);
    else
      lk_shadow_set_data((uintptr_t)pieces[i].p, (uintptr_t)pieces[i].p + n);
    left -= n;
  }
  if (consume)
    fd_traffic(fd, pieces, npieces, (size_t)r, false);
}

static void got_buf(int fd, const void *buf, ssize_t r, bool consume) {
  piece one = {buf, r > 0 ? (size_t)r : 0};
  got(fd, &one, 1, r, consume);
}

/* A write of r bytes from the pieces (r < 0: failed). */
static void sent(int fd, const piece *pieces, size_t npieces, ssize_t r) {
  if (r > 0 && shadow_kept())
    fd_traffic(fd, pieces, npieces, (size_t)r, true);
}

static void sent_buf(int fd, const void *buf, ssize_t r) {
  piece one = {buf, r > 0 ? (size_t)r : 0};
  sent(fd, &one, 1, r);
}

/* At most IOV_PIECES pieces of an iovec are followed (more: the rest is
 * neither marked nor recorded). */
#define IOV_PIECES 64
static size_t pieces_of(const struct iovec *iov, int n, piece *out) {
  size_t k = 0;
  for (int i = 0; i < n && k < IOV_PIECES; i++)
    out[k++] = (piece){iov[i].iov_base, iov[i].iov_len};
  return k;
}

/* A read of r bytes into an iovec array (r <= 0: nothing). */
static void got_iov(int fd, const struct iovec *iov, int n, ssize_t r,
                    bool consume) {
  piece p[IOV_PIECES];
  if (r > 0)
    got(fd, p, pieces_of(iov, n, p), r, consume);
}

/* A new pipe or socketpair: fds[0] reads what fds[1] writes; a socketpair
 * also the other way. */
static void track_pair(const int fds[2], bool both_ways) {
  if (!shadow_kept())
    return;
  int saved = errno;
  fdent *a = fd_get(fds[0]), *b = fd_get(fds[1]);
  if (a && b && lock_take(&st.chans_lock)) {
    chan *fwd = channel_new();
    fd_point(a, fwd, NULL); /* fwd is no longer dead: not recycled below */
    chan *back = both_ways ? channel_new() : NULL;
    fd_point(b, back, fwd);
    if (back)
      fd_point(a, fwd, back);
    lock_drop(&st.chans_lock);
  }
  errno = saved;
}

/* ---------------------------------------------------------------- epoll */

static size_t ep_bytes(size_t cap) {
  return sizeof(ep_table) + cap * (sizeof(uint64_t) + sizeof(ep_key));
}

/* Whether registration k still holds (neither number closed since). */
static bool ep_valid(const ep_key *k) {
  const fdent *a = fd_peek(k->epfd), *b = fd_peek(k->fd);
  return a && b && LOAD(a->gen) == k->epfd_gen && LOAD(b->gen) == k->fd_gen;
}

/* Caller holds epoll_lock.  Removes the registration of (epfd, fd) and the
 * stale ones (the last entry takes a removed one's place). */
static void ep_remove(int epfd, int fd) {
  ep_table *t = st.epoll;
  for (size_t i = 0; i < st.nepoll;) {
    ep_key *k = &t->keys[i];
    if ((k->epfd == epfd && k->fd == fd) || !ep_valid(k)) {
      size_t last = --st.nepoll;
      t->data[i] = t->data[last];
      t->keys[i] = t->keys[last];
    } else {
      i++;
    }
  }
}

/* Caller holds epoll_lock. */
static void ep_add(int epfd, int fd, uint64_t data) {
  fdent *a = fd_get(epfd), *b = fd_get(fd);
  if (!a || !b)
    return;
  ep_remove(epfd, fd);
  ep_table *old = st.epoll;
  size_t cap = old ? old->cap : 0;
  if (st.nepoll == cap) {
    ep_table *t = lk_ialloc_try(ep_bytes(cap ? 2 * cap : EPOLL_MIN));
    if (!t) { /* the kernel holds data: its block stays a root for good */
      lost_memory("epoll table");
      lk_pin_block(data);
      return;
    }
    t->cap = cap ? 2 * cap : EPOLL_MIN;
    t->keys = (ep_key *)&t->data[t->cap];
    if (old) {
      memcpy(t->data, old->data, st.nepoll * sizeof *t->data);
      memcpy(t->keys, old->keys, st.nepoll * sizeof *t->keys);
    }
    STORE(st.epoll, t);
    if (old)
      lk_ifree(old, ep_bytes(old->cap));
  }
  size_t i = st.nepoll;
  st.epoll->keys[i] = (ep_key){epfd, fd, LOAD(a->gen), LOAD(b->gen)};
  st.epoll->data[i] = data;
  st.nepoll = i + 1;
}

/* -------------------------------------------------------------- regions */

/* Caller holds regions_lock.  Publishes the set minus [lo, hi), plus
 * {lo, hi, pc} if add; frees the old set.  Does nothing if nothing
 * changes. */
static void regions_replace(uintptr_t lo, uintptr_t hi, uintptr_t pc,
                            bool add) {
  region_set *old = st.regions;
  size_t n = old ? old->n : 0;
  bool overlaps = false;
  for (size_t i = 0; i < n && !overlaps; i++)
    overlaps = old->r[i].lo < hi && old->r[i].hi > lo;
  if (!overlaps && !add)
    return;
  /* Cutting one region can split it in two: at most n + 2 entries. */
  region_set *s = lk_ialloc_try(sizeof(region_set) + (n + 2) * sizeof(mregion));
  if (!s) { /* no memory (vm.max_map_count, RLIMIT_AS): the set goes stale */
    if (!__atomic_exchange_n(&st.warned_regions, true, __ATOMIC_RELAXED))
      lk_warn("out of memory for the mmap region table; regions mapped "
              "from now on are not scanned as roots, and blocks only they "
              "reference may be reported as leaks");
    return;
  }
  s->cap = n + 2;
  size_t k = 0;
  bool added = !add;
  for (size_t i = 0; i < n; i++) {
    mregion r = old->r[i];
    if (!added && r.lo >= lo) {
      s->r[k++] = (mregion){lo, hi, pc};
      added = true;
    }
    if (r.hi <= lo || r.lo >= hi) {
      s->r[k++] = r;
      continue;
    }
    if (r.lo < lo)
      s->r[k++] = (mregion){r.lo, lo, r.pc};
    if (r.hi > hi) {
      if (!added) {
        s->r[k++] = (mregion){lo, hi, pc};
        added = true;
      }
      s->r[k++] = (mregion){hi, r.hi, r.pc};
    }
  }
  if (!added)
    s->r[k++] = (mregion){lo, hi, pc};
  s->n = k;
  STORE(st.regions, s);
  if (old)
    lk_ifree(old, sizeof(region_set) + old->cap * sizeof(mregion));
}

/* The creator pc of the region holding p, or 0.  Caller holds
 * regions_lock. */
static uintptr_t region_pc(uintptr_t p) {
  const region_set *s = st.regions;
  for (size_t i = 0; s && i < s->n; i++)
    if (s->r[i].lo <= p && p < s->r[i].hi)
      return s->r[i].pc;
  return 0;
}

/* [lo, hi) was mapped (anonymous: a region created at pc) or unmapped. */
static void regions_changed(uintptr_t lo, uintptr_t hi, bool anonymous,
                            uintptr_t pc) {
  /* The heap's reservation belongs to the allocator, whose blocks are
   * scanned as blocks. */
  if (lo < lk_heap_hi && hi > lk_heap_lo)
    return;
  int saved = errno;
  if (anonymous)
    lk_shadow_forget(lo, hi);
  if (lock_take(&st.regions_lock)) {
    regions_replace(lo, hi, pc, anonymous);
    lock_drop(&st.regions_lock);
  }
  errno = saved;
}

/* ----------------------------------------------------- mmap interceptors */

INTERCEPTOR(void *, mmap, (void *addr, size_t len, int prot, int flags,
                           int fd, off_t off)) {
  void *p = lk_sys_mmap(addr, len, prot, flags, fd, off);
  if (p != MAP_FAILED && shadow_kept())
    regions_changed((uintptr_t)p, (uintptr_t)p + PAGE_UP(len),
                    flags & MAP_ANONYMOUS,
                    (uintptr_t)__builtin_return_address(0));
  return p;
}
ALIAS(mmap64, mmap);

INTERCEPTOR(int, munmap, (void *addr, size_t len)) {
  int rc = lk_sys_munmap(addr, len);
  if (rc == 0 && shadow_kept())
    regions_changed((uintptr_t)addr, (uintptr_t)addr + PAGE_UP(len), false,
                    0);
  return rc;
}

INTERCEPTOR(void *, mremap, (void *old, size_t old_size, size_t new_size,
                             int flags, ...)) {
  void *want = NULL;
  if (flags & MREMAP_FIXED) {
    va_list ap;
    va_start(ap, flags);
    want = va_arg(ap, void *);
    va_end(ap);
  }
  void *p = (void *)syscall(SYS_mremap, old, old_size, new_size, flags, want);
  if (p == MAP_FAILED || !shadow_kept())
    return p;
  uintptr_t o = (uintptr_t)old, n = (uintptr_t)p;
  uintptr_t olen = PAGE_UP(old_size), nlen = PAGE_UP(new_size);
  int saved = errno;
  if (lock_take(&st.regions_lock)) {
    uintptr_t pc = region_pc(o); /* 0: not a recorded region */
    if (pc && n != o)
      lk_shadow_move(n, o, olen < nlen ? olen : nlen);
    if (pc && nlen > olen)
      lk_shadow_forget(n + olen, n + nlen);
    if (!(flags & MREMAP_DONTUNMAP))
      regions_replace(o, o + olen, 0, false);
    regions_replace(n, n + nlen, pc, pc != 0);
    lock_drop(&st.regions_lock);
  }
  errno = saved;
  return p;
}

/* ---------------------------------------------------- read interceptors */

INTERCEPTOR(ssize_t, read, (int fd, void *buf, size_t n)) {
  ssize_t r = REAL(read)(fd, buf, n);
  got_buf(fd, buf, r, true);
  return r;
}

INTERCEPTOR(ssize_t, __read_chk, (int fd, void *buf, size_t n,
                                  size_t buflen)) {
  ssize_t r = REAL(__read_chk)(fd, buf, n, buflen);
  got_buf(fd, buf, r, true);
  return r;
}

INTERCEPTOR(ssize_t, pread, (int fd, void *buf, size_t n, off_t off)) {
  ssize_t r = REAL(pread)(fd, buf, n, off);
  got_buf(fd, buf, r, false);
  return r;
}

INTERCEPTOR(ssize_t, pread64, (int fd, void *buf, size_t n, off64_t off)) {
  ssize_t r = REAL(pread64)(fd, buf, n, off);
  got_buf(fd, buf, r, false);
  return r;
}

INTERCEPTOR(ssize_t, __pread_chk, (int fd, void *buf, size_t n, off_t off,
                                   size_t buflen)) {
  ssize_t r = REAL(__pread_chk)(fd, buf, n, off, buflen);
  got_buf(fd, buf, r, false);
  return r;
}

INTERCEPTOR(ssize_t, __pread64_chk, (int fd, void *buf, size_t n,
                                     off64_t off, size_t buflen)) {
  ssize_t r = REAL(__pread64_chk)(fd, buf, n, off, buflen);
  got_buf(fd, buf, r, false);
  return r;
}

INTERCEPTOR(ssize_t, readv, (int fd, const struct iovec *iov, int n)) {
  ssize_t r = REAL(readv)(fd, iov, n);
  got_iov(fd, iov, n, r, true);
  return r;
}

INTERCEPTOR(ssize_t, preadv, (int fd, const struct iovec *iov, int n,
                              off_t off)) {
  ssize_t r = REAL(preadv)(fd, iov, n, off);
  got_iov(fd, iov, n, r, false);
  return r;
}

INTERCEPTOR(ssize_t, preadv64, (int fd, const struct iovec *iov, int n,
                                off64_t off)) {
  ssize_t r = REAL(preadv64)(fd, iov, n, off);
  got_iov(fd, iov, n, r, false);
  return r;
}

INTERCEPTOR(ssize_t, recv, (int fd, void *buf, size_t n, int flags)) {
  ssize_t r = REAL(recv)(fd, buf, n, flags);
  got_buf(fd, buf, r, !(flags & MSG_PEEK));
  return r;
}

INTERCEPTOR(ssize_t, __recv_chk, (int fd, void *buf, size_t n, size_t buflen,
                                  int flags)) {
  ssize_t r = REAL(__recv_chk)(fd, buf, n, buflen, flags);
  got_buf(fd, buf, r, !(flags & MSG_PEEK));
  return r;
}

INTERCEPTOR(ssize_t, recvfrom, (int fd, void *buf, size_t n, int flags,
                                struct sockaddr *addr, socklen_t *addrlen)) {
  ssize_t r = REAL(recvfrom)(fd, buf, n, flags, addr, addrlen);
  got_buf(fd, buf, r, !(flags & MSG_PEEK));
  return r;
}

INTERCEPTOR(ssize_t, __recvfrom_chk, (int fd, void *buf, size_t n,
                                      size_t buflen, int flags,
                                      struct sockaddr *addr,
                                      socklen_t *addrlen)) {
  ssize_t r = REAL(__recvfrom_chk)(fd, buf, n, buflen, flags, addr, addrlen);
  got_buf(fd, buf, r, !(flags & MSG_PEEK));
  return r;
}

INTERCEPTOR(ssize_t, recvmsg, (int fd, struct msghdr *msg, int flags)) {
  ssize_t r = REAL(recvmsg)(fd, msg, flags);
  piece p[IOV_PIECES];
  if (r > 0)
    got(fd, p, pieces_of(msg->msg_iov, (int)msg->msg_iovlen, p), r,
        !(flags & MSG_PEEK));
  return r;
}

INTERCEPTOR(size_t, fread, (void *ptr, size_t size, size_t n, FILE *f)) {
  size_t r = REAL(fread)(ptr, size, n, f);
  got_buf(fileno_unlocked(f), ptr, (ssize_t)(r * size), false);
  return r;
}

INTERCEPTOR(size_t, fread_unlocked, (void *ptr, size_t size, size_t n,
                                     FILE *f)) {
  size_t r = REAL(fread_unlocked)(ptr, size, n, f);
  got_buf(fileno_unlocked(f), ptr, (ssize_t)(r * size), false);
  return r;
}

INTERCEPTOR(size_t, __fread_chk, (void *ptr, size_t ptrlen, size_t size,
                                  size_t n, FILE *f)) {
  size_t r = REAL(__fread_chk)(ptr, ptrlen, size, n, f);
  got_buf(fileno_unlocked(f), ptr, (ssize_t)(r * size), false);
  return r;
}

INTERCEPTOR(size_t, __fread_unlocked_chk, (void *ptr, size_t ptrlen,
                                           size_t size, size_t n, FILE *f)) {
  size_t r = REAL(__fread_unlocked_chk)(ptr, ptrlen, size, n, f);
  got_buf(fileno_unlocked(f), ptr, (ssize_t)(r * size), false);
  return r;
}

/* --------------------------------------------------- write interceptors */

INTERCEPTOR(ssize_t, write, (int fd, const void *buf, size_t n)) {
  ssize_t r = REAL(write)(fd, buf, n);
  sent_buf(fd, buf, r);
  return r;
}

INTERCEPTOR(ssize_t, writev, (int fd, const struct iovec *iov, int n)) {
  ssize_t r = REAL(writev)(fd, iov, n);
  piece p[IOV_PIECES];
  if (r > 0)
    sent(fd, p, pieces_of(iov, n, p), r);
  return r;
}

INTERCEPTOR(ssize_t, send, (int fd, const void *buf, size_t n, int flags)) {
  ssize_t r = REAL(send)(fd, buf, n, flags);
  sent_buf(fd, buf, r);
  return r;
}

INTERCEPTOR(ssize_t, sendto, (int fd, const void *buf, size_t n, int flags,
                              const struct sockaddr *addr,
                              socklen_t addrlen)) {
  ssize_t r = REAL(sendto)(fd, buf, n, flags, addr, addrlen);
  sent_buf(fd, buf, r);
  return r;
}

INTERCEPTOR(ssize_t, sendmsg, (int fd, const struct msghdr *msg,
                               int flags)) {
  ssize_t r = REAL(sendmsg)(fd, msg, flags);
  piece p[IOV_PIECES];
  if (r > 0)
    sent(fd, p, pieces_of(msg->msg_iov, (int)msg->msg_iovlen, p), r);
  return r;
}

/* ------------------------------------------------ descriptor interceptors */

INTERCEPTOR(int, pipe, (int fds[2])) {
  int rc = REAL(pipe)(fds);
  if (rc == 0)
    track_pair(fds, false);
  return rc;
}

INTERCEPTOR(int, pipe2, (int fds[2], int flags)) {
  int rc = REAL(pipe2)(fds, flags);
  if (rc == 0)
    track_pair(fds, false);
  return rc;
}

INTERCEPTOR(int, socketpair, (int domain, int type, int protocol,
                              int fds[2])) {
  int rc = REAL(socketpair)(domain, type, protocol, fds);
  if (rc == 0)
    track_pair(fds, true);
  return rc;
}

/* newfd now refers to what oldfd does. */
static void duplicated(int oldfd, int newfd) {
  int saved = errno;
  fd_forget(newfd);
  fdent *from = fd_peek(oldfd), *to;
  chan *in = from ? LOAD(from->in) : NULL;
  chan *out = from ? LOAD(from->out) : NULL;
  if ((in || out) && (to = fd_get(newfd)))
    fd_point(to, in, out);
  errno = saved;
}

INTERCEPTOR(int, dup, (int fd)) {
  int r = REAL(dup)(fd);
  if (r >= 0)
    duplicated(fd, r);
  return r;
}

INTERCEPTOR(int, dup2, (int fd, int newfd)) {
  int r = REAL(dup2)(fd, newfd);
  if (r >= 0 && fd != newfd)
    duplicated(fd, r);
  return r;
}

INTERCEPTOR(int, dup3, (int fd, int newfd, int flags)) {
  int r = REAL(dup3)(fd, newfd, flags);
  if (r >= 0)
    duplicated(fd, r);
  return r;
}

/* Forgets before closing: once closed, the number may be reused at once by
 * another thread's pipe. */
INTERCEPTOR(int, close, (int fd)) {
  fd_forget(fd);
  return REAL(close)(fd);
}

INTERCEPTOR(int, epoll_ctl, (int epfd, int op, int fd,
                             struct epoll_event *ev)) {
  int rc = REAL(epoll_ctl)(epfd, op, fd, ev);
  if (rc != 0 || !shadow_kept())
    return rc;
  int saved = errno;
  if (lock_take(&st.epoll_lock)) {
    if (op == EPOLL_CTL_DEL)
      ep_remove(epfd, fd);
    else if (ev) /* ADD, MOD */
      ep_add(epfd, fd, ev->data.u64);
    lock_drop(&st.epoll_lock);
  }
  errno = saved;
  return rc;
}

/* ------------------------------------------------- out-parameter stores */

INTERCEPTOR(ssize_t, getline, (char **line, size_t *n, FILE *f)) {
  ssize_t r = REAL(getline)(line, n, f);
  wrote_word(line); /* even at EOF: the buffer may have been allocated */
  return r;
}

INTERCEPTOR(ssize_t, getdelim, (char **line, size_t *n, int delim,
                                FILE *f)) {
  ssize_t r = REAL(getdelim)(line, n, delim, f);
  wrote_word(line);
  return r;
}

/* getline itself, when glibc's headers inline it (callers built with
 * optimisation). */
INTERCEPTOR(ssize_t, __getdelim, (char **line, size_t *n, int delim,
                                  FILE *f)) {
  ssize_t r = REAL(__getdelim)(line, n, delim, f);
  wrote_word(line);
  return r;
}

INTERCEPTOR(int, vasprintf, (char **strp, const char *fmt, va_list ap)) {
  int r = REAL(vasprintf)(strp, fmt, ap);
  wrote_word(strp);
  return r;
}

INTERCEPTOR(int, asprintf, (char **strp, const char *fmt, ...)) {
  va_list ap;
  va_start(ap, fmt);
  int r = REAL(vasprintf)(strp, fmt, ap);
  va_end(ap);
  wrote_word(strp);
  return r;
}

INTERCEPTOR(int, __vasprintf_chk, (char **strp, int flag, const char *fmt,
                                   va_list ap)) {
  int r = REAL(__vasprintf_chk)(strp, flag, fmt, ap);
  wrote_word(strp);
  return r;
}

INTERCEPTOR(int, __asprintf_chk, (char **strp, int flag, const char *fmt,
                                  ...)) {
  va_list ap;
  va_start(ap, fmt);
  int r = REAL(__vasprintf_chk)(strp, flag, fmt, ap);
  va_end(ap);
  wrote_word(strp);
  return r;
}

/* libc writes *ptr at every fflush and fclose, long after this call. */
INTERCEPTOR(FILE *, open_memstream, (char **ptr, size_t *size)) {
  FILE *f = REAL(open_memstream)(ptr, size);
  wrote_word(ptr);
  return f;
}

INTERCEPTOR(FILE *, open_wmemstream, (wchar_t **ptr, size_t *size)) {
  FILE *f = REAL(open_wmemstream)(ptr, size);
  wrote_word(ptr);
  return f;
}

INTERCEPTOR(int, regcomp, (regex_t *re, const char *pattern, int flags)) {
  int r = REAL(regcomp)(re, pattern, flags);
  wrote_bytes(re, sizeof *re);
  return r;
}

INTERCEPTOR(int, scandir, (const char *dir, struct dirent ***list,
                           int (*filter)(const struct dirent *),
                           int (*cmp)(const struct dirent **,
                                      const struct dirent **))) {
  int r = REAL(scandir)(dir, list, filter, cmp);
  wrote_word(list);
  return r;
}

INTERCEPTOR(int, scandir64, (const char *dir, struct dirent64 ***list,
                             int (*filter)(const struct dirent64 *),
                             int (*cmp)(const struct dirent64 **,
                                        const struct dirent64 **))) {
  int r = REAL(scandir64)(dir, list, filter, cmp);
  wrote_word(list);
  return r;
}

INTERCEPTOR(int, scandirat, (int dfd, const char *dir, struct dirent ***list,
                             int (*filter)(const struct dirent *),
                             int (*cmp)(const struct dirent **,
                                        const struct dirent **))) {
  int r = REAL(scandirat)(dfd, dir, list, filter, cmp);
  wrote_word(list);
  return r;
}

INTERCEPTOR(int, scandirat64, (int dfd, const char *dir,
                               struct dirent64 ***list,
                               int (*filter)(const struct dirent64 *),
                               int (*cmp)(const struct dirent64 **,
                                          const struct dirent64 **))) {
  int r = REAL(scandirat64)(dfd, dir, list, filter, cmp);
  wrote_word(list);
  return r;
}

INTERCEPTOR(int, glob, (const char *pattern, int flags,
                        int (*err)(const char *, int), glob_t *g)) {
  int r = REAL(glob)(pattern, flags, err, g);
  wrote_bytes(g, sizeof *g);
  return r;
}

INTERCEPTOR(int, glob64, (const char *pattern, int flags,
                          int (*err)(const char *, int), glob64_t *g)) {
  int r = REAL(glob64)(pattern, flags, err, g);
  wrote_bytes(g, sizeof *g);
  return r;
}

INTERCEPTOR(int, getaddrinfo, (const char *node, const char *service,
                               const struct addrinfo *hints,
                               struct addrinfo **res)) {
  int r = REAL(getaddrinfo)(node, service, hints, res);
  wrote_word(res);
  return r;
}

INTERCEPTOR(void *, tsearch, (const void *key, void **root,
                              __compar_fn_t cmp)) {
  void *r = REAL(tsearch)(key, root, cmp);
  wrote_word(root);
  return r;
}

INTERCEPTOR(void *, tdelete, (const void *restrict key, void **restrict root,
                              __compar_fn_t cmp)) {
  void *r = REAL(tdelete)(key, root, cmp);
  wrote_word(root);
  return r;
}

/* ------------------------------------------------------------ start-up */

static void lock_all(void) {
  lock_take(&st.chans_lock);
  lock_take(&st.epoll_lock);
  lock_take(&st.regions_lock);
}

static void unlock_all(void) {
  lock_drop(&st.regions_lock);
  lock_drop(&st.epoll_lock);
  lock_drop(&st.chans_lock);
}

void lk_intercept_lock(void) {
  lock_all();
  __atomic_store_n(&st.held_for_check, true, __ATOMIC_RELAXED);
}

void lk_intercept_unlock(void) {
  __atomic_store_n(&st.held_for_check, false, __ATOMIC_RELAXED);
  unlock_all();
}

/* Resolves every real function now, so that none is looked up during a
 * leak check (dlsym takes the loader's lock, which a stopped thread may
 * hold), and keeps the tables usable in a forked child. */
__attribute__((constructor)) static void intercept_init(void) {
#define X(name) resolve(&reals.name, #name);
  LIBC_FUNCTIONS(X)
#undef X
  pthread_atfork(lock_all, unlock_all, unlock_all);
}

/* ---------------------------------------------------------------- roots */

struct roots_ctx {
  lk_root_fn scan;
  void *arg;
  const region_set *regions;
  size_t next; /* first region that may overlap the next mapping */
};

/* The parts of recorded regions inside one readable mapping.  Mappings and
 * regions are both sorted, so one pass over each suffices. */
static void scan_regions_in(uintptr_t lo, uintptr_t hi, void *arg) {
  struct roots_ctx *c = arg;
  const region_set *s = c->regions;
  while (c->next < s->n && s->r[c->next].hi <= lo)
    c->next++;
  for (size_t i = c->next; i < s->n && s->r[i].lo < hi; i++) {
    uintptr_t b = s->r[i].lo > lo ? s->r[i].lo : lo;
    uintptr_t e = s->r[i].hi < hi ? s->r[i].hi : hi;
    if (lk_flags.verbosity >= 2)
      lk_printf("leakcc: mmap region [%p, %p) created at pc %p\n", (void *)b,
                (void *)e, (void *)s->r[i].pc);
    c->scan(b, e, "mmap region", false, c->arg);
  }
}

/* Each channel that has a reader: its candidates not yet read, or its
 * whole ring if a stopped thread holds the lock mid-update. */
static void scan_channels(lk_root_fn scan, void *arg) {
  bool whole = lock_held(&st.chans_lock);
  for (chan *c = LOAD(st.chans); c; c = c->next) {
    const ring *r = LOAD(c->ring);
    if (!r || !LOAD(c->readers))
      continue;
    size_t first = 0, n = r->cap;
    if (!whole) {
      uint64_t read = LOAD(c->rpos);
      for (first = c->head, n = c->count;
           n && r->ends[first] <= read; first = (first + 1) & (r->cap - 1))
        n--;
    }
    uintptr_t v = (uintptr_t)r->vals;
    size_t upto = first + n < r->cap ? first + n : r->cap;
    if (upto > first)
      scan(v + 8 * first, v + 8 * upto, "pipe/socket data", false, arg);
    if (first + n > r->cap)
      scan(v, v + 8 * (first + n - r->cap), "pipe/socket data", false, arg);
  }
}

/* The data of every registration still valid (every slot's, validity
 * permitting, if a stopped thread holds the lock mid-update). */
static void scan_epoll(lk_root_fn scan, void *arg) {
  const ep_table *t = LOAD(st.epoll);
  if (!t)
    return;
  size_t n = lock_held(&st.epoll_lock) ? t->cap : st.nepoll;
  for (size_t i = 0; i < n && i < t->cap; i++)
    if (ep_valid(&t->keys[i]))
      scan((uintptr_t)&t->data[i], (uintptr_t)&t->data[i + 1], "epoll data",
           false, arg);
}

void lk_intercept_roots(lk_root_fn scan, void *arg) {
  scan_channels(scan, arg);
  scan_epoll(scan, arg);
  struct roots_ctx c = {scan, arg, LOAD(st.regions), 0};
  if (c.regions && c.regions->n)
    lk_for_each_readable_mapping(scan_regions_in, &c, "mmap regions");
}

/* -------------------------------------------------- stacks in heap blocks */

/* A heap block used as a stack (a coroutine or fiber made with makecontext,
 * an alternate signal stack) is written by spills and pushes, never with
 * shadow: it is scanned conservatively from the first switch onto it
 * (lk_memory_written_without_shadow; sticky until freed). */
static void stack_in_use(uintptr_t sp) {
  if (sp && shadow_kept())
    lk_memory_written_without_shadow(sp, true);
}

static void context_stacks(const ucontext_t *ucp) {
  if (!ucp)
    return;
  stack_in_use((uintptr_t)ucp->uc_stack.ss_sp);
  stack_in_use((uintptr_t)ucp->uc_mcontext.gregs[REG_RSP]);
}

INTERCEPTOR(int, swapcontext, (ucontext_t *oucp, const ucontext_t *ucp)) {
  context_stacks(ucp);
  stack_in_use((uintptr_t)__builtin_frame_address(0)); /* leaving this one */
  return REAL(swapcontext)(oucp, ucp);
}

INTERCEPTOR(int, setcontext, (const ucontext_t *ucp)) {
  context_stacks(ucp);
  return REAL(setcontext)(ucp);
}

INTERCEPTOR(int, sigaltstack, (const stack_t *ss, stack_t *old)) {
  int rc = REAL(sigaltstack)(ss, old);
  if (rc == 0 && ss) {
    bool on = !(ss->ss_flags & SS_DISABLE);
    if (on)
      stack_in_use((uintptr_t)ss->ss_sp);
    /* For the stop: a handler may run on it (threads.c). */
    lk_thread_alt_stack(on ? (uintptr_t)ss->ss_sp : 0,
                        on ? (uintptr_t)ss->ss_sp + ss->ss_size : 0);
  }
  return rc;
}
