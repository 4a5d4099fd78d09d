/*
 * The malloc family, operator new/delete and the __leakcc_hook_* entry
 * points (lk.h, malloc.c section).
 *
 * Every public function exists twice: under its own name, for callers the
 * pass did not rewrite, and as __leakcc_hook_NAME with a trailing allocation
 * site, for instrumented callers.  ENTRY() defines both from one body.  The
 * caller's pc and frame are taken in the exported function itself (CALLER),
 * so frames[0] of a recorded stack is always the return address into the
 * user's code, whatever the compiler inlines or splits below.
 *
 * Works before lk_init has run (glibc calls malloc during its own start-up):
 * the allocator initialises itself, and lk_init is entered lazily.
 */
#include "lk.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* __lsan_disable nesting of this thread; interface.c increments it.  Blocks
 * allocated while it is non-zero are ignored by the leak check. */
__thread int lk_disable_depth;

/* libstdc++: throws std::bad_alloc, and std::get_new_handler().  Weak: C
 * programs do not have them. */
extern void _ZSt17__throw_bad_allocv(void) __attribute__((weak, noreturn));
typedef void (*new_handler)(void);
extern new_handler _ZSt15get_new_handlerv(void) __attribute__((weak));

/* Both spellings of every function in abi.h, declared from the X-macro so
 * that a definition below that disagrees with the ABI does not compile. */
#define LK_UNPAREN(...) __VA_ARGS__
#define DECLARE_PLAIN(NAME, RET, PARAMS) LK_EXPORT RET NAME PARAMS;
#define DECLARE_HOOK(NAME, RET, PARAMS)                                        \
  LK_EXPORT RET __leakcc_hook_##NAME(LK_UNPAREN PARAMS,                       \
                                     const struct __leakcc_site *site);
LEAKCC_HOOKS(DECLARE_PLAIN)
LEAKCC_HOOKS(DECLARE_HOOK)
#undef DECLARE_PLAIN
#undef DECLARE_HOOK
/* Not rewritten by the pass, but part of the replaced family. */
LK_EXPORT size_t malloc_usable_size(void *p);

/* Who called the public function: the pass's site (or NULL) and the
 * function's own frame, from which the stack is unwound when needed.  Two
 * words, so that it travels in registers and the fast paths spill nothing;
 * the return address into the caller is read from the frame (capture). */
typedef struct caller {
  const struct __leakcc_site *site;
  uintptr_t bp;
} caller;
#define CALLER(site_) ((caller){(site_), (uintptr_t)__builtin_frame_address(0)})

/* Defines NAME PARAMS and __leakcc_hook_NAME(PARAMS..., site); the body sees
 * `from`, the caller. */
#define ENTRY(RET, NAME, PARAMS, ...)                                          \
  RET NAME PARAMS {                                                            \
    caller from = CALLER(NULL);                                                \
    __VA_ARGS__                                                                \
  }                                                                            \
  RET __leakcc_hook_##NAME(LK_UNPAREN PARAMS,                                  \
                           const struct __leakcc_site *site) {                 \
    caller from = CALLER(site);                                                \
    __VA_ARGS__                                                                \
  }

static uint32_t capture(caller from) {
  /* The runtime keeps frame pointers: the return address into the caller
   * sits just above the saved frame pointer. */
  return lk_stack_capture(from.site, ((const uintptr_t *)from.bp)[1],
                          from.bp);
}

static void print_stack_of(uint32_t id) {
  const lk_stack *s = lk_stack_get(id);
  if (s)
    lk_print_stack(s);
}

/* ------------------------------------------------------------ errors */

/* `what` is the bug type as in the SUMMARY line: "double-free",
 * "bad-free" or "alloc-dealloc-mismatch (A vs B)". */
void lk_report_bad_free(const char *what, const void *p, uint32_t stack_id) {
  int pid = (int)getpid();
  if (!strcmp(what, "double-free"))
    lk_printf("==%d==ERROR: leakcc: attempting double-free on %p\n", pid, p);
  else if (!strcmp(what, "bad-free"))
    lk_printf("==%d==ERROR: leakcc: attempting free on address which was not "
              "malloc()-ed: %p\n", pid, p);
  else
    lk_printf("==%d==ERROR: leakcc: %s on %p\n", pid, what, p);
  print_stack_of(stack_id);
  lk_meta *m;
  void *chunk = lk_chunk_of((uintptr_t)p, &m);
  if (chunk) {
    lk_printf("\n%p is located %zu bytes inside of %zu-byte region "
              "[%p,%p)\n", p, (size_t)((const char *)p - (char *)chunk),
              (size_t)m->size, chunk, (void *)((char *)chunk + m->size));
    lk_printf("%s by thread here:\n",
              m->state == LK_FREE ? "previously allocated" : "allocated");
    print_stack_of(m->stack_id);
  }
  size_t len = strcspn(what, " ");
  lk_printf("\nSUMMARY: leakcc: %.*s\n", (int)len, what);
  lk_die();
}

static __attribute__((noreturn)) void die_with(const char *summary,
                                               caller from, const char *fmt,
                                               ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  lk_printf("==%d==ERROR: leakcc: %s\n", (int)getpid(), msg);
  print_stack_of(capture(from));
  lk_printf("\nSUMMARY: leakcc: %s\n", summary);
  lk_die();
}

/* A hook's caller is instrumented (the pass always passes a site): its
 * stores into the block keep the block's shadow up to date. */
static inline unsigned meta_flags(caller from) {
  return from.site ? LK_META_INSTRUMENTED : 0;
}

/* The nothrow operator new of the C++ library itself (libstdc++, libc++):
 * it calls the throwing form (ours) and turns any exception into NULL,
 * which C cannot do.  NULL when the library is not there (a C program, a
 * static libstdc++) or is this runtime.  Resolved at the first failure. */
static void *cxx_nothrow_new(enum lk_kind kind, bool aligned) {
  static const char *const names[2][2] = {
      {"_ZnwmRKSt9nothrow_t", "_ZnwmSt11align_val_tRKSt9nothrow_t"},
      {"_ZnamRKSt9nothrow_t", "_ZnamSt11align_val_tRKSt9nothrow_t"}};
  static void *resolved[2][2];
  static int tried[2][2];
  int k = kind == LK_KIND_NEW_ARRAY, a = aligned;
  if (!__atomic_load_n(&tried[k][a], __ATOMIC_ACQUIRE)) {
    void *f = dlsym(RTLD_NEXT, names[k][a]);
    void *self = dlsym(RTLD_DEFAULT, names[k][a]);
    __atomic_store_n(&resolved[k][a], f == self ? NULL : f, __ATOMIC_RELAXED);
    __atomic_store_n(&tried[k][a], 1, __ATOMIC_RELEASE);
  }
  return __atomic_load_n(&resolved[k][a], __ATOMIC_RELAXED);
}

/* An allocation failed (size too big or no memory).
 *
 * operator new, as the C++ standard requires: while a new_handler is
 * installed (std::get_new_handler()), call it and try again; it may make
 * memory available, throw std::bad_alloc or end the program.  The nothrow
 * forms call it too, through the C++ library's own nothrow operator new,
 * so that an exception the handler throws becomes NULL; where that library
 * is not found, the handler's exception propagates.  Returns the block
 * when a retry succeeds.
 *
 * Then: unless allocator_may_return_null=0, which reports and dies as LSan
 * does, the malloc family and the nothrow forms return NULL with ENOMEM
 * and the throwing operator new throws std::bad_alloc. */
static void *failed(size_t size, size_t align, enum lk_kind kind, bool zero,
                    bool nothrow, caller from) {
  if (kind != LK_KIND_MALLOC && _ZSt15get_new_handlerv) {
    if (nothrow && _ZSt15get_new_handlerv()) {
      static const char nt = 0; /* a std::nothrow_t: empty */
      bool aligned = align > LK_MIN_ALIGN;
      void *f = cxx_nothrow_new(kind, aligned);
      if (f && aligned)
        return ((void *(*)(size_t, size_t, const void *))f)(size, align, &nt);
      if (f)
        return ((void *(*)(size_t, const void *))f)(size, &nt);
    }
    for (new_handler h; (h = _ZSt15get_new_handlerv());) {
      h();
      void *p = lk_allocate(size, align, kind, meta_flags(from), capture(from),
                            zero);
      if (p)
        return p;
    }
  }
  if (!lk_flags.allocator_may_return_null) {
    if (size > LK_MAX_SIZE)
      die_with("allocation-size-too-big", from,
               "requested allocation size 0x%zx exceeds maximum supported "
               "size of 0x%llx", size, LK_MAX_SIZE);
    die_with("out-of-memory", from,
             "out of memory: allocator is trying to allocate 0x%zx bytes",
             size);
  }
  if (kind != LK_KIND_MALLOC && !nothrow) {
    if (_ZSt17__throw_bad_allocv)
      _ZSt17__throw_bad_allocv();
    lk_error("operator new: cannot allocate %zu bytes and std::bad_alloc "
             "is not available", size);
    lk_die();
  }
  errno = ENOMEM;
  return NULL;
}

/* *total = n * size for calloc and reallocarray.  On overflow: reports and
 * dies when allocator_may_return_null=0, else sets ENOMEM and returns false.
 * summary is the bug type, "calloc-overflow" or "reallocarray-overflow". */
static bool array_size(size_t n, size_t size, size_t *total,
                       const char *summary, caller from) {
  if (LK_LIKELY(!__builtin_mul_overflow(n, size, total)))
    return true;
  if (!lk_flags.allocator_may_return_null)
    die_with(summary, from,
             "%s parameters overflow: count * size (%zu * %zu) cannot be "
             "represented in type size_t", summary, n, size);
  errno = ENOMEM;
  return false;
}

/* ------------------------------------------------------------ core */

static inline void *alloc(size_t size, size_t align, enum lk_kind kind,
                          bool zero, bool nothrow, caller from) {
  if (LK_UNLIKELY(lk_inited != 2))
    lk_init();
  void *p = lk_allocate(size, align, kind, meta_flags(from), capture(from),
                        zero);
  if (LK_UNLIKELY(!p) &&
      !(p = failed(size, align, kind, zero, nothrow, from)))
    return NULL;
  /* A recycled chunk's shadow says DATA; a caller without shadow may store
   * pointers here, and instrumented code may copy them out later. */
  if (LK_UNLIKELY(!from.site) && lk_alloc_clears_shadow)
    lk_shadow_clear_range((uintptr_t)p, (uintptr_t)p + size);
  if (LK_UNLIKELY(lk_disable_depth)) {
    lk_meta *m;
    if (lk_block_of((uintptr_t)p, &m))
      m->ignored = 1;
  }
  return p;
}

/* Why p cannot be released as a block of this kind; NULL if it can, with
 * *meta set to the block's metadata. */
static const char *check_release(void *p, enum lk_kind kind, lk_meta **meta) {
  lk_meta *m;
  if (LK_LIKELY(lk_block_of((uintptr_t)p, &m) == p)) {
    if (LK_LIKELY(m->kind == kind)) {
      *meta = m;
      return NULL;
    }
    static const char *const mismatch[3][3] = {
        {NULL, "alloc-dealloc-mismatch (malloc vs operator delete)",
         "alloc-dealloc-mismatch (malloc vs operator delete [])"},
        {"alloc-dealloc-mismatch (operator new vs free)", NULL,
         "alloc-dealloc-mismatch (operator new vs operator delete [])"},
        {"alloc-dealloc-mismatch (operator new [] vs free)",
         "alloc-dealloc-mismatch (operator new [] vs operator delete)", NULL},
    };
    return mismatch[m->kind][kind];
  }
  if (lk_chunk_of((uintptr_t)p, &m) == p && m->state == LK_FREE)
    return "double-free";
  return "bad-free";
}

static inline void release(void *p, enum lk_kind kind, caller from) {
  if (!p || LK_LIKELY(lk_release(p, kind)))
    return;
  /* Not releasable: check_release says why. */
  lk_meta *m;
  lk_report_bad_free(check_release(p, kind, &m), p, capture(from));
}

static void *reallocate(void *p, size_t size, caller from) {
  if (!p)
    return alloc(size, LK_MIN_ALIGN, LK_KIND_MALLOC, false, false, from);
  lk_meta *m;
  const char *err = check_release(p, LK_KIND_MALLOC, &m);
  if (LK_UNLIKELY(err))
    lk_report_bad_free(err, p, capture(from));
  if (size == 0) { /* glibc: frees and returns NULL */
    lk_deallocate(p);
    return NULL;
  }
  size_t cap = lk_chunk_capacity(p);
  size_t old = m->size, kept = old < size ? old : size;
  /* Precise scanning needs every word of the block written with shadow:
   * the block stays instrumented only if it was and this caller is (words
   * an uninstrumented caller wrote have no shadow); once handed to
   * uninstrumented code it stays conservative. */
  unsigned flags = (m->flags & meta_flags(from)) | (m->flags & LK_META_UNSHADOWED);
  /* In place if it fits and does not waste more than half the chunk.  The
   * block now comes from this call, as if it were a fresh allocation. */
  if (size <= cap && (size >= cap / 2 || cap <= 128)) {
    m->size = size;
    m->flags = flags;
    m->stack_id = capture(from);
    /* Past the kept bytes: no records (stale ones of a larger past size):
     * DATA for an instrumented caller, UNKNOWN for one without shadow. */
    if (lk_alloc_clears_shadow) {
      uintptr_t lo = ((uintptr_t)p + kept + 7) & ~(uintptr_t)7;
      if (from.site)
        lk_shadow_set_data(lo, (uintptr_t)p + cap);
      else
        lk_shadow_clear_range(lo, (uintptr_t)p + cap);
    }
    return p;
  }
  void *q = alloc(size, LK_MIN_ALIGN, LK_KIND_MALLOC, false, false, from);
  if (!q)
    return NULL; /* p stays valid */
  memcpy(q, p, kept);
  if (lk_alloc_clears_shadow)
    lk_shadow_move((uintptr_t)q, (uintptr_t)p, kept); /* memcpy has none */
  /* alloc flagged q as this caller's blocks are; look it up again only
   * when p's flags take that away. */
  lk_meta *qm;
  if (flags != meta_flags(from) && lk_block_of((uintptr_t)q, &qm))
    qm->flags = flags;
  lk_deallocate(p);
  return q;
}

static bool is_pow2(size_t a) {
  return a && !(a & (a - 1));
}

static size_t round_pow2(size_t a) {
  if (a <= 1)
    return 1;
  return is_pow2(a) ? a : (size_t)1 << (64 - __builtin_clzll(a));
}

/* ------------------------------------------------------------ malloc family */

ENTRY(void *, malloc, (size_t n),
      return alloc(n, LK_MIN_ALIGN, LK_KIND_MALLOC, false, false, from);)

ENTRY(void *, calloc, (size_t n, size_t size),
      size_t total;
      if (!array_size(n, size, &total, "calloc-overflow", from))
        return NULL;
      return alloc(total, LK_MIN_ALIGN, LK_KIND_MALLOC, true, false, from);)

ENTRY(void *, realloc, (void *p, size_t n), return reallocate(p, n, from);)

ENTRY(void *, reallocarray, (void *p, size_t n, size_t size),
      size_t total;
      if (!array_size(n, size, &total, "reallocarray-overflow", from))
        return NULL;
      return reallocate(p, total, from);)

ENTRY(void, free, (void *p), release(p, LK_KIND_MALLOC, from);)

ENTRY(char *, strdup, (const char *s),
      size_t len = strlen(s) + 1;
      char *d = alloc(len, LK_MIN_ALIGN, LK_KIND_MALLOC, false, false, from);
      if (d)
        memcpy(d, s, len);
      return d;)

ENTRY(char *, strndup, (const char *s, size_t n),
      size_t len = strnlen(s, n);
      char *d = alloc(len + 1, LK_MIN_ALIGN, LK_KIND_MALLOC, false, false,
                      from);
      if (d) {
        memcpy(d, s, len);
        d[len] = 0;
      }
      return d;)

ENTRY(int, posix_memalign, (void **out, size_t align, size_t n),
      if (!is_pow2(align) || align % sizeof(void *))
        return EINVAL;
      int saved = errno;
      void *p = alloc(n, align, LK_KIND_MALLOC, false, false, from);
      errno = saved;
      if (!p)
        return ENOMEM;
      *out = p;
      /* The runtime wrote a pointer where the caller's shadow may say
       * DATA (a heap field or a global out-parameter). */
      if (lk_alloc_clears_shadow)
        lk_shadow_set_raw((uintptr_t)out, (uintptr_t)(out + 1));
      return 0;)

/* C11 leaves other alignments implementation-defined: reject them, as
 * glibc >= 2.38 does. */
ENTRY(void *, aligned_alloc, (size_t align, size_t n),
      if (!is_pow2(align)) {
        errno = EINVAL;
        return NULL;
      }
      return alloc(n, align, LK_KIND_MALLOC, false, false, from);)

/* glibc rounds an alignment that is not a power of two up to one. */
ENTRY(void *, memalign, (size_t align, size_t n),
      return alloc(n, round_pow2(align), LK_KIND_MALLOC, false, false, from);)

ENTRY(void *, valloc, (size_t n),
      return alloc(n, (size_t)getpagesize(), LK_KIND_MALLOC, false, false,
                   from);)

ENTRY(void *, pvalloc, (size_t n),
      size_t page = (size_t)getpagesize();
      size_t rounded = n ? (n + page - 1) & ~(page - 1) : page;
      if (rounded < n) {
        errno = ENOMEM;
        return NULL;
      }
      return alloc(rounded, page, LK_KIND_MALLOC, false, false, from);)

size_t malloc_usable_size(void *p) {
  return p ? lk_usable_size(p) : 0;
}

/* ------------------------------------------------------------ operator new */

#define NEW LK_KIND_NEW
#define NEW_ARRAY LK_KIND_NEW_ARRAY

ENTRY(void *, _Znwm, (size_t n),
      return alloc(n, LK_MIN_ALIGN, NEW, false, false, from);)
ENTRY(void *, _Znam, (size_t n),
      return alloc(n, LK_MIN_ALIGN, NEW_ARRAY, false, false, from);)
ENTRY(void *, _ZnwmRKSt9nothrow_t, (size_t n, const void *nt),
      return alloc(n, LK_MIN_ALIGN, NEW, false, true, from);)
ENTRY(void *, _ZnamRKSt9nothrow_t, (size_t n, const void *nt),
      return alloc(n, LK_MIN_ALIGN, NEW_ARRAY, false, true, from);)
ENTRY(void *, _ZnwmSt11align_val_t, (size_t n, size_t al),
      return alloc(n, round_pow2(al), NEW, false, false, from);)
ENTRY(void *, _ZnamSt11align_val_t, (size_t n, size_t al),
      return alloc(n, round_pow2(al), NEW_ARRAY, false, false, from);)
ENTRY(void *, _ZnwmSt11align_val_tRKSt9nothrow_t,
      (size_t n, size_t al, const void *nt),
      return alloc(n, round_pow2(al), NEW, false, true, from);)
ENTRY(void *, _ZnamSt11align_val_tRKSt9nothrow_t,
      (size_t n, size_t al, const void *nt),
      return alloc(n, round_pow2(al), NEW_ARRAY, false, true, from);)

/* ------------------------------------------------------------ operator delete
 * Sizes and alignments passed to delete are not checked. */

ENTRY(void, _ZdlPv, (void *p), release(p, NEW, from);)
ENTRY(void, _ZdaPv, (void *p), release(p, NEW_ARRAY, from);)
ENTRY(void, _ZdlPvm, (void *p, size_t n), release(p, NEW, from);)
ENTRY(void, _ZdaPvm, (void *p, size_t n), release(p, NEW_ARRAY, from);)
ENTRY(void, _ZdlPvSt11align_val_t, (void *p, size_t al),
      release(p, NEW, from);)
ENTRY(void, _ZdaPvSt11align_val_t, (void *p, size_t al),
      release(p, NEW_ARRAY, from);)
ENTRY(void, _ZdlPvmSt11align_val_t, (void *p, size_t n, size_t al),
      release(p, NEW, from);)
ENTRY(void, _ZdaPvmSt11align_val_t, (void *p, size_t n, size_t al),
      release(p, NEW_ARRAY, from);)
ENTRY(void, _ZdlPvRKSt9nothrow_t, (void *p, const void *nt),
      release(p, NEW, from);)
ENTRY(void, _ZdaPvRKSt9nothrow_t, (void *p, const void *nt),
      release(p, NEW_ARRAY, from);)
ENTRY(void, _ZdlPvSt11align_val_tRKSt9nothrow_t,
      (void *p, size_t al, const void *nt), release(p, NEW, from);)
ENTRY(void, _ZdaPvSt11align_val_tRKSt9nothrow_t,
      (void *p, size_t al, const void *nt), release(p, NEW_ARRAY, from);)
