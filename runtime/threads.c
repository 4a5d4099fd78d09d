/*
 * Thread registry and stop-the-world (lk.h, threads.c section).
 *
 * The initial thread (registered by lk_threads_init) and every thread created
 * through pthread_create (intercepted here) are registered with their stack
 * and static-TLS bounds; a pthread key destructor deregisters them at exit.
 *
 * Stopping the world uses a signal, not ptrace (ptrace is often forbidden in
 * containers).  The signal is SIGPWR, as Boehm GC uses on Linux.  The
 * stopper sends it with tgkill to every other registered thread; the handler
 * copies the interrupted general registers and stack pointer out of its
 * ucontext, acknowledges on a futex and sleeps on another futex until the
 * stopper resumes the world.  The handler is installed with SA_RESTART, so
 * most blocking calls resume transparently; calls that the kernel never
 * restarts after a handler (nanosleep, poll, epoll_wait, ...) return EINTR
 * early, as with any signal.
 *
 * The program may own SIGPWR: if it installed a handler (or SIG_IGN) after
 * us, ours is put back for the duration of the stop and the program's is
 * restored afterwards, so the program never sees our signal.  A thread that
 * keeps SIGPWR blocked (a sigwait thread typically blocks everything) cannot
 * be stopped: it is found from /proc/self/task/TID/status and not signalled,
 * and a thread that does not acknowledge before a timeout is treated alike.
 * Such a thread stays in the enumeration with sp == 0 and nregs == 0: roots.c
 * scans its whole stack while it runs (it cannot exit meanwhile: its exit
 * waits for the registry lock the stopper holds), but not its registers.
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
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "lk.h"

#define STOP_SIGNAL SIGPWR
#define STOP_TIMEOUT_NS (2 * 1000000000LL) /* for all threads together */
/* sizeof(struct pthread) of glibc 2.36 on x86-64, used when libc does not
 * export _thread_db_sizeof_pthread. */
#define FALLBACK_THREAD_DESCRIPTOR_SIZE 2304

/* A registry entry.  pub comes first so that lk_thread * and node * convert. */
typedef struct node {
  lk_thread pub;
  atomic_uint acked; /* generation of the last stop acknowledged; futex */
  bool unstoppable;  /* this stop: blocks SIGPWR, so it was not signalled */
  atomic_bool in_handler; /* still leaving the stop handler (SIGPWR masked) */
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
  atomic_uint gen;              /* generation of the current or last stop */
  atomic_uint resumed;          /* last generation resumed; futex */
  atomic_int stopping;          /* a stop is in progress */
  struct sigaction action;      /* our SIGPWR handler */
  void (*cb)(void *);           /* the stop callback and its argument */
  void *cb_arg;
} reg = {.lock = PTHREAD_MUTEX_INITIALIZER};

static __thread node *self;

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *,
                         void *(*)(void *), void *);
static create_fn real_pthread_create;

/* ------------------------------------------------------------ futexes */

static void futex_wait(atomic_uint *word, unsigned expected,
                       const struct timespec *timeout) {
  syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, timeout, NULL, 0);
}

static void futex_wake(atomic_uint *word) {
  syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
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
static void register_current(void) {
  node *n = lk_ialloc(sizeof *n);
  lk_thread *t = &n->pub;
  t->tid = (unsigned long)pthread_self();
  t->os_tid = (int)syscall(SYS_gettid);
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
  reg.head = self;
  if (self) {
    self->pub.next = NULL;
    self->pub.tid = (unsigned long)pthread_self();
    self->pub.os_tid = (int)syscall(SYS_gettid);
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
};

static void *thread_start(void *p) {
  struct start *s = p;
  void *(*fn)(void *) = s->fn;
  void *arg = s->arg;
  register_current();
  atomic_store(&s->registered, 1);
  futex_wake(&s->registered);
  return fn(arg);
}

static create_fn resolve_pthread_create(void) {
  create_fn f = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
  if (!f) {
    lk_error("cannot find the real pthread_create: %s", dlerror());
    lk_die();
  }
  return f;
}

LK_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                             void *(*fn)(void *), void *arg) {
  lk_init();
  if (!real_pthread_create)
    real_pthread_create = resolve_pthread_create();
  struct start s = {fn, arg, 0};
  int rc = real_pthread_create(thread, attr, thread_start, &s);
  if (rc == 0)
    while (!atomic_load(&s.registered))
      futex_wait(&s.registered, 0, NULL);
  return rc;
}

/* ------------------------------------------------------ stop the world */

/* Records a thread's general registers and stack pointer for the marker:
 * its stack is scanned from SP - LK_RED_ZONE, or from SP exactly with
 * EXACT (a live floor: below it lie only the runtime's or dead frames). */
static void save_registers(node *n, const greg_t *gregs, uintptr_t sp,
                           bool exact) {
  for (unsigned i = 0; gregs && i < NGREG; i++)
    n->pub.regs[i] = (uintptr_t)gregs[i];
  n->pub.nregs = gregs ? NGREG : 0;
  n->pub.sp = sp;
  n->pub.sp_exact = exact;
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

static void on_stop_signal(int sig, siginfo_t *info, void *ctx) {
  node *n = self;
  if (!n || !atomic_load(&reg.stopping))
    return; /* not registered, or a late signal after a timed-out stop */
  unsigned gen = atomic_load(&reg.gen);
  if (atomic_load(&n->acked) == gen)
    return;
  int saved_errno = errno;
  const greg_t *gregs = ((ucontext_t *)ctx)->uc_mcontext.gregs;
  save_registers(n, gregs, (uintptr_t)gregs[REG_RSP], false);
  atomic_store(&n->in_handler, true);
  atomic_store(&n->acked, gen);
  futex_wake(&n->acked);
  /* Wait until this stop or a later one has resumed: a thread slow to wake
   * may see a later generation already resumed. */
  unsigned r;
  while ((int)((r = atomic_load(&reg.resumed)) - gen) < 0)
    futex_wait(&reg.resumed, r, NULL);
  errno = saved_errno;
  atomic_store(&n->in_handler, false);
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

/* Whether thread tid has SIGPWR in its blocked mask ("SigBlk:" of its
 * /proc status, a hexadecimal mask whose bit N-1 is signal N).  Reads with a
 * fixed buffer: the world is being stopped. */
static bool blocks_stop_signal(int tid) {
  char path[64], buf[2048];
  snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t len = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (len <= 0)
    return false;
  buf[len] = 0;
  const char *line = strstr(buf, "\nSigBlk:");
  if (!line)
    return false;
  unsigned long long mask = strtoull(line + 8, NULL, 16);
  return (mask >> (STOP_SIGNAL - 1)) & 1;
}

/* A thread that cannot be stopped: enumerated, stack scanned whole. */
static void mark_running(node *n) {
  n->pub.alive = true;
  n->pub.sp = 0;
  n->pub.nregs = 0;
}

/* Runs with the registry lock held.  The caller's own state: its live
 * floor and the registers saved with it when one is set (lk.h), else its
 * stack from this frame up (the callback's frames below it are the
 * runtime's) and its registers as getcontext saw them. */
static void stop_others_and_run(void) {
  node *me = self;
  ucontext_t uc;
  if (me) {
    if (me->floor.sp) {
      save_registers(me, me->floor.has_regs ? me->floor.regs : NULL,
                     me->floor.sp, true);
    } else {
      getcontext(&uc);
      save_registers(me, uc.uc_mcontext.gregs,
                     (uintptr_t)__builtin_frame_address(0), true);
    }
    me->pub.alive = true;
  } else {
    lk_warn("the leak check runs on a thread that leakcc did not register; "
            "its stack is not scanned");
  }
  unsigned gen = atomic_fetch_add(&reg.gen, 1) + 1;
  atomic_store(&reg.stopping, 1);
  struct sigaction program_action;
  sigaction(STOP_SIGNAL, &reg.action, &program_action);
  pid_t pid = getpid();
  for (node *n = reg.head; n; n = (node *)n->pub.next) {
    if (n == me)
      continue;
    n->pub.alive = false;
    /* A thread still returning from the previous stop's handler has SIGPWR
     * masked only until it returns: signal it, it will stop. */
    n->unstoppable = !atomic_load(&n->in_handler) &&
                     blocks_stop_signal(n->pub.os_tid);
    if (n->unstoppable) {
      mark_running(n);
      lk_warn("thread %d blocks SIGPWR and cannot be stopped; its stack is "
              "scanned while it runs, its registers are not",
              n->pub.os_tid);
    } else if (syscall(SYS_tgkill, pid, n->pub.os_tid, STOP_SIGNAL) == 0) {
      n->pub.alive = true;
    } else if (lk_flags.verbosity >= 1) {
      lk_printf("leakcc: thread %d is gone; skipped\n", n->pub.os_tid);
    }
  }
  long long deadline = now_ns() + STOP_TIMEOUT_NS;
  for (node *n = reg.head; n; n = (node *)n->pub.next) {
    if (n == me || !n->pub.alive || n->unstoppable)
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

/* Only from a lk_stop_the_world callback: enumerates the caller's thread,
 * every thread that acknowledged the stop, and the threads that could not be
 * stopped (sp == 0, nregs == 0; see the file comment): alive == true. */
void lk_for_each_thread(void (*cb)(lk_thread *t, void *arg), void *arg) {
  for (node *n = reg.head; n; n = (node *)n->pub.next)
    if (n->pub.alive)
      cb(&n->pub, arg);
}

void lk_threads_init(void) {
  tls_geometry_init();
  if (pthread_key_create(&reg.exit_key, deregister) != 0) {
    lk_error("cannot create the thread-exit key");
    lk_die();
  }
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
    real_pthread_create = resolve_pthread_create();
  register_current();
}
