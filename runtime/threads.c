/*
 * Thread registry and stop-the-world (lk.h, threads.c section).
 *
 * The initial thread (registered by lk_threads_init) and every thread created
 * through pthread_create (intercepted here) are registered with their stack
 * and static-TLS bounds; a pthread key destructor deregisters them at exit.
 *
 * Stopping the world uses a signal, not ptrace (ptrace is often forbidden in
 * containers).  The signal is SIGPWR, as Boehm GC uses on Linux, sent with
 * rt_tgsigqueueinfo and a cookie in si_value, so that it is told apart from
 * a SIGPWR of the program's.  The handler copies the interrupted general
 * registers, stack pointer and alternate signal stack out of its ucontext,
 * acknowledges on a futex and sleeps on another futex until the stopper
 * resumes the world.  The handler's stack needs are small and fixed: it
 * calls nothing through the PLT (no lazy binding), makes its system calls
 * itself and leaves errno alone; on top of the kernel's signal frame
 * (sysconf(_SC_MINSIGSTKSZ)) it uses less than STOP_HANDLER_STACK bytes.
 *
 * Mid-run checks resume the threads; the handler is installed with
 * SA_RESTART, so most blocking calls resume transparently, but the calls
 * the kernel never restarts after a handler (nanosleep, poll, select,
 * epoll_wait, pause, sigsuspend, ...) return early or with EINTR, as with
 * any signal (docs/reliability.md).  The exit-time check is final
 * (lk_threads_final): the threads it stops stay parked in the handler until
 * the process ends, so no interrupted call ever returns to the program.
 * Nothing of the program runs after that check: lk_init registers it
 * before glibc registers _dl_fini (from a preinit_array entry or the
 * runtime library's constructor, both run before __libc_start_main), so it
 * runs after every atexit handler and destructor, and only stdio's flush
 * and _exit follow it.
 *
 * Which threads are signalled.  Before signalling a thread the stopper reads
 * its /proc/self/task/TID status (SigBlk) and syscall files:
 *  - A thread that waits for SIGPWR in sigwait, sigwaitinfo or sigtimedwait
 *    through libc runs our interceptors (below): it is signalled, and the
 *    interceptor takes our signal as a stop request instead of returning
 *    it, then waits again.  One that waits in the rt_sigtimedwait system
 *    call otherwise (the kernel shows the waited set as unblocked) is not
 *    signalled.
 *  - A thread that keeps SIGPWR blocked is not signalled (the signal would
 *    stay pending, and a later sigwait or signalfd read would return it to
 *    the program), unless the block is transient: a thread inside
 *    pthread_create (glibc blocks every signal around clone) or one seen
 *    running with it blocked is polled until it unblocks (STOP_TIMEOUT_NS,
 *    STOP_GRACE_NS).
 *  - A thread blocked in a system call with less stack left than the
 *    signal needs (the kernel's frame, the red zone and the handler) is not
 *    signalled: the delivery itself would overflow its stack.
 * A thread that is not signalled but is blocked in a system call is scanned
 * as a stopped one, from the stack pointer the syscall file shows, with the
 * system call's six arguments as its registers (its callee-saved registers
 * cannot be read).  One that keeps SIGPWR blocked while it runs, or that
 * does not acknowledge before the timeout, is scanned whole while it runs
 * (sp == 0, nregs == 0), with a warning.  Neither can exit meanwhile: its
 * exit waits for the registry lock the stopper holds.
 *
 * The program may own SIGPWR: if it installed a handler (or SIG_IGN) after
 * us, ours is put back for the duration of the stop and the program's is
 * restored afterwards, so the program never sees our signal.
 *
 * Lock order: allocator locks (caller) -> dynamic loader lock (taken through
 * dl_iterate_phdr, so that no stopped thread holds it while the marker walks
 * the module list) -> registry lock.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "lk.h"

#define STOP_SIGNAL SIGPWR
#define STOP_TIMEOUT_NS (2 * 1000000000LL) /* for all threads together */
/* How long a thread seen running with SIGPWR blocked (outside
 * pthread_create) may take to unblock it before it is scanned running. */
#define STOP_GRACE_NS (50 * 1000000LL)
/* Stack the stop handler uses below the kernel's signal frame, with a
 * margin (lit/e2e/stop_handler_stack.c measures it). */
#define STOP_HANDLER_STACK 1024
/* sizeof(struct pthread) of glibc 2.36 on x86-64, used when libc does not
 * export _thread_db_sizeof_pthread. */
#define FALLBACK_THREAD_DESCRIPTOR_SIZE 2304

/* A registry entry.  pub comes first so that lk_thread * and node * convert. */
typedef struct node {
  lk_thread pub;
  atomic_uint acked; /* generation of the last stop acknowledged; futex */
  atomic_bool in_handler; /* still leaving the stop handler (SIGPWR masked) */
  atomic_bool creating;   /* inside pthread_create (signals blocked by libc) */
  atomic_bool sigwaiting; /* in our sigwait interceptor, waiting for SIGPWR */
  atomic_bool parked;     /* parked for good by a final stop */
  uintptr_t alt_lo, alt_hi; /* its last sigaltstack; owner thread only */
  /* Stopper side, valid during a stop. */
  bool decided;      /* signalled, or known not to be */
  bool signalled;    /* sent the stop signal; its acknowledgement awaited */
  lk_live_floor floor; /* set by lk_set_live_floor; owner thread only */
} node;

/* All module state.  lock guards head and the stop protocol; the stopper
 * holds it for the whole stop. */
static struct {
  pthread_mutex_t lock;
  node *head;
  pthread_key_t exit_key;       /* its destructor deregisters a thread */
  size_t tls_below_tp;          /* static TLS bytes below the thread pointer */
  size_t tls_above_tp;          /* thread descriptor (struct pthread) */
  size_t signal_room;           /* stack a thread needs to take the signal */
  atomic_uint gen;              /* generation of the current or last stop */
  atomic_uint resumed;          /* last generation resumed; futex */
  atomic_int stopping;          /* a stop is in progress */
  atomic_bool final;            /* stops park threads for good */
  struct sigaction action;      /* our SIGPWR handler */
  void (*cb)(void *);           /* the stop callback and its argument */
  void *cb_arg;
} reg = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* si_value of our stop signals. */
#define STOP_COOKIE ((void *)&reg)

static __thread node *self;

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *,
                         void *(*)(void *), void *);
static create_fn real_pthread_create;
typedef int (*sigtimedwait_fn)(const sigset_t *, siginfo_t *,
                               const struct timespec *);
static sigtimedwait_fn real_sigtimedwait;

/* ------------------------------------------------- raw system calls */

/* The stop handler and the park loop make their system calls themselves:
 * libc's syscall() is reached through the PLT (whose lazy binding needs
 * kilobytes of stack) and sets errno. */
static inline __attribute__((always_inline)) long
raw_syscall4(long nr, long a, long b, long c, long d) {
  register long r10 __asm__("r10") = d;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
}

static inline __attribute__((always_inline)) void
futex_wait(atomic_uint *word, unsigned expected,
           const struct timespec *timeout) {
  raw_syscall4(SYS_futex, (long)word, FUTEX_WAIT_PRIVATE, expected,
               (long)timeout);
}

static inline __attribute__((always_inline)) void futex_wake(atomic_uint *word) {
  raw_syscall4(SYS_futex, (long)word, FUTEX_WAKE_PRIVATE, INT_MAX, 0);
}

static inline __attribute__((always_inline)) int raw_gettid(void) {
  return (int)raw_syscall4(SYS_gettid, 0, 0, 0, 0);
}

/* Never returns.  The thread stays stoppable (a stop signal interrupts the
 * wait, and the handler returns into it). */
void lk_park_forever(void) {
  static atomic_uint never;
  for (;;)
    futex_wait(&never, 0, NULL);
}

/* ------------------------------------------------------------ registry */

static uintptr_t thread_pointer(void) {
  uintptr_t tp;
  __asm__("mov %%fs:0, %0" : "=r"(tp));
  return tp;
}

/* Static TLS geometry, as LSan computes it for glibc on x86-64 (TLS_TCB_AT_TP):
 * the static TLS blocks (including the surplus for dlopen'ed modules) end at
 * the thread pointer, and the thread descriptor, which holds the
 * pthread_setspecific slots and the DTV pointer, follows it.
 * _dl_get_tls_static_info's size includes the descriptor. */
static void tls_geometry_init(void) {
  void (*get_info)(size_t *, size_t *) =
      (void (*)(size_t *, size_t *))dlsym(RTLD_DEFAULT,
                                          "_dl_get_tls_static_info");
  const unsigned *desc = dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread");
  size_t size = 0, align = 0;
  reg.tls_above_tp = desc ? *desc : FALLBACK_THREAD_DESCRIPTOR_SIZE;
  if (get_info)
    get_info(&size, &align);
  if (size > reg.tls_above_tp)
    reg.tls_below_tp = size - reg.tls_above_tp;
  else
    lk_warn("cannot find the static TLS size; TLS is not scanned");
}

/* Registers the calling thread.  Calls pthread_getattr_np (which may
 * allocate) before taking the registry lock, so the lock is never held
 * across the allocator.  What it allocates is the runtime's, held only on
 * this not yet registered (so unscanned) stack: it is allocated as if under
 * __lsan_disable, so that a check running meanwhile does not report it. */
static __thread node fallback_node;

/* The stack a new thread will run on, as pthread_create's caller asked for
 * it (no allocation): its own stack [top - size, top), or only its size
 * (top 0) when glibc allocates it.  For register_current's fallback. */
typedef struct stack_request {
  uintptr_t top;
  size_t size;
} stack_request;

static void register_current(const stack_request *req) {
  /* Out of runtime memory, the thread still registers (an unregistered
   * thread's stack would not be scanned: false leaks), with the node every
   * thread keeps in its TLS for this.  TLS is scanned as a root, so the
   * registers a stop saves there stay roots: more conservative, never
   * less. */
  node *n = lk_ialloc_try(sizeof *n);
  if (!n) {
    static atomic_bool warned;
    n = &fallback_node;
    memset(n, 0, sizeof *n);
    if (!atomic_exchange(&warned, true))
      lk_warn("out of memory for the thread registry; registering threads "
              "in their own TLS");
  }
  lk_thread *t = &n->pub;
  t->tid = (unsigned long)pthread_self();
  t->os_tid = raw_gettid();
  pthread_attr_t attr;
  void *addr;
  size_t size;
  lk_disable_depth++;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
      t->stack_lo = (uintptr_t)addr;
      t->stack_hi = (uintptr_t)addr + size;
    }
    pthread_attr_destroy(&attr);
  }
  lk_disable_depth--;
  if (!t->stack_hi && req && req->top && req->size) {
    /* pthread_getattr_np failed (it allocates: out of memory): the stack
     * the creator gave, */
    t->stack_lo = req->top - req->size;
    t->stack_hi = req->top;
  } else if (!t->stack_hi && req && req->size && reg.tls_above_tp) {
    /* or the one glibc allocated: its descriptor (at the thread pointer)
     * ends the block, page aligned, and the usable stack is the requested
     * size below that end (the guard lies below it). */
    uintptr_t end = (thread_pointer() + reg.tls_above_tp + 4095) & ~(uintptr_t)4095;
    t->stack_lo = end - req->size;
    t->stack_hi = end;
  }
  if (!t->stack_hi)
    lk_warn("cannot find the stack of thread %d; it is not scanned",
            t->os_tid);
  if (reg.tls_below_tp) {
    uintptr_t tp = thread_pointer();
    t->tls_lo = tp - reg.tls_below_tp;
    t->tls_hi = tp + reg.tls_above_tp;
  }
  self = n;
  pthread_setspecific(reg.exit_key, n);
  pthread_mutex_lock(&reg.lock);
  n->pub.next = (lk_thread *)reg.head;
  reg.head = n;
  pthread_mutex_unlock(&reg.lock);
  if (lk_flags.verbosity >= 2)
    lk_printf("leakcc: thread %d registered: stack [%p, %p) tls [%p, %p)\n",
              t->os_tid, (void *)t->stack_lo, (void *)t->stack_hi,
              (void *)t->tls_lo, (void *)t->tls_hi);
}

/* pthread key destructor: runs at thread exit with the thread's node. */
static void deregister(void *arg) {
  node *n = arg;
  pthread_mutex_lock(&reg.lock);
  node **pp = &reg.head;
  while (*pp != n)
    pp = (node **)&(*pp)->pub.next;
  *pp = (node *)n->pub.next;
  pthread_mutex_unlock(&reg.lock);
  self = NULL;
  if (n != &fallback_node)
    lk_ifree(n, sizeof *n);
}

/* The child of fork has only the forking thread.  The other nodes are
 * dropped, not freed: another thread may have held lk_ialloc's lock.  When
 * there were others, the blocks they may have held in registers (which no
 * process can see any more) are the parent's: alloc.c stops the child from
 * reporting blocks it inherited (docs/reliability.md, "Fork"). */
static void after_fork_child(void) {
  bool others = false;
  for (node *n = reg.head; n; n = (node *)n->pub.next)
    others |= n != self;
  pthread_mutex_init(&reg.lock, NULL);
  atomic_store(&reg.stopping, 0);
  atomic_store(&reg.final, false);
  reg.head = self;
  if (self) {
    self->pub.next = NULL;
    self->pub.tid = (unsigned long)pthread_self();
    self->pub.os_tid = raw_gettid();
    atomic_store(&self->parked, false);
    atomic_store(&self->creating, false);
  }
  if (others)
    lk_alloc_forked_from_threads();
}

lk_thread *lk_current_thread(void) { return self ? &self->pub : NULL; }

/* ------------------------------------------------------ pthread_create */

/* Lives on the creator's stack until the child is registered, so the
 * argument stays visible to a leak check that runs in between (the child's
 * stack is not scanned before it is registered). */
struct start {
  void *(*fn)(void *);
  void *arg;
  atomic_uint registered; /* futex */
  stack_request stack;
};

static void *thread_start(void *p) {
  struct start *s = p;
  void *(*fn)(void *) = s->fn;
  void *arg = s->arg;
  register_current(&s->stack);
  atomic_store(&s->registered, 1);
  futex_wake(&s->registered);
  return fn(arg);
}

static void *resolve_next(const char *name) {
  void *f = dlsym(RTLD_NEXT, name);
  if (!f) {
    lk_error("cannot find the real %s: %s", name, dlerror());
    lk_die();
  }
  return f;
}

LK_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                             void *(*fn)(void *), void *arg) {
  lk_init();
  if (!real_pthread_create)
    real_pthread_create = (create_fn)resolve_next("pthread_create");
  struct start s = {fn, arg, 0, {0, 0}};
  /* The requested stack, read without allocating, in case the child's
   * pthread_getattr_np fails (register_current). */
  size_t size = 0;
  void *addr = NULL;
  /* glibc keeps the top of a stack the caller set (0 when none), and
   * pthread_attr_getstack returns top - size. */
  if (attr && pthread_attr_getstack(attr, &addr, &size) == 0 &&
      (uintptr_t)addr + size != 0)
    s.stack.top = (uintptr_t)addr + size;
  if (attr)
    pthread_attr_getstacksize(attr, &size);
  if (!size) {
    pthread_attr_t def;
    if (pthread_getattr_default_np(&def) == 0) {
      pthread_attr_getstacksize(&def, &size);
      pthread_attr_destroy(&def);
    }
  }
  s.stack.size = size;
  node *me = self;
  /* glibc blocks every signal around the clone: a stop meanwhile waits for
   * the block to end instead of taking this thread for one that keeps
   * SIGPWR blocked. */
  if (me)
    atomic_store(&me->creating, true);
  int rc = real_pthread_create(thread, attr, thread_start, &s);
  if (me)
    atomic_store(&me->creating, false);
  if (rc == 0)
    while (!atomic_load(&s.registered))
      futex_wait(&s.registered, 0, NULL);
  return rc;
}

/* ------------------------------------------------------ stop the world */

/* Records a thread's general registers and stack pointer for the marker:
 * its stack is scanned from SP - LK_RED_ZONE, or from SP exactly with
 * EXACT (a live floor: below it lie only the runtime's or dead frames). */
static inline __attribute__((always_inline)) void
save_registers(node *n, const greg_t *gregs, unsigned ngregs, uintptr_t sp,
               bool exact) {
  for (unsigned i = 0; gregs && i < ngregs; i++)
    n->pub.regs[i] = (uintptr_t)gregs[i];
  n->pub.nregs = gregs ? ngregs : 0;
  n->pub.sp = sp;
  n->pub.sp_exact = exact;
}

/* Records the alternate signal stack when the thread's saved sp lies in
 * it: ALT as the kernel reports it (in a signal frame the kernel saves the
 * settings, not whether the thread runs on the stack; with SS_AUTODISARM
 * they are already cleared while a handler runs), else the one the thread
 * last installed through sigaltstack (lk_thread_alt_stack). */
static inline __attribute__((always_inline)) void
save_alt_stack(node *n, const stack_t *alt) {
  uintptr_t lo = 0, hi = 0, sp = n->pub.sp;
  if (alt && !(alt->ss_flags & SS_DISABLE) && alt->ss_sp && alt->ss_size) {
    lo = (uintptr_t)alt->ss_sp;
    hi = lo + alt->ss_size;
  }
  if (!(sp >= lo && sp <= hi)) {
    lo = n->alt_lo;
    hi = n->alt_hi;
  }
  bool on = sp >= lo && sp <= hi && lo < hi;
  n->pub.alt_lo = on ? lo : 0;
  n->pub.alt_hi = on ? hi : 0;
}

void lk_thread_alt_stack(uintptr_t lo, uintptr_t hi) {
  node *n = self;
  if (n) {
    n->alt_lo = lo;
    n->alt_hi = hi;
  }
}

lk_live_floor lk_set_live_floor(uintptr_t floor, const ucontext_t *uc) {
  node *n = self;
  lk_live_floor old = {0};
  if (!n)
    return old;
  old = n->floor;
  n->floor.sp = floor;
  n->floor.has_regs = uc != NULL;
  if (uc)
    memcpy(n->floor.regs, uc->uc_mcontext.gregs, sizeof n->floor.regs);
  return old;
}

bool lk_live_floor_set(void) { return self && self->floor.sp; }

void lk_restore_live_floor(const lk_live_floor *f) {
  if (self)
    self->floor = *f;
}

/* The stop protocol of the stopped side, once its state is saved:
 * acknowledges generation GEN, then waits until this stop or a later one
 * has resumed (a thread slow to wake may see a later generation already
 * resumed), or with PARK for good.  No libc call. */
static inline __attribute__((always_inline)) void acknowledge_and_wait(
    node *n, unsigned gen, bool park) {
  static atomic_uint never;
  atomic_store(&n->in_handler, true);
  if (park)
    atomic_store(&n->parked, true);
  atomic_store(&n->acked, gen);
  futex_wake(&n->acked);
  while (park)
    futex_wait(&never, 0, NULL);
  unsigned r;
  while ((int)((r = atomic_load(&reg.resumed)) - gen) < 0)
    futex_wait(&reg.resumed, r, NULL);
  atomic_store(&n->in_handler, false);
}

/* Whether INFO is a stop signal of ours for the stop in progress that N
 * has not acknowledged yet; then *GEN is its generation. */
static inline __attribute__((always_inline)) bool
stop_requested(const node *n, const siginfo_t *info, unsigned *gen) {
  if (!n || info->si_code != SI_QUEUE ||
      info->si_value.sival_ptr != STOP_COOKIE ||
      !atomic_load(&reg.stopping))
    return false;
  *gen = atomic_load(&reg.gen);
  return atomic_load(&n->acked) != *gen;
}

/* The handler: nothing through the PLT, no errno, a few hundred bytes of
 * stack (see the file comment). */
static void on_stop_signal(int sig, siginfo_t *info, void *ctx) {
  node *n = self;
  unsigned gen;
  if (!stop_requested(n, info, &gen))
    return; /* not ours, not registered, or late (a timed-out stop) */
  const ucontext_t *uc = ctx;
  const greg_t *gregs = uc->uc_mcontext.gregs;
  save_registers(n, gregs, NGREG, (uintptr_t)gregs[REG_RSP], false);
  save_alt_stack(n, &uc->uc_stack);
  acknowledge_and_wait(n, gen, atomic_load(&reg.final));
}

/* The same stop, taken where a sigwait interceptor received our signal:
 * this frame and its callers are the live stack. */
static __attribute__((noinline)) void stop_in_wait(node *n, unsigned gen) {
  ucontext_t uc;
  getcontext(&uc);
  stack_t alt;
  if (raw_syscall4(SYS_sigaltstack, 0, (long)&alt, 0, 0) != 0)
    alt.ss_flags = 0;
  save_registers(n, uc.uc_mcontext.gregs, NGREG,
                 (uintptr_t)__builtin_frame_address(0), false);
  save_alt_stack(n, &alt);
  acknowledge_and_wait(n, gen, atomic_load(&reg.final));
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Waits until n acknowledges generation gen or the deadline passes. */
static bool wait_ack(node *n, unsigned gen, long long deadline) {
  unsigned a;
  while ((a = atomic_load(&n->acked)) != gen) {
    long long left = deadline - now_ns();
    if (left <= 0)
      return false;
    struct timespec ts = {left / 1000000000LL, left % 1000000000LL};
    futex_wait(&n->acked, a, &ts);
  }
  return true;
}

static bool is_registered(int os_tid) {
  for (node *n = reg.head; n; n = (node *)n->pub.next)
    if (n->pub.os_tid == os_tid)
      return true;
  return false;
}

/* Threads that bypassed our pthread_create (glibc-internal helper threads,
 * raw clone) are neither stopped nor scanned; say so at verbosity >= 1. */
static void report_unregistered_threads(void) {
  int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  char buf[4096];
  long len;
  while ((len = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
    for (long off = 0; off < len;) {
      struct dirent64 *d = (struct dirent64 *)(buf + off);
      off += d->d_reclen;
      int tid = atoi(d->d_name);
      if (tid > 0 && !is_registered(tid) && (!self || tid != self->pub.os_tid))
        lk_printf("leakcc: thread %d was not created through pthread_create; "
                  "it is not stopped and its stack is not scanned\n",
                  tid);
    }
  }
  close(fd);
}

/* Reads /proc/self/task/TID/NAME into buf (NUL-terminated) with no
 * allocation (the world is being stopped).  Returns its length, or -1. */
static ssize_t read_task_file(int tid, const char *name, char *buf,
                              size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/%s", tid, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t len = read(fd, buf, size - 1);
  close(fd);
  if (len < 0)
    return -1;
  buf[len] = 0;
  return len;
}

/* Whether thread tid has SIGPWR in its blocked mask ("SigBlk:" of its
 * status, a hexadecimal mask whose bit N-1 is signal N).  During an
 * rt_sigtimedwait the kernel shows the waited signals as unblocked. */
static bool blocks_stop_signal(int tid) {
  char buf[2048];
  if (read_task_file(tid, "status", buf, sizeof buf) <= 0)
    return false;
  const char *line = strstr(buf, "\nSigBlk:");
  if (!line)
    return false;
  unsigned long long mask = strtoull(line + 8, NULL, 16);
  return (mask >> (STOP_SIGNAL - 1)) & 1;
}

/* What /proc/self/task/TID/syscall says: "running", or blocked in system
 * call nr (-1: blocked outside one) with its six arguments and the user
 * stack pointer. */
typedef struct task_state {
  bool blocked;
  long nr;
  uintptr_t args[6];
  uintptr_t sp;
} task_state;

static void read_task_state(int tid, task_state *st) {
  char buf[256];
  memset(st, 0, sizeof *st);
  if (read_task_file(tid, "syscall", buf, sizeof buf) <= 0 ||
      !strncmp(buf, "running", 7))
    return;
  char *p = buf, *end;
  st->nr = strtol(p, &end, 10);
  if (end == p)
    return;
  p = end;
  uintptr_t v[8];
  unsigned k = 0;
  while (k < 8) {
    v[k] = strtoull(p, &end, 0);
    if (end == p)
      break;
    p = end;
    k++;
  }
  if (st->nr >= 0 && k == 8) {
    memcpy(st->args, v, sizeof st->args);
    st->sp = v[6];
  } else if (st->nr == -1 && k == 2) {
    st->sp = v[0];
  } else {
    return;
  }
  st->blocked = st->sp != 0;
}

/* Whether the sigset at address p (of a thread blocked in rt_sigtimedwait)
 * holds SIGPWR.  Read with process_vm_readv, which fails instead of
 * faulting; unreadable counts as yes, so that the thread is not
 * signalled. */
static bool set_has_stop_signal(uintptr_t p) {
  uint64_t set = 0;
  struct iovec local = {&set, sizeof set}, remote = {(void *)p, sizeof set};
  if (syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0) !=
      (long)sizeof set)
    return true;
  return (set >> (STOP_SIGNAL - 1)) & 1;
}

/* How the stopper handles a thread this stop. */
enum stop_how {
  HOW_SIGNAL,   /* signal it */
  HOW_WAIT,     /* keeps SIGPWR blocked for now: ask again shortly */
  HOW_BLOCKED,  /* do not signal; scan it from its syscall's sp */
  HOW_RUNNING,  /* do not signal; scan its whole stack while it runs */
};

/* A thread not signalled but blocked in a system call: scanned as a
 * stopped one from the sp the kernel reports, with the call's arguments as
 * its registers. */
static void mark_blocked(node *n, const task_state *st) {
  n->pub.alive = true;
  n->pub.sp = st->sp;
  n->pub.sp_exact = false;
  for (unsigned i = 0; i < 6; i++)
    n->pub.regs[i] = st->args[i];
  n->pub.nregs = st->nr >= 0 ? 6 : 0;
  n->pub.alt_lo = n->pub.alt_hi = 0;
}

/* A thread that cannot be stopped: enumerated, stack scanned whole. */
static void mark_running(node *n) {
  n->pub.alive = true;
  n->pub.sp = 0;
  n->pub.nregs = 0;
  n->pub.alt_lo = n->pub.alt_hi = 0;
}

static bool is_clone_call(long nr) {
  return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_vfork ||
         nr == SYS_fork;
}

/* Decides how to stop n (see the file comment); *st receives its state.
 * LONG_WAIT: a HOW_WAIT is pthread_create's block, which certainly ends. */
static enum stop_how decide(node *n, task_state *st, bool *long_wait) {
  int tid = n->pub.os_tid;
  read_task_state(tid, st);
  *long_wait = false;
  if (atomic_load(&n->sigwaiting))
    return HOW_SIGNAL; /* our interceptor takes the signal */
  if (st->blocked && st->nr == SYS_rt_sigtimedwait &&
      set_has_stop_signal(st->args[0]))
    return HOW_BLOCKED;
  /* A thread still returning from the previous stop's handler has SIGPWR
   * masked only until it returns: signal it, it will stop. */
  if (!atomic_load(&n->in_handler) && blocks_stop_signal(tid)) {
    if (atomic_load(&n->creating)) {
      *long_wait = true;
      return HOW_WAIT;
    }
    if (st->blocked && !is_clone_call(st->nr))
      return HOW_BLOCKED;
    return HOW_WAIT;
  }
  if (st->blocked && st->sp > n->pub.stack_lo && st->sp <= n->pub.stack_hi &&
      st->sp - n->pub.stack_lo < reg.signal_room)
    return HOW_BLOCKED; /* the signal frame would overflow its stack */
  return HOW_SIGNAL;
}

static void send_stop(node *n, pid_t pid) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  info.si_signo = STOP_SIGNAL;
  info.si_code = SI_QUEUE;
  info.si_pid = pid;
  info.si_uid = getuid();
  info.si_value.sival_ptr = STOP_COOKIE;
  if (syscall(SYS_rt_tgsigqueueinfo, pid, n->pub.os_tid, STOP_SIGNAL,
              &info) == 0) {
    n->signalled = true;
    n->pub.alive = true;
  } else if (lk_flags.verbosity >= 1) {
    lk_printf("leakcc: thread %d is gone; skipped\n", n->pub.os_tid);
  }
}

/* Applies a decision other than HOW_WAIT. */
static void apply(node *n, enum stop_how how, const task_state *st,
                  pid_t pid) {
  if (how == HOW_SIGNAL) {
    send_stop(n, pid);
  } else if (how == HOW_BLOCKED) {
    mark_blocked(n, st);
    if (lk_flags.verbosity >= 1)
      lk_printf("leakcc: thread %d is not signalled (it waits for SIGPWR, "
                "keeps it blocked or has too little stack left); scanned "
                "from its system call's stack pointer\n",
                n->pub.os_tid);
  } else {
    mark_running(n);
    lk_warn("thread %d blocks SIGPWR and cannot be stopped; its stack is "
            "scanned while it runs, its registers are not",
            n->pub.os_tid);
  }
}

/* Signals, or decides not to, every registered thread but the caller and
 * those a final stop parked (their state is still the one saved then).
 * Threads that keep SIGPWR blocked for a moment are asked again every
 * millisecond until they unblock it or their deadline passes. */
static void signal_others(node *me) {
  pid_t pid = getpid();
  long long start = now_ns();
  bool waiting = false;
  for (node *n = reg.head; n; n = (node *)n->pub.next) {
    n->signalled = false;
    n->decided = n == me || atomic_load(&n->parked);
    if (n == me)
      continue;
    n->pub.alive = n->decided;
    if (n->decided)
      continue;
    task_state st;
    bool long_wait;
    enum stop_how how = decide(n, &st, &long_wait);
    n->decided = how != HOW_WAIT;
    if (n->decided)
      apply(n, how, &st, pid);
    else
      waiting = true;
  }
  while (waiting) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
    waiting = false;
    long long elapsed = now_ns() - start;
    for (node *n = reg.head; n; n = (node *)n->pub.next) {
      if (n->decided)
        continue;
      task_state st;
      bool long_wait;
      enum stop_how how = decide(n, &st, &long_wait);
      if (how == HOW_WAIT &&
          elapsed < (long_wait ? STOP_TIMEOUT_NS : STOP_GRACE_NS)) {
        waiting = true;
        continue;
      }
      if (how == HOW_WAIT)
        how = st.blocked ? HOW_BLOCKED : HOW_RUNNING;
      n->decided = true;
      apply(n, how, &st, pid);
    }
  }
}

/* Runs with the registry lock held.  The caller's own state: its live
 * floor and the registers saved with it when one is set (lk.h), else its
 * stack from this frame up (the callback's frames below it are the
 * runtime's) and its registers as getcontext saw them; and its alternate
 * signal stack when it runs on it. */
static void stop_others_and_run(void) {
  node *me = self;
  ucontext_t uc;
  if (me) {
    if (me->floor.sp) {
      save_registers(me, me->floor.has_regs ? me->floor.regs : NULL, NGREG,
                     me->floor.sp, true);
    } else {
      getcontext(&uc);
      save_registers(me, uc.uc_mcontext.gregs, NGREG,
                     (uintptr_t)__builtin_frame_address(0), true);
    }
    stack_t alt;
    if (syscall(SYS_sigaltstack, NULL, &alt) != 0)
      alt.ss_flags = 0;
    save_alt_stack(me, &alt);
    me->pub.alive = true;
  } else {
    lk_warn("the leak check runs on a thread that leakcc did not register; "
            "its stack is not scanned");
  }
  unsigned gen = atomic_fetch_add(&reg.gen, 1) + 1;
  atomic_store(&reg.stopping, 1);
  struct sigaction program_action;
  sigaction(STOP_SIGNAL, &reg.action, &program_action);
  signal_others(me);
  long long deadline = now_ns() + STOP_TIMEOUT_NS;
  for (node *n = reg.head; n; n = (node *)n->pub.next) {
    if (!n->signalled)
      continue;
    if (!wait_ack(n, gen, deadline)) {
      mark_running(n);
      lk_warn("thread %d did not stop; its stack is scanned while it runs, "
              "its registers are not",
              n->pub.os_tid);
    }
  }
  if (lk_flags.verbosity >= 1)
    report_unregistered_threads();
  reg.cb(reg.cb_arg);
  sigaction(STOP_SIGNAL, &program_action, NULL);
  atomic_store(&reg.stopping, 0);
  atomic_store(&reg.resumed, gen);
  futex_wake(&reg.resumed);
}

/* dl_iterate_phdr callback: runs once, holding the loader's lock. */
static int stop_under_loader_lock(struct dl_phdr_info *info, size_t size,
                                  void *arg) {
  pthread_mutex_lock(&reg.lock);
  stop_others_and_run();
  pthread_mutex_unlock(&reg.lock);
  *(bool *)arg = true;
  return 1;
}

/* Suspends every other registered thread, runs cb, resumes them.  cb may
 * call lk_for_each_thread and dl_iterate_phdr (the loader lock is
 * recursive); it must not take locks that a stopped thread may hold
 * (lk_ialloc, the user malloc, stdio). */
void lk_stop_the_world(void (*cb)(void *arg), void *arg) {
  bool ran = false;
  reg.cb = cb;
  reg.cb_arg = arg;
  dl_iterate_phdr(stop_under_loader_lock, &ran);
  if (!ran) { /* no module listed: cannot happen in a dynamic program */
    pthread_mutex_lock(&reg.lock);
    stop_others_and_run();
    pthread_mutex_unlock(&reg.lock);
  }
}

void lk_threads_final(void) { atomic_store(&reg.final, true); }

/* Only from a lk_stop_the_world callback: enumerates the caller's thread,
 * every thread that acknowledged the stop (or a final stop before it), the
 * threads not signalled, and those that could not be stopped (sp == 0,
 * nregs == 0; see the file comment): alive == true. */
void lk_for_each_thread(void (*cb)(lk_thread *t, void *arg), void *arg) {
  for (node *n = reg.head; n; n = (node *)n->pub.next)
    if (n->pub.alive)
      cb(&n->pub, arg);
}

/* ------------------------------------------------- sigwait and kin */

/* sigtimedwait, except that a stop signal of ours it receives is taken as
 * the stop request it is (the thread stops right here, then waits again,
 * for what is left of TIMEOUT): a thread waiting for SIGPWR never returns
 * it to the program.  SIGPWR in SET marks the thread for the stopper. */
static int wait_for_signal(const sigset_t *set, siginfo_t *info,
                           const struct timespec *timeout) {
  lk_init();
  if (!real_sigtimedwait)
    real_sigtimedwait = (sigtimedwait_fn)resolve_next("sigtimedwait");
  node *n = self;
  if (!n || !set || sigismember(set, STOP_SIGNAL) != 1)
    return real_sigtimedwait(set, info, timeout);
  long long deadline = 0;
  if (timeout)
    deadline = now_ns() + timeout->tv_sec * 1000000000LL + timeout->tv_nsec;
  struct timespec left;
  const struct timespec *wait = timeout;
  for (;;) {
    siginfo_t si;
    atomic_store(&n->sigwaiting, true);
    int r = real_sigtimedwait(set, &si, wait);
    int e = errno;
    atomic_store(&n->sigwaiting, false);
    unsigned gen;
    if (r == STOP_SIGNAL && si.si_code == SI_QUEUE &&
        si.si_value.sival_ptr == STOP_COOKIE) {
      if (stop_requested(n, &si, &gen))
        stop_in_wait(n, gen);
      if (timeout) {
        long long rest = deadline - now_ns();
        if (rest < 0)
          rest = 0;
        left.tv_sec = rest / 1000000000LL;
        left.tv_nsec = rest % 1000000000LL;
        wait = &left;
      }
      continue;
    }
    if (r > 0 && info)
      *info = si;
    errno = e;
    return r;
  }
}

LK_EXPORT int sigtimedwait(const sigset_t *set, siginfo_t *info,
                           const struct timespec *timeout) {
  return wait_for_signal(set, info, timeout);
}

LK_EXPORT int sigwaitinfo(const sigset_t *set, siginfo_t *info) {
  return wait_for_signal(set, info, NULL);
}

/* As glibc's: never fails with EINTR; returns an error number. */
LK_EXPORT int sigwait(const sigset_t *set, int *sig) {
  int r;
  do
    r = wait_for_signal(set, NULL, NULL);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return errno;
  *sig = r;
  return 0;
}

/* ------------------------------------------------------------ start-up */

void lk_threads_init(void) {
  tls_geometry_init();
  if (pthread_key_create(&reg.exit_key, deregister) != 0) {
    lk_error("cannot create the thread-exit key");
    lk_die();
  }
  /* What a thread blocked in a system call needs left on its stack to take
   * the stop signal: the red zone the kernel skips, its signal frame, and
   * the handler. */
  long frame = 0;
#ifdef _SC_MINSIGSTKSZ
  frame = sysconf(_SC_MINSIGSTKSZ);
#endif
  if (frame <= 0)
    frame = SIGSTKSZ;
  reg.signal_room = LK_RED_ZONE + (size_t)frame + STOP_HANDLER_STACK;
  struct sigaction *sa = &reg.action;
  sa->sa_sigaction = on_stop_signal;
  sa->sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&sa->sa_mask);
  sigdelset(&sa->sa_mask, SIGSEGV);
  sigdelset(&sa->sa_mask, SIGBUS);
  sigdelset(&sa->sa_mask, SIGILL);
  sigdelset(&sa->sa_mask, SIGFPE);
  if (sigaction(STOP_SIGNAL, sa, NULL) != 0) {
    lk_error("cannot install the SIGPWR handler that stops threads");
    lk_die();
  }
  pthread_atfork(NULL, NULL, after_fork_child);
  if (!real_pthread_create)
    real_pthread_create = (create_fn)resolve_next("pthread_create");
  if (!real_sigtimedwait)
    real_sigtimedwait = (sigtimedwait_fn)resolve_next("sigtimedwait");
  register_current(NULL);
}
