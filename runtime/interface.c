/*
 * Start-up, the exit-time leak check and the <sanitizer/lsan_interface.h>
 * functions (lk.h, interface.c section).
 *
 * lk_init runs from the first of: the priority-0 constructor, or any malloc
 * call before it (the allocator enters lk_init lazily; shared libraries'
 * constructors run before the executable's).  Its atexit registration
 * therefore comes before any handler or static destructor of the program, so
 * the exit check runs after them (atexit runs in reverse order).
 *
 * A leak check, in this order (deadlock-free; see lk_do_leak_check):
 *   check lock (this file: also guards root regions, modules, ignore_object)
 *   -> [final check: the range array's, the interceptors' and lk_ialloc's
 *       locks] -> allocator locks -> stop the world [loader lock, registry
 *   lock] -> lk_mark_all + lk_report_collect -> resume (not after the final
 *   check) -> unlock -> (suppression reruns) -> lk_report_leaks.
 *
 * The exit-time check is final: the threads it stops stay parked until the
 * process ends (lk_threads_final), so that none sees an interrupted sleep or
 * wait return.  It holds every runtime lock across each stop, so that no
 * parked thread holds one the report or the rest of exit needs.  Another
 * thread cannot end the process while it runs (docs/reliability.md, "Exit"):
 * exit_barrier, registered just before the check so that it runs just
 * after it, parks a thread whose exit() reaches it while the check runs on
 * another thread, and the _exit interceptor waits for a check running on
 * another thread and parks for good once the exit-time check has begun
 * elsewhere.
 */
#include <linux/futex.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <ucontext.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lk.h"

/* Weak user hooks (the other two are called by options.c and suppress.c). */
extern int __lsan_is_turned_off(void) __attribute__((weak));

int lk_inited; /* 0: not started, 1: running, 2: done */

/* All module state. */
static struct {
  int init_tid;                 /* the thread running lk_init */
  pthread_mutex_t check_lock;   /* serialises checks and root-set changes */
  bool exit_check_done;         /* __lsan_do_leak_check or the exit check */
  int check_tid;                /* thread running a check, or 0; futex */
  int exit_tid;                 /* thread that entered exit_check, or 0 */
  bool barrier;                 /* exit_barrier is registered */
  int pid;                      /* ours: a vfork child's differs */
} st = {.check_lock = PTHREAD_MUTEX_INITIALIZER};

static void exit_check(void);
static void exit_barrier(void);
static void after_fork_child(void);

static int gettid_raw(void) { return (int)syscall(SYS_gettid); }

/* --------------------------------------------------------------- start-up */

static void init_once(void) {
  lk_options_init(); /* validates every value it sets (options.c) */
  if (lk_flags.help)
    lk_options_print_help();
  lk_print_open_log();
  lk_shadow_init();
  /* Shadow mapped on demand faults on first touch, and the marker's helper
   * threads block every signal: mark on the checking thread alone. */
  if (lk_shadow_lazy())
    lk_flags.marker_threads = 1;
  /* Warns once here if precise was asked for but the shadow is missing.
   * explain=1 marks precisely in either mode, so it needs the clearing too:
   * else a recycled chunk's stale shadow would count as references. */
  lk_alloc_clears_shadow =
      lk_precise_enabled() || (lk_flags.explain && lk_shadow_reserved());
  lk_alloc_init();
  lk_threads_init();
  /* Not lk_suppressions_init: a missing or malformed suppressions file is
   * reported by the first leak check (load_suppressions), after the
   * program's own work, never before main. */
  st.pid = getpid();
  pthread_atfork(NULL, NULL, after_fork_child);
  /* The barrier first: atexit handlers run in reverse order. */
  bool barrier = atexit(exit_barrier) == 0;
  if (atexit(exit_check) != 0)
    lk_warn("cannot register the exit-time leak check");
  else
    st.barrier = barrier;
  if (lk_flags.verbosity >= 1)
    lk_printf("leakcc: initialised (mode=%s)\n", lk_flags.mode);
}

/* Idempotent and thread safe.  A call from the initialising thread itself
 * (malloc during start-up) returns at once; the allocator is usable from the
 * moment lk_alloc_init has run. */
void lk_init(void) {
  if (LK_LIKELY(__atomic_load_n(&lk_inited, __ATOMIC_ACQUIRE) == 2))
    return;
  int expected = 0;
  int tid = (int)syscall(SYS_gettid);
  if (__atomic_compare_exchange_n(&lk_inited, &expected, 1, false,
                                  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    __atomic_store_n(&st.init_tid, tid, __ATOMIC_RELAXED);
    init_once();
    __atomic_store_n(&lk_inited, 2, __ATOMIC_RELEASE);
    return;
  }
  if (__atomic_load_n(&st.init_tid, __ATOMIC_RELAXED) == tid)
    return;
  while (__atomic_load_n(&lk_inited, __ATOMIC_ACQUIRE) != 2)
    sched_yield();
}

/* Priorities 0-100 are reserved for the implementation, which we are. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wprio-ctor-dtor"
__attribute__((constructor(0))) static void init_ctor(void) { lk_init(); }
#pragma GCC diagnostic pop

/* ------------------------------------------------------------ leak check */

/* Marks and snapshots the leaked blocks (report.c) with the world stopped,
 * and with explain=1 records why the two markings disagree (explain.c).
 * arg: the bool "scan instrumented blocks precisely". */
static void mark_world(void *arg) {
  bool precise = *(const bool *)arg;
  lk_alloc_settle_fork(); /* with the world stopped: it writes metadata */
  lk_mark_all(precise);
  if (lk_flags.explain) /* before the collection maps memory */
    lk_explain_collect(precise);
  lk_report_collect();
}

/* Reads the suppressions at the first check, as LSan does: a file that
 * cannot be read, or a malformed line, then ends the process with status 1
 * and one error line (suppress.c) instead of a report that would show
 * leaks the user believes suppressed.  The program's buffered output is
 * flushed first, so that a typo in LSAN_OPTIONS never loses it. */
static void load_suppressions(void) {
  static bool loaded; /* under check_lock */
  if (loaded)
    return;
  loaded = true;
  fflush(NULL);
  lk_suppressions_init();
}

/* As LSan: a rerun marks blocks from newly suppressed stacks as ignored, so
 * that what only they reach is not reported as indirect leaks. */
#define MAX_SUPPRESSION_RERUNS 8

/* Marking runs with the allocator locked (no block changes) and the world
 * stopped; it and the snapshot use no lock a stopped thread may hold.  The
 * report (symbolizer, dl_iterate_phdr, fork/exec of llvm-symbolizer) runs
 * from the snapshot after the world is resumed and the allocator unlocked. */
/* The runtime locks a parked thread must not hold (the final check holds
 * them across each stop).  Order: see the file comment. */
static void lock_runtime(void) {
  lk_roots_lock();
  lk_intercept_lock();
  lk_ialloc_lock();
}

static void unlock_runtime(void) {
  lk_ialloc_unlock();
  lk_intercept_unlock();
  lk_roots_unlock();
}

static void futex_wake_all(int *word) {
  syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* FINAL: the exit-time check (see the file comment). */
static size_t do_leak_check(bool final) {
  pthread_mutex_lock(&st.check_lock);
  __atomic_store_n(&st.check_tid, gettid_raw(), __ATOMIC_RELEASE);
  if (final)
    lk_threads_final();
  size_t leaks = 0;
  if (&__lsan_is_turned_off && __lsan_is_turned_off()) {
    if (lk_flags.verbosity >= 1)
      lk_printf("leakcc: leak checking is turned off by "
                "__lsan_is_turned_off()\n");
  } else {
    if (lk_flags.verbosity >= 1)
      lk_printf("leakcc: checking for leaks (mode=%s)\n", lk_flags.mode);
    load_suppressions(); /* may end the process: before any lock */
    bool precise = lk_precise_enabled(); /* may print: before the stop */
    for (int run = 0;; run++) {
      if (final)
        lock_runtime();
      lk_alloc_lock_all();
      lk_stop_the_world(mark_world, &precise);
      lk_alloc_unlock_all();
      if (final)
        unlock_runtime();
      if (!lk_report_suppress())
        break;
      if (run == MAX_SUPPRESSION_RERUNS) {
        lk_warn("leakcc gave up on indirect leaks suppression");
        break;
      }
      if (lk_flags.verbosity >= 1)
        lk_printf("leakcc: rerunning the check with suppressed stacks\n");
    }
    if (lk_flags.explain)
      lk_explain_print(); /* the last run's explanations, before the report */
    leaks = lk_report_leaks();
  }
  __atomic_store_n(&st.check_tid, 0, __ATOMIC_RELEASE);
  futex_wake_all(&st.check_tid);
  pthread_mutex_unlock(&st.check_lock);
  return leaks;
}

size_t lk_do_leak_check(void) { return do_leak_check(false); }

/* glibc's list of open streams (libio), and FILE's public fields. */
extern FILE *_IO_list_all __attribute__((weak));

/* Flushes the output of every stdio stream as exit() does (_IO_cleanup):
 * without taking the streams' locks, which a thread parked by the exit
 * check, or one blocked reading stdin, may hold.  Streams without pending
 * output are left alone (a reader's position is not disturbed). */
static void flush_streams(void) {
  if (!&_IO_list_all) {
    fflush(NULL);
    return;
  }
  for (FILE *f = _IO_list_all; f; f = f->_chain)
    if (f->_mode > 0 || f->_IO_write_ptr > f->_IO_write_base)
      fflush_unlocked(f);
}

/* The one-shot check (at exit, FINAL, or __lsan_do_leak_check): on leaks,
 * exits with exitcode unless it is 0.  stdio is flushed first, so the
 * program's own buffered output is not lost. */
static void one_shot_check(bool final) {
  if (__atomic_exchange_n(&st.exit_check_done, true, __ATOMIC_ACQ_REL))
    return;
  if (do_leak_check(final) && lk_flags.exitcode) {
    flush_streams();
    syscall(SYS_exit_group, lk_flags.exitcode);
  }
}

/* --------------------------------------------------------------- exit */

/* Runs right after exit_check (registered just before it), on the thread
 * that ran it or, when two threads call exit at once, on the other one:
 * exit_check was taken before this handler could be, so that other thread
 * runs or ran the exit-time check and ends the process; this one must not
 * run the rest of exit (and _exit) meanwhile. */
static void exit_barrier(void) {
  if (!st.barrier ||
      __atomic_load_n(&st.exit_tid, __ATOMIC_ACQUIRE) == gettid_raw())
    return;
  lk_park_forever();
}

/* A thread (not a vfork child: that is a process of its own) ending the
 * process while a leak check runs on another thread waits for it, and
 * never ends it once another thread began the exit-time check: that thread
 * ends it, after its report. */
static void before_exit(void) {
  if ((int)syscall(SYS_getpid) != st.pid)
    return;
  int me = gettid_raw(), owner;
  while ((owner = __atomic_load_n(&st.check_tid, __ATOMIC_ACQUIRE)) &&
         owner != me)
    syscall(SYS_futex, &st.check_tid, FUTEX_WAIT_PRIVATE, owner, NULL, NULL,
            0);
  int exiting = __atomic_load_n(&st.exit_tid, __ATOMIC_ACQUIRE);
  if (exiting && exiting != me)
    lk_park_forever();
}

static void icpt_exit(int status) {
  before_exit();
  for (;;)
    syscall(SYS_exit_group, status);
}
extern __typeof__(_exit) _exit
    __attribute__((weak, alias("icpt_exit"), visibility("default")));
extern __typeof__(_Exit) _Exit
    __attribute__((weak, alias("icpt_exit"), visibility("default")));

static void after_fork_child(void) {
  st.pid = getpid();
  st.check_tid = 0;
  st.exit_tid = 0;
}

/* The caller's live floor (lk.h): the stack pointer it had when it called
 * the runtime function whose frame is FP (frame pointers: FP + 16), with
 * the registers getcontext saw, the caller's frame pointer taken from where
 * that function's prologue saved it.  A macro, so that getcontext runs in
 * the entry point itself, before it can use a callee-saved register. */
#define SET_CALLER_FLOOR(old)                                                    do {                                                                             ucontext_t uc_;                                                                getcontext(&uc_);                                                              uintptr_t fp_ = (uintptr_t)__builtin_frame_address(0);                        uc_.uc_mcontext.gregs[REG_RBP] = *(const greg_t *)fp_;                         (old) = lk_set_live_floor(fp_ + 16, &uc_);                                   } while (0)

/* The atexit handler.  When the program set no floor on this thread
 * (exit called from code the pass did not see, or main not instrumented),
 * the frames below this one are the runtime's: not roots. */
static __attribute__((noinline)) void exit_check(void) {
  int expected = 0;
  __atomic_compare_exchange_n(&st.exit_tid, &expected, gettid_raw(), false,
                              __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
  if (!lk_flags.detect_leaks || !lk_flags.leak_check_at_exit)
    return;
  lk_live_floor old;
  if (!lk_live_floor_set())
    SET_CALLER_FLOOR(old);
  (void)old; /* the process is exiting: the floor stays */
  one_shot_check(true);
}

/* -------------------------------------------------- lsan_interface.h */

LK_EXPORT void __lsan_ignore_object(const void *p) {
  lk_init();
  if (!lk_flags.detect_leaks)
    return;
  pthread_mutex_lock(&st.check_lock);
  lk_meta *m;
  enum { IGNORED, ALREADY, INVALID } res = IGNORED;
  if (!lk_block_of((uintptr_t)p, &m))
    res = INVALID;
  else if (m->ignored)
    res = ALREADY;
  else
    m->ignored = 1;
  pthread_mutex_unlock(&st.check_lock);
  if (lk_flags.verbosity < 1)
    return;
  if (res == INVALID)
    lk_printf("leakcc: __lsan_ignore_object(): no heap object found at %p\n",
              p);
  else if (res == ALREADY)
    lk_printf("leakcc: __lsan_ignore_object(): heap object at %p is already "
              "being ignored\n",
              p);
  else
    lk_printf("leakcc: __lsan_ignore_object(): ignoring heap object at %p\n",
              p);
}

LK_EXPORT void __lsan_disable(void) { lk_disable_depth++; }

LK_EXPORT void __lsan_enable(void) {
  if (lk_disable_depth == 0) {
    lk_init();
    if (!lk_flags.detect_leaks)
      return;
    lk_error("Unmatched call to __lsan_enable().");
    lk_die();
  }
  lk_disable_depth--;
}

static void check_region(const char *fn, const void *p, size_t size) {
  if (size == 0 || (uintptr_t)p + size < (uintptr_t)p) {
    lk_error("%s(): invalid region at %p of size %zu", fn, p, size);
    lk_die();
  }
}

LK_EXPORT void __lsan_register_root_region(const void *p, size_t size) {
  lk_init();
  check_region("__lsan_register_root_region", p, size);
  pthread_mutex_lock(&st.check_lock);
  lk_register_root_region(p, size);
  pthread_mutex_unlock(&st.check_lock);
  if (lk_flags.verbosity >= 1)
    lk_printf("leakcc: registered root region at %p of size %zu\n", p, size);
}

LK_EXPORT void __lsan_unregister_root_region(const void *p, size_t size) {
  lk_init();
  check_region("__lsan_unregister_root_region", p, size);
  pthread_mutex_lock(&st.check_lock);
  bool found = lk_unregister_root_region(p, size);
  pthread_mutex_unlock(&st.check_lock);
  if (!found) {
    lk_error("__lsan_unregister_root_region(): region at %p of size %zu has "
             "not been registered.",
             p, size);
    lk_die();
  }
  if (lk_flags.verbosity >= 1)
    lk_printf("leakcc: unregistered root region at %p of size %zu\n", p,
              size);
}

LK_EXPORT __attribute__((noinline)) void __lsan_do_leak_check(void) {
  lk_init();
  if (!lk_flags.detect_leaks)
    return;
  lk_live_floor old;
  SET_CALLER_FLOOR(old);
  one_shot_check(false);
  lk_restore_live_floor(&old);
}

LK_EXPORT __attribute__((noinline)) int __lsan_do_recoverable_leak_check(void) {
  lk_init();
  if (!lk_flags.detect_leaks)
    return 0;
  lk_live_floor old;
  SET_CALLER_FLOOR(old);
  int leaked = lk_do_leak_check() ? 1 : 0;
  lk_restore_live_floor(&old);
  return leaked;
}

/* ------------------------------------------------- exit-time stack floors */

/* Called by instrumented code right before it calls exit (abi.h): the
 * frames from the caller up are live at the exit check, those below it
 * (the exit path, the runtime, dead callees) are not. */
LK_EXPORT __attribute__((noinline)) void __leakcc_exit_frame(void) {
  lk_live_floor old;
  SET_CALLER_FLOOR(old);
  (void)old;
}

/* Called by an instrumented main right before it returns, with the address
 * of its return address: none of main's frame (nor of anything it called)
 * is live any more; its registers are libc's again. */
LK_EXPORT void __leakcc_main_return(void *return_address_slot) {
  lk_set_live_floor((uintptr_t)return_address_slot + sizeof(void *), NULL);
}

/* ------------------------------------------------------------- modules */

LK_EXPORT void __leakcc_register_module(const struct __leakcc_module *m) {
  lk_init();
  if (m->abi_version != LEAKCC_ABI_VERSION) {
    lk_error("module '%s' was instrumented for leakcc ABI version %u, but this "
             "runtime implements version %u; rebuild it with the same "
             "leakcc as the runtime",
             m->name ? m->name : "<unnamed>", m->abi_version,
             LEAKCC_ABI_VERSION);
    lk_die();
  }
  /* The module's stores write shadow: without it they would fault. */
  lk_precise_require_shadow(m->name);
  pthread_mutex_lock(&st.check_lock);
  lk_modules_register(m);
  pthread_mutex_unlock(&st.check_lock);
}
