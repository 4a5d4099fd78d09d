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
 *   -> allocator locks -> stop the world [loader lock, registry lock]
 *   -> lk_mark_all + lk_report_collect -> resume -> allocator unlock
 *   -> (suppression reruns) -> lk_report_leaks.
 */
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
} st = {.check_lock = PTHREAD_MUTEX_INITIALIZER};

static void exit_check(void);

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
  if (atexit(exit_check) != 0)
    lk_warn("cannot register the exit-time leak check");
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
size_t lk_do_leak_check(void) {
  pthread_mutex_lock(&st.check_lock);
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
      lk_alloc_lock_all();
      lk_stop_the_world(mark_world, &precise);
      lk_alloc_unlock_all();
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
  pthread_mutex_unlock(&st.check_lock);
  return leaks;
}

/* The one-shot check (at exit or __lsan_do_leak_check): on leaks, exits
 * with exitcode unless it is 0.  stdio is flushed first, so the program's
 * own buffered output is not lost. */
static void one_shot_check(void) {
  if (__atomic_exchange_n(&st.exit_check_done, true, __ATOMIC_ACQ_REL))
    return;
  if (lk_do_leak_check() && lk_flags.exitcode) {
    fflush(NULL);
    _exit(lk_flags.exitcode);
  }
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
  if (!lk_flags.detect_leaks || !lk_flags.leak_check_at_exit)
    return;
  lk_live_floor old;
  if (!lk_live_floor_set())
    SET_CALLER_FLOOR(old);
  (void)old; /* the process is exiting: the floor stays */
  one_shot_check();
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
  one_shot_check();
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
