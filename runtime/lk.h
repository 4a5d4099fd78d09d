/*
 * Internal interfaces of the leakcc runtime (libleakrt), one section per file.
 *
 * Naming: compiler-inserted hooks are __leakcc_*, the public API is leakcc_*
 * and __lsan_*, internal cross-file functions are lk_*, everything else is
 * static.  The runtime is C11 + GNU extensions, uses no LLVM and no C++
 * library, and never calls the user-visible malloc for its own data: runtime
 * internals come from lk_ialloc() (internal_alloc.c), so they are never
 * reported as leaks and never recurse into the user allocator.
 */
#ifndef LEAKCC_LK_H
#define LEAKCC_LK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "leakcc/abi.h"

#define LK_EXPORT __attribute__((visibility("default")))
/* Runtime globals whose words may equal user block addresses (the heap
 * bounds, region bases) must be LK_STATE: roots.c does not scan this
 * section, or those words would keep the first block of a class alive. */
#define LK_STATE_SECTION "leakcc_state"
#define LK_STATE __attribute__((section(LK_STATE_SECTION)))
#define LK_LIKELY(x) __builtin_expect(!!(x), 1)
#define LK_UNLIKELY(x) __builtin_expect(!!(x), 0)

#ifndef LK_DEBUG
#define LK_DEBUG 0 /* 1: cheap invariant checks, 2: expensive ones */
#endif

/* ---------------------------------------------------------------- flags.inc
 * options.c: the option table expanded into one struct.  Read once at
 * start-up (lk_options_init) from __lsan_default_options(), LSAN_OPTIONS and
 * LEAKCC_OPTIONS, in that order (later wins), then LEAKCC_SYMBOLIZER_PATH. */
typedef const char *lk_str;
struct lk_flags {
#define LK_FLAG(type, name, dflt, help) type name;
#include "flags.inc"
#undef LK_FLAG
};
extern struct lk_flags lk_flags;
/* In secure mode, prints one warning naming what it ignored. */
void lk_options_init(void);
/* Parse "k=v:k=v" (also ',' and whitespace separated) into lk_flags.
 * Unknown or malformed entries print a warning naming them.  from_env: TEXT
 * comes from the environment; in secure mode its options that name files or
 * programs (suppressions, log_path, external_symbolizer_path) are then
 * ignored, whatever their value, and listed in lk_options_init's warning. */
void lk_options_parse(const char *text, const char *origin, bool from_env);
void lk_options_print_help(void);
/* Secure mode: the kernel set AT_SECURE for this process (a setuid or setgid
 * program, or file capabilities, raised its privileges at exec), so its
 * environment belongs to a less privileged user.  Then options from the
 * environment that name files or programs are ignored (lk_options_parse),
 * no external symbolizer runs (symbolize.c), error messages echo no file
 * content (suppress.c) and the log_path file must be a regular file of ours
 * with one link (print.c).  lk_secure: -1 until lk_secure_mode first reads
 * getauxval(AT_SECURE), then 0 or 1; unit tests may set it. */
extern int lk_secure;
bool lk_secure_mode(void);

/* ------------------------------------------------------------------ print.c
 * The one printer.  Never allocates (fixed buffer + vsnprintf + write(2)),
 * has a recursion guard, goes to log_path when set (log_path.PID, mode 0640,
 * never through a symbolic link; in secure mode only a regular file of ours
 * with one link), stderr otherwise or when that file cannot be opened or
 * written (one error line on stderr says why; so does a failed write to
 * stdout for log_path=stdout).
 * lk_warn/lk_error prefix "leakcc: warning: " / "leakcc: error: ".
 * lk_die exits with status 1 after a fatal error (double free, misuse of the
 * interface), as ASan does; exitcode= is the status for leaks only. */
void lk_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lk_vprintf(const char *fmt, va_list ap);
void lk_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lk_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void lk_die(void);
void lk_print_open_log(void); /* after options: open log_path if set */
/* write(2) that never raises SIGPIPE: a closed pipe is EPIPE (print.c). */
ssize_t lk_write_nosigpipe(int fd, const void *buf, size_t len);

/* ---------------------------------------------------------- internal_alloc.c
 * Runtime-private memory from mmap; thread safe; never scanned as a root and
 * never part of the user heap.  lk_ialloc returns zeroed memory and never
 * NULL: when the system is out of memory it dies, as lk_mmap does.
 * lk_ialloc_try and lk_mmap_try return NULL instead (RLIMIT_AS, vm.max_
 * map_count), for callers that can cope.  Callers pass the size back to
 * lk_ifree and lk_irealloc. */
void *lk_ialloc(size_t size);
void *lk_ialloc_try(size_t size);
void *lk_mmap_try(size_t size);
void lk_ifree(void *p, size_t size);
void *lk_irealloc(void *p, size_t old_size, size_t new_size);
/* Makes room for element n of an lk_ialloc'd array of elt-byte elements
 * whose capacity is *cap: doubles it (from 16) when full, updating *cap.
 * Returns the (possibly moved) array. */
void *lk_igrow(void *array, size_t n, size_t *cap, size_t elt);
void *lk_mmap(size_t size, const char *what);           /* dies on failure */
/* Holds lk_ialloc's lock, e.g. across a final stop (interface.c), so that
 * no parked thread holds it; lk_ialloc must not be called meanwhile. */
void lk_ialloc_lock(void);
void lk_ialloc_unlock(void);
void lk_munmap(void *p, size_t size);

/* --------------------------------------------------------------- shadow.c
 * The application ranges of abi.h's layout, the only memory with shadow:
 * LowMem [0, LK_LOW_MEM_HI) and HighMem [LK_HIGH_MEM_LO, LK_HIGH_MEM_HI). */
#define LK_LOW_MEM_HI 0x00007fff8000ULL
#define LK_HIGH_MEM_LO 0x10007fff8000ULL
#define LK_HIGH_MEM_HI 0x800000000000ULL
#define LK_SHADOW_OF(a) (((a) >> LEAKCC_SHADOW_SHIFT) + LEAKCC_SHADOW_OFFSET)
/* Reserves LowShadow, HighShadow and ShadowGap.  When the kernel refuses
 * (RLIMIT_AS or RLIMIT_DATA: ulimit -v / -d), the shadow is mapped on
 * demand instead (lk_shadow_lazy): nothing is reserved, the allocator maps
 * the shadow of what it commits (lk_shadow_commit), and a SIGSEGV handler
 * maps the page of any other shadow access that faults (and passes every
 * other SIGSEGV to the program's handler, or to the default action).
 * Unmapped shadow reads as 0 (UNKNOWN) once mapped.  Lazy, the handler
 * only works on threads that do not block SIGSEGV: the runtime keeps
 * SIGSEGV out of the masks the program sets (sigaction, sigprocmask,
 * pthread_sigmask), and marks with one thread (marker_threads=1). */
void lk_shadow_init(void);
/* The shadow is usable: reserved, or mapped on demand. */
bool lk_shadow_reserved(void);
bool lk_shadow_lazy(void);
/* Lazy: maps the shadow of app range [lo, hi) where it is not mapped yet;
 * false (ENOMEM) if the kernel refuses.  Otherwise a no-op returning
 * true.  Any thread, no lock. */
bool lk_shadow_commit(uintptr_t lo, uintptr_t hi);
/* The shadow pages that lie wholly in the shadow of [lo, hi) become
 * UNKNOWN (0) and cost no memory: lazy, unmapped (they read as UNKNOWN
 * when touched again); reserved, MADV_DONTNEED.  The rest of the range's
 * shadow is left alone (a 64 KiB-aligned range has only whole pages).  A
 * no-op without shadow. */
void lk_shadow_release(uintptr_t lo, uintptr_t hi);
/* Shadow mapped on demand (the address space is limited): unmaps at least
 * `bytes` of a spare mapping kept for the runtime's needs near the limit
 * (shadow faults, the leak check's memory); false if not that much is
 * left, or not lazy.  Lock free. */
bool lk_spare_give_up(size_t bytes);
/* lk_shadow_clear_range(lo, hi) that writes only the partial shadow pages
 * at the ends and drops the whole ones (lk_shadow_release): for large
 * ranges (new mmap regions), whose shadow, mapped on demand, would
 * otherwise be mapped just to be zeroed. */
void lk_shadow_forget(uintptr_t lo, uintptr_t hi);

/* ---------------------------------------------------------------- alloc.c
 * The process-wide allocator.
 *
 * Small blocks (<= LK_MAX_SMALL) come from size-class regions: one
 * LK_REGION_SIZE region per class inside one reserved range, so that
 *   class  = (addr - lk_heap.small_lo) >> LK_REGION_SHIFT
 *   index  = (addr - region_base) / class_size      (multiply by reciprocal)
 * maps any interior address to its block in O(1).  Large blocks are mapped
 * individually inside a second reserved range with a page map, also O(1).
 *
 * Per-block metadata (16 bytes, kept outside the block):
 *
 *   63                48 47                                          0
 *  +--------------------+---------------------------------------------+
 *  | flags |ig|tg|kd|st |  requested size (bytes)                     |
 *  +--------------------+---------------------------------------------+
 *  |         stack id (32)           |        generation (32)        |
 *  +---------------------------------+-------------------------------+
 *
 * st: state (1 bit), kd: kind (2), tg: tag (2), ig: ignored (1), flags (10,
 * LK_META_* below).  gen advances when a block is freed, so every
 * allocation of a chunk has its own generation.
 */
enum lk_state { LK_FREE = 0, LK_ALLOCATED = 1 };
/* Which family allocated the block, so free/delete mismatches can be told. */
enum lk_kind { LK_KIND_MALLOC = 0, LK_KIND_NEW = 1, LK_KIND_NEW_ARRAY = 2 };
/* Marking state, valid only during a leak check. */
enum lk_tag {
  LK_TAG_UNMARKED = 0,   /* not (yet) reached: a direct leak if it stays so */
  LK_TAG_REACHABLE = 1,
  LK_TAG_INDIRECT = 2,   /* reached only from leaked blocks */
  LK_TAG_IGNORED = 3,    /* __lsan_ignore_object / allocated while disabled */
};
typedef struct lk_meta {
  uint64_t size : 48;
  uint64_t state : 1;
  uint64_t kind : 2;
  uint64_t tag : 2;
  uint64_t ignored : 1;  /* sticky: ignore_object or allocated while disabled */
  uint64_t flags : 10;
  uint32_t stack_id;
  uint32_t gen;
} lk_meta;
_Static_assert(sizeof(lk_meta) == 16, "block metadata must stay 16 bytes");
/* flags: allocated through a __leakcc_hook_* entry point (an instrumented
 * caller, whose stores into the block keep its shadow up to date), so
 * mode=precise may scan it from shadow (mark.c). */
#define LK_META_INSTRUMENTED 1u
/* flags: the block was handed to code that may not be instrumented
 * (__leakcc_escape, or an interceptor), which can store pointers into it
 * without shadow: scan it conservatively even in mode=precise.  Sticky
 * until the block is freed. */
#define LK_META_CONSERVATIVE 2u
/* flags: allocated in a child forked from a process with other threads,
 * after the fork and before the child's first leak check settled what it
 * inherited (lk_alloc_settle_fork). */
#define LK_META_AFTER_FORK 4u
/* flags: an escaped block (LK_META_CONSERVATIVE), or a stack window or
 * global handed to such code, referenced the block, so that code may have
 * followed the reference and written into it: scanned conservatively too,
 * but, unlike an escaped block, it passes nothing on.  Sticky. */
#define LK_META_REACHED_BY_ESCAPE 8u
/* Either: the block's shadow may miss what such code wrote. */
#define LK_META_UNSHADOWED (LK_META_CONSERVATIVE | LK_META_REACHED_BY_ESCAPE)

#define LK_MIN_ALIGN 16
/* Bytes every chunk keeps free after the requested size, so that a
 * one-past-the-end pointer lies inside its own chunk and never equals the
 * next block's start (Boehm GC's EXTRA_BYTES for all-interior-pointers). */
#define LK_SLACK 1
#define LK_MAX_SIZE (1ULL << 40) /* larger requests fail with ENOMEM */

void lk_alloc_init(void);
/* size 0 is treated as 1.  align is a power of two >= 1.  Returns NULL on
 * failure (errno = ENOMEM).  zero: memory is zeroed.  The block is recorded
 * with the given kind, meta flags (LK_META_*) and stack id, state
 * LK_ALLOCATED. */
void *lk_allocate(size_t size, size_t align, enum lk_kind kind,
                  unsigned flags, uint32_t stack_id, bool zero);
/* Set once at start-up (interface.c) when mode=precise or explain=1 can use
 * the shadow (it is reserved): freeing a small block then marks its whole
 * chunk DATA, so that a recycled chunk inherits no records of the previous
 * block and its stale data does not look like references (a large block's
 * pages come back zero: UNKNOWN); malloc.c makes the shadow of a block an
 * uninstrumented caller gets UNKNOWN, since that caller writes no shadow.
 * Off, the allocator never touches shadow. */
extern bool lk_alloc_clears_shadow;
/* Releases a block returned by lk_allocate.  Caller has checked ownership
 * with lk_block_of(p) == p. */
void lk_deallocate(void *p);
/* The free fast path: frees p and returns true when p starts an allocated
 * block of this kind; otherwise changes nothing and returns false (the
 * caller then finds out which error it is). */
bool lk_release(void *p, enum lk_kind kind);
/* Block containing addr (any interior address; a zero-sized request is a
 * one-byte block), or NULL if addr is not inside an allocated block.  *meta receives the metadata.  O(1), lock free, safe during a
 * stop-the-world leak check. */
void *lk_block_of(uintptr_t addr, lk_meta **meta);
/* Like lk_block_of but also finds free blocks (for error reports). */
void *lk_chunk_of(uintptr_t addr, lk_meta **meta);
size_t lk_usable_size(const void *p); /* 0 if not an allocated block start */
/* Bytes the chunk holding block p can take without moving (for realloc). */
size_t lk_chunk_capacity(const void *p);
/* Calls cb for every allocated block.  Caller holds lk_alloc_lock_all(). */
void lk_for_each_block(void (*cb)(void *block, lk_meta *m, void *arg),
                       void *arg);
void lk_alloc_lock_all(void);   /* for the leak check and fork */
void lk_alloc_unlock_all(void);
/* Fork (docs/reliability.md, "Fork").  In a child forked while the parent
 * had other registered threads (called by threads.c in the child), the
 * blocks inherited from the parent are the parent's: those threads may have
 * held them in registers, which no process can see any more.  From then on
 * new blocks are flagged LK_META_AFTER_FORK; lk_alloc_settle_fork, called
 * by each leak check with the world stopped and the allocator locked, makes
 * every unflagged block ignored (a root, never reported) and clears the
 * flags.  Settling is O(blocks) and happens once per such fork. */
void lk_alloc_forked_from_threads(void);
void lk_alloc_settle_fork(void);
/* Quick filter for the marker: every block lies in [lo, hi). */
extern uintptr_t lk_heap_lo, lk_heap_hi;

/* ---------------------------------------------------------------- malloc.c
 * malloc family, operator new/delete and the __leakcc_hook_* entry points.
 * Errors (double free, invalid free, free of a pointer the allocator does not
 * own, delete/free mismatch) are reported through lk_report_bad_free(). */
__attribute__((noreturn)) void lk_report_bad_free(const char *what,
                                                   const void *p,
                                                   uint32_t stack_id);
/* __lsan_disable() nesting of the current thread; allocations made while it
 * is non-zero are ignored by the leak check (meta->ignored). */
extern __thread int lk_disable_depth;

/* ---------------------------------------------------------------- stack.c
 * Frame-pointer unwinder and the stack depot.  A stack is the allocation
 * site from the pass (or NULL) plus up to malloc_context_size return
 * addresses; identical stacks share one 32-bit id (0 = no stack). */
#define LK_MAX_FRAMES 64
typedef struct lk_stack {
  const struct __leakcc_site *site; /* describes frames[0] when non-NULL */
  uint32_t nframes;
  /* 1 when the allocation was called from the dynamic loader's code.
   * Recorded whatever malloc_context_size is (with 0 there is no frame to
   * tell), because the leak check ignores the loader's blocks (mark.c). */
  uint32_t from_loader;
  uintptr_t frames[];
} lk_stack;
/* Unwinds from the caller of the function that calls lk_stack_capture:
 * frames[0] = pc, then the frame-pointer chain starting at bp. */
uint32_t lk_stack_capture(const struct __leakcc_site *site, uintptr_t pc,
                          uintptr_t bp);
const lk_stack *lk_stack_get(uint32_t id);
/* Whether PC lies in the dynamic loader's code (getauxval(AT_BASE)); false
 * when the loader is unknown (a static program, ld.so run as a program). */
bool lk_pc_in_loader(uintptr_t pc);
#define LK_CAPTURE(site)                                                       \
  lk_stack_capture((site), (uintptr_t)__builtin_return_address(0),           \
                   (uintptr_t)__builtin_frame_address(0))

/* --------------------------------------------------------------- threads.c
 * Thread registry (pthread_create is intercepted) and stop-the-world with a
 * signal (not ptrace).  lk_stop_the_world() suspends every other registered
 * thread and records its registers and stack pointer; the callback then
 * enumerates them with lk_for_each_thread. */
typedef struct lk_thread {
  struct lk_thread *next;
  unsigned long tid;          /* pthread_t */
  int os_tid;
  uintptr_t stack_lo, stack_hi;
  uintptr_t tls_lo, tls_hi;   /* static TLS block + thread descriptor */
  uintptr_t sp;               /* valid while stopped */
  bool sp_exact;              /* scan from sp, not sp - LK_RED_ZONE */
  /* The alternate signal stack sp lies in (a signal handler runs on it),
   * else 0: valid while stopped. */
  uintptr_t alt_lo, alt_hi;
  uintptr_t regs[32];         /* general registers saved while stopped */
  unsigned nregs;
  bool alive;
} lk_thread;
void lk_threads_init(void);
lk_thread *lk_current_thread(void);
/* x86-64's red zone: a stopped thread's live data may lie this far below
 * its stack pointer. */
#define LK_RED_ZONE 128
/* Where the program's live frames on the calling thread start when a leak
 * check runs on it: the stack pointer of the program code that called
 * exit or the check, with its general registers (has_regs), or just above
 * main's frame once main returns (no live registers).  Frames below the
 * floor are the runtime's, libc's exit path, or dead: the check scans this
 * thread's stack from the floor only (docs/precision.md, "dead stack"). */
typedef struct lk_live_floor {
  uintptr_t sp;               /* 0: no floor; scan from the check's frame */
  bool has_regs;
  long long regs[23];         /* NGREG greg_t of <sys/ucontext.h> */
} lk_live_floor;
struct ucontext_t;
/* Sets the calling thread's floor (UC: its registers then, or NULL);
 * returns the previous one, for lk_restore_live_floor. */
lk_live_floor lk_set_live_floor(uintptr_t sp, const struct ucontext_t *uc);
void lk_restore_live_floor(const lk_live_floor *f);
bool lk_live_floor_set(void);
/* Hooks the pass calls (abi.h): right before a call of exit, and right
 * before main returns. */
void __leakcc_exit_frame(void);
void __leakcc_main_return(void *return_address_slot);
void lk_stop_the_world(void (*cb)(void *arg), void *arg);
/* From now on every stop is final: the threads it stops are never resumed
 * (they stay parked in the stop handler until the process ends), and later
 * stops keep them as they are.  For the exit-time check. */
void lk_threads_final(void);
/* The calling thread installed [lo, hi) as its alternate signal stack
 * (both 0: disabled); intercept.c's sigaltstack tells, for the stop. */
void lk_thread_alt_stack(uintptr_t lo, uintptr_t hi);
/* Never returns; the caller stays stoppable. */
__attribute__((noreturn)) void lk_park_forever(void);
/* Only from the stop callback; alive means "stopped, or the caller, during
 * this stop", or a thread not signalled but blocked in a system call (sp is
 * its user stack pointer there, regs the call's arguments), or one that
 * could not be stopped while it runs: then sp == 0 and nregs == 0, and its
 * whole stack is scanned. */
void lk_for_each_thread(void (*cb)(lk_thread *t, void *arg), void *arg);

/* ----------------------------------------------------------------- roots.c
 * Root set: writable segments of every loaded module (dl_iterate_phdr),
 * registered instrumented modules, root regions, and per-thread stacks,
 * registers and TLS.  Each range is handed to the marker's scanner. */
void lk_register_root_region(const void *p, size_t size);
bool lk_unregister_root_region(const void *p, size_t size);
typedef void (*lk_root_fn)(uintptr_t lo, uintptr_t hi, const char *what,
                           bool precise, void *arg);
/* precise: the marking is precise, so interceptor roots count too. */
void lk_for_each_root(lk_root_fn scan, void *arg, bool precise);
/* Calls visit for every readable mapping in /proc/self/maps, in address
 * order.  Reads with a fixed buffer and no allocation (the world may be
 * stopped); a line longer than the buffer (a long path) is parsed from its
 * start.  If the file cannot be read, warns that UNSCANNED are not
 * scanned. */
void lk_for_each_readable_mapping(void (*visit)(uintptr_t lo, uintptr_t hi,
                                                void *arg),
                                  void *arg, const char *unscanned);
void lk_modules_register(const struct __leakcc_module *m);
/* P was handed to code that may not be instrumented: if it lies in a
 * registered global of an instrumented module, that global is scanned
 * conservatively from now on.  Returns whether it did, with the global's
 * range in [*lo, *hi).  Any thread; lock free when P lies outside every
 * registered global. */
bool lk_globals_escape(uintptr_t p, uintptr_t *lo, uintptr_t *hi);
/* Whether P lies in a registered global, with its range; changes nothing. */
bool lk_globals_range(uintptr_t p, uintptr_t *lo, uintptr_t *hi);
/* Holds the lock of the range array (lk_globals_escape's), e.g. across a
 * final stop; lk_for_each_root does not need it. */
void lk_roots_lock(void);
void lk_roots_unlock(void);

/* ---------------------------------------------------------------- escape.c
 * __leakcc_escape (abi.h) and the set of functions registered modules list
 * (read without a lock by __leakcc_escape).  lk_escape_add_functions adds
 * M's; lk_escape_forget drops those in [lo, hi) (an unloaded object).
 * Thread safe; roots.c calls both from lk_modules_register. */
void __leakcc_escape(uint8_t *known, const void *callee, const void *p);
void __leakcc_escape_indirect(const void **last, const void *callee,
                              const void *p);
/* Inline asm or an intrinsic the pass does not decode wrote memory at P
 * without shadow: the block, global or stack window around P loses its DATA
 * bits (abi.h).  __leakcc_va_start: the register save area and the caller's
 * stack arguments a va_list reads were written without shadow. */
void __leakcc_unknown_write(const void *p);
/* A stack slot [P, P + N) goes to a function that may not be
 * instrumented: the blocks its words point to may be written through. */
void __leakcc_slot_escape(const void *p, uint64_t n);
/* What __leakcc_escape (CONSERVATIVE) and __leakcc_unknown_write (not) do
 * for P: the block, instrumented global or stack window at P loses its
 * DATA bits; with CONSERVATIVE a block or global is also scanned
 * conservatively from now on.  Any thread, no allocation. */
void lk_memory_written_without_shadow(uintptr_t p, bool conservative);
/* Sets FLAG (LK_META_CONSERVATIVE or LK_META_REACHED_BY_ESCAPE) in block
 * M's flags; returns whether M had neither before (it was scanned from
 * shadow until now).  Any thread (an atomic OR). */
bool lk_block_escapes(lk_meta *m, unsigned flag);
/* Runtime metadata about a reference to the block containing P was lost
 * (out of memory): the block becomes ignored for good (a root, never
 * reported), so losing metadata never reports a live block.  False when P
 * is in no allocated block.  Any thread, no allocation. */
bool lk_pin_block(uintptr_t p);
void __leakcc_va_start(void *ap);
void lk_escape_add_functions(const struct __leakcc_module *m);
void lk_escape_forget(uintptr_t lo, uintptr_t hi);

/* -------------------------------------------------------------- intercept.c
 * Interceptors of libc and kernel interfaces that hold or write pointers
 * (design.md §6): roots the kernel holds (epoll_ctl data, bytes in flight in
 * pipes and sockets), anonymous mmap regions, and libc out-parameters.
 * lk_intercept_roots hands each such range to SCAN (as a conservative
 * range; the marker adds the encoded references its shadow records); called
 * by lk_for_each_root, for precise marking only, with the world stopped: no
 * lock, no malloc.
 *
 * lk_sys_mmap/lk_sys_munmap: the system calls themselves, which the mmap
 * interceptors never see (as sanitizer_common's internal_mmap).  The
 * runtime's own mappings must use them, never mmap/munmap: those would be
 * recorded as application regions, and a mapping made while the world is
 * stopped could wait on an interceptor lock a stopped thread holds. */
void lk_intercept_roots(lk_root_fn scan, void *arg);
/* Holds every interceptor lock, e.g. across a final stop, so that no parked
 * thread holds one; meanwhile lk_intercept_roots takes the tables as
 * consistent, and the caller must not call an interceptor that updates a
 * table (pipe, mmap, epoll_ctl, ...). */
void lk_intercept_lock(void);
void lk_intercept_unlock(void);
void *lk_sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
                  long off);
int lk_sys_munmap(void *addr, size_t len);

/* ------------------------------------------------------------------ mark.c
 * Caller has stopped the world and holds lk_alloc_lock_all().  Tags every
 * allocated block: REACHABLE from the roots, IGNORED, INDIRECT (reached only
 * from leaked blocks) or UNMARKED (a direct leak).  In a cycle of leaked
 * blocks that nothing else reaches, the lowest-address member (the first in
 * lk_for_each_block order) is direct.  Marks with up to marker_threads raw
 * clone(2) threads that it creates after the stop and that have exited when
 * it returns; takes no lock and calls no malloc.  precise (the caller asked
 * lk_precise_enabled() before the stop): blocks flagged LK_META_INSTRUMENTED
 * and not LK_META_CONSERVATIVE, and roots handed over as precise
 * (instrumented globals), are scanned with lk_precise_scan; other blocks and
 * roots conservatively, roots then also with lk_precise_scan (encoded
 * references on stacks, in TLS and mmap regions), and interceptor roots
 * count.  Not precise: LSan's marking, one-past-the-end pointers excluded. */
void lk_mark_all(bool precise);

/* ---------------------------------------------------------------- report.c
 * A leak check: lk_alloc_lock_all(), stop the world (this order: a thread
 * stopped while holding an allocator lock would deadlock the other),
 * lk_mark_all(), lk_report_collect(), resume the threads, unlock, then
 * lk_report_leaks().
 *
 * lk_report_collect: caller holds the locks as for lk_mark_all, after it.
 * Copies every leaked block (tag UNMARKED: direct, INDIRECT) into memory
 * from lk_mmap; takes no lock, symbolizes nothing, calls no loader function,
 * so a stopped thread holding a libc or runtime lock cannot deadlock it.
 *
 * lk_report_suppress (optional, LSan's rerun): after resuming.  Aggregates
 * the collection and applies suppressions.  Returns true when a stack was
 * suppressed for the first time while unsuppressed indirect leaks remain:
 * the caller may then redo the check (LSan: at most 8 reruns), with
 * lk_mark_all treating blocks whose lk_stack_suppressed(stack_id) as
 * IGNORED roots, so blocks only they reference stop being reported.
 *
 * lk_report_leaks: after resuming, no runtime lock held (it runs
 * llvm-symbolizer and dl_iterate_phdr).  Applies suppressions unless
 * lk_report_suppress did, prints the report in LSan's text, releases the
 * collection and the symbolizer.  Returns the number of unsuppressed leaked
 * blocks. */
void lk_report_collect(void);
bool lk_report_suppress(void);
size_t lk_report_leaks(void);
bool lk_stack_suppressed(uint32_t stack_id); /* lock free, read only */
/* Prints s as LSan does ("    #N 0xPC in FUNC FILE:LINE:COL" lines and a
 * blank line); frame 0 from the pass's site when there is one.  Not while
 * the world is stopped. */
void lk_print_stack(const lk_stack *s);

/* ------------------------------------------------------------- symbolize.c
 * Symbolizes return addresses: llvm-symbolizer (LEAKCC_SYMBOLIZER_PATH,
 * external_symbolizer_path, PATH, beside clang) when found, else
 * module+offset; in secure mode never a symbolizer, always module+offset.
 * Results stay valid until lk_symbolize_reset(). */
typedef struct lk_frame_info {
  const char *function; /* NULL if unknown */
  const char *file;     /* NULL if unknown */
  unsigned line, column;
  const char *module;   /* path of the module containing the address */
  uintptr_t module_offset;
} lk_frame_info;
/* Frames at code address pc (callers pass a return address minus one):
 * with inlining the innermost inlined function first, the function that
 * holds the code last.  Writes at most max (>= 1) frames and returns how
 * many; module/offset are set whenever pc is in a loaded module, function
 * and file are NULL when unknown (symbolize=0, no debug info, no
 * symbolizer).  Not while the world is stopped. */
unsigned lk_symbolize(uintptr_t pc, lk_frame_info *out, unsigned max);
void lk_symbolize_reset(void);
/* Parses one answer of llvm-symbolizer (NUL-terminated ANSWER: pairs of
 * "function\nfile:line[:column]\n" lines, "??" for unknown, up to an
 * empty line or the end) into at most max frames, each a copy of base
 * (module, offset) with function, file, line and column filled in.  An
 * incomplete last pair is dropped.  Returns how many frames; the strings
 * stay valid until lk_symbolize_reset().  Any input is safe (fuzzed:
 * test/fuzz/fuzz_symbolizer.c). */
unsigned lk_symbolizer_parse(const char *answer, const lk_frame_info *base,
                             lk_frame_info *out, unsigned max);

/* -------------------------------------------------------------- suppress.c
 * LSan suppressions: "leak:PATTERN" lines from suppressions=FILE and
 * __lsan_default_suppressions().  PATTERN uses '*' and optional '^'/'$'
 * anchors and is matched against function, file and module of every frame. */
typedef struct lk_suppression {
  const char *templ;
  size_t hit_count;
  size_t hit_bytes;
} lk_suppression;
/* Idempotent.  Reads suppressions=FILE and calls __lsan_default_suppressions()
 * (user code: call it with no runtime lock held).  interface.c calls it at
 * the start of the first leak check, never at start-up, so that a bad file
 * does not stop the program before main.  Exits with status 1 after a
 * clear error if the file cannot be read (missing, a directory, larger than
 * 16 MiB, or not a regular file and silent for 10 s: it never blocks for
 * longer) or a line is malformed; the error names the file (and line) and,
 * except in secure mode, quotes the line. */
void lk_suppressions_init(void);
/* Appends the leak: rules of TEXT; ORIGIN names it in error messages. */
void lk_suppressions_parse(const char *text, const char *origin);
/* LSan's TemplateMatch: '*' wildcard, '^'/'$' anchors, else substring. */
bool lk_template_match(const char *templ, const char *str);
lk_suppression *lk_suppression_match(const lk_stack *s);
void lk_suppressions_print_used(void);

/* ------------------------------------------------------------- interface.c
 * Initialisation order, the exit-time check, and the <sanitizer/
 * lsan_interface.h> functions. */
void lk_init(void);          /* idempotent; safe to call from malloc */
extern int lk_inited;        /* 2 once lk_init() has finished */
/* Runs a leak check now.  Returns the number of unsuppressed leaks. */
size_t lk_do_leak_check(void);

/* --------------------------------------------------------------- precise.c
 * Shadow maintenance and the precise scanner (design.md §5-§6).  Instrumented
 * code writes shadow itself (pass/stores.c) and calls the exported hooks
 * __leakcc_shadow_copy / __leakcc_shadow_clear (abi.h) for memcpy, memmove
 * and memset.  All of these are no-ops when !lk_shadow_reserved(), and only
 * granules inside LowMem/HighMem have shadow: the rest of a range is
 * ignored.  None of them locks or allocates.
 *
 * lk_shadow_clear_range: UNKNOWN for every granule overlapping [lo, hi)
 * (memory whose contents are zero or that code without shadow writes: a
 * large block's free, an uninstrumented caller's allocation).
 *
 * lk_shadow_move: realloc moved n bytes from src to dst (malloc.c calls it
 * when lk_alloc_clears_shadow): dst's granules get
 * src's shadow (as __leakcc_shadow_copy) and src's granules that dst does not
 * cover become UNKNOWN.
 *
 * lk_shadow_forget_data / __leakcc_shadow_unknown: every granule
 * overlapping the range loses its DATA bit: code without shadow may write
 * there (memory handed to an uninstrumented function, inline asm, varargs
 * save areas), so nothing there counts as proven plain data any more.
 *
 * lk_precise_scan: calls found(target) for every reference the 8-byte words
 * in [lo, hi) make according to their shadow: an UNKNOWN or RAW word's
 * value, a MASK word's low 48 bits, the bases of a SIDE granule's live
 * side-table entries (side.c), in address order; DATA words make none.
 * ENCODED_ONLY (the caller also scans the range conservatively): only MASK
 * words and side entries.  lo and hi need not be aligned (only whole
 * granules inside are visited).  Caller: the words are readable (an
 * allocated block, a registered global) and, for a consistent result, the
 * world is stopped.
 *
 * lk_precise_enabled: whether this leak check should scan instrumented
 * memory precisely: mode=precise and the shadow is reserved.  If precise was
 * asked for without shadow it warns once and returns false.  It may print,
 * so call it before stopping the world.
 *
 * lk_precise_require_shadow: every module of ABI version >= 2 writes shadow
 * from its first store; __leakcc_register_module calls this so that such a
 * module dies with a clear error instead of writing to unreserved shadow. */
void __leakcc_shadow_copy(void *dst, const void *src, size_t n);
void __leakcc_shadow_clear(void *p, size_t n);
void __leakcc_shadow_unknown(void *p, size_t n);
void lk_shadow_clear_range(uintptr_t lo, uintptr_t hi);
void lk_shadow_move(uintptr_t dst, uintptr_t src, size_t n);
void lk_shadow_forget_data(uintptr_t lo, uintptr_t hi);
/* lk_precise_refs: like lk_precise_scan, for explanations: calls
 * fn(where, target, how) for every reference a precisely scanned word in
 * [lo, hi) makes: WHERE is the word's address, TARGET the decoded pointer
 * (resolve it to a block yourself), HOW an LK_HOW_* value. */
enum {
  LK_HOW_RAW = 0,     /* shadow RAW */
  LK_HOW_MASK = 1,    /* shadow MASK: tagged or NaN-boxed */
  LK_HOW_UNKNOWN = 2, /* shadow UNKNOWN: a word nothing classified */
  /* LK_HOW_SIDE + LEAKCC_SIDE_*: a side-table entry of that kind */
  LK_HOW_SIDE = 16,
};
typedef void (*lk_ref_fn)(uintptr_t where, uintptr_t target, unsigned how,
                          void *arg);
void lk_precise_refs(uintptr_t lo, uintptr_t hi, lk_ref_fn fn, void *arg,
                     bool encoded_only);
/* Name of an LK_HOW_* value ("tagged pointer", "XOR-encoded pointer", ...). */
const char *lk_how_name(unsigned how);
/* lk_shadow_set_raw / lk_shadow_set_data: every full granule in [lo, hi)
 * becomes RAW (bytes libc or the kernel wrote that may hold pointers) or
 * DATA (bytes read from a file: no reference to this heap), and the
 * partial ones at either end keep only their SIDE bit. */
void lk_shadow_set_raw(uintptr_t lo, uintptr_t hi);
void lk_shadow_set_data(uintptr_t lo, uintptr_t hi);
void lk_precise_scan(uintptr_t lo, uintptr_t hi,
                     void (*found)(uintptr_t value, void *arg), void *arg,
                     bool encoded_only);
bool lk_precise_enabled(void);
void lk_precise_require_shadow(const char *module);

/* ----------------------------------------------------------------- side.c
 * The side table and the provenance channel (abi.h).  Entries are keyed by
 * granule; an entry counts only while the granule's shadow is SIDE and
 * memory still holds the entry's value, so entries are never removed on
 * overwrite or free (a granule keeps its few newest entries; stale ones are
 * dropped when the table grows).  Mutators take the table's lock; the
 * scanner runs with the world stopped and reads without it.
 *
 * lk_side_copy: n bytes are about to be copied from src to dst (before the
 * data, and before the shadow is moved): records at dst the entries that
 * lie wholly in the source range; when the copy moves words off their
 * alignment, raw and masked pointers become unaligned entries too.  Returns
 * a mark for lk_side_copy_done, which the caller calls once it has written
 * dst's shadow: the granules of the entries recorded become SIDE.  Until
 * then, they survive a growth of the table.
 * lk_side_refs: for the SIDE granule at G (8-aligned), calls
 * fn(where, target, LK_HOW_SIDE + kind, arg) for each base of each entry
 * that memory still holds. */
uint32_t lk_side_copy(uintptr_t dst, uintptr_t src, size_t n);
void lk_side_copy_done(uintptr_t dst, size_t n, uint32_t since);
/* Whether [lo, hi) lies inside one application range (memory with shadow;
 * precise.c). */
bool lk_in_app_range(uintptr_t lo, uintptr_t hi);
void lk_side_refs(uintptr_t g, lk_ref_fn fn, void *arg);
/* The provenance channel (abi.h), defined in side.c. */
extern __thread struct __leakcc_chan __leakcc_chan[LEAKCC_CHAN_SLOTS]
    __attribute__((tls_model("initial-exec")));

/* --------------------------------------------------------------- explain.c
 * Explain mode (explain=1): why conservative and precise marking disagree.
 * lk_explain_collect: caller as for lk_mark_all, right after it (reads its
 * IGNORED tags and compares its own marking of mode CHECKED_PRECISE with
 * the tags; changes no tag).  Marks the heap both ways with a sequential
 * marker of its own and records, for every block only one marking reaches,
 * the link that makes the difference.  No lock, no malloc; replaces the
 * records of an earlier call.  lk_explain_print: after resuming, no runtime
 * lock held; prints the records (symbolizing sites) and releases them. */
void lk_explain_collect(bool checked_precise);
/* Explain builds: the store that last wrote plain data at ADDR (abi.h). */
void __leakcc_store_site(void *addr, const struct __leakcc_site *site);
void lk_explain_print(void);

#endif /* LEAKCC_LK_H */
