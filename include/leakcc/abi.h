/*
 * leakcc ABI shared by the pass (pass/) and the runtime (runtime/).
 *
 * Everything the compiler-inserted code and the runtime must agree on lives
 * here and nowhere else: hook names, descriptor layouts, shadow constants.
 * Bump LEAKCC_ABI_VERSION whenever a layout or a hook signature changes; the
 * runtime refuses modules built for another version with a clear error.
 */
#ifndef LEAKCC_ABI_H
#define LEAKCC_ABI_H

#include <stdint.h>

/* 2: modules keep shadow memory up to date (store instrumentation) and call
 * the LEAKCC_SHADOW_* hooks below. */
#define LEAKCC_ABI_VERSION 2u

/* Static allocation-site descriptor, one per rewritten call, emitted by the
 * pass as a private constant.  Strings are NUL-terminated; file and function
 * may be NULL when the module has no debug info.  function is demangled. */
struct __leakcc_site {
  const char *file;
  const char *function;
  uint32_t line;
  uint32_t column;
};

/* One defined global variable of an instrumented module. */
struct __leakcc_global {
  void *addr;
  uint64_t size;
};

/* Emitted once per instrumented module and passed to
 * __leakcc_register_module() from a module constructor. */
struct __leakcc_module {
  uint32_t abi_version;   /* LEAKCC_ABI_VERSION of the pass that built it */
  uint32_t num_globals;
  const char *name;       /* source file name of the module */
  const struct __leakcc_global *globals;
};

/* Names of the symbols the pass emits calls to. */
#define LEAKCC_REGISTER_MODULE "__leakcc_register_module"
#define LEAKCC_HOOK_PREFIX "__leakcc_hook_"
/* Named metadata that marks a module as already instrumented (so that
 * -fplugin and -fpass-plugin together do not instrument twice). */
#define LEAKCC_DONE_MD "leakcc.instrumented"

/*
 * Allocation functions the pass rewrites.  A direct call or invoke of NAME
 * becomes a call of __leakcc_hook_NAME with the same arguments followed by
 * one extra argument, `const struct __leakcc_site *`.  The runtime defines
 * every hook (runtime/malloc.c); a unit test checks that both sides agree.
 *
 * LEAKCC_HOOK(NAME, RET, PARAMS)  PARAMS is the C parameter list without the
 * trailing site argument.  C++ operators are listed by their Itanium names.
 */
#define LEAKCC_HOOKS(X)                                                        \
  X(malloc, void *, (size_t))                                                  \
  X(calloc, void *, (size_t, size_t))                                          \
  X(realloc, void *, (void *, size_t))                                         \
  X(reallocarray, void *, (void *, size_t, size_t))                            \
  X(free, void, (void *))                                                      \
  X(strdup, char *, (const char *))                                            \
  X(strndup, char *, (const char *, size_t))                                   \
  X(posix_memalign, int, (void **, size_t, size_t))                            \
  X(aligned_alloc, void *, (size_t, size_t))                                   \
  X(memalign, void *, (size_t, size_t))                                        \
  X(valloc, void *, (size_t))                                                  \
  X(pvalloc, void *, (size_t))                                                 \
  /* operator new / new[] */                                                   \
  X(_Znwm, void *, (size_t))                                                   \
  X(_Znam, void *, (size_t))                                                   \
  X(_ZnwmRKSt9nothrow_t, void *, (size_t, const void *))                       \
  X(_ZnamRKSt9nothrow_t, void *, (size_t, const void *))                       \
  X(_ZnwmSt11align_val_t, void *, (size_t, size_t))                            \
  X(_ZnamSt11align_val_t, void *, (size_t, size_t))                            \
  X(_ZnwmSt11align_val_tRKSt9nothrow_t, void *, (size_t, size_t, const void *)) \
  X(_ZnamSt11align_val_tRKSt9nothrow_t, void *, (size_t, size_t, const void *)) \
  /* operator delete / delete[] */                                             \
  X(_ZdlPv, void, (void *))                                                    \
  X(_ZdaPv, void, (void *))                                                    \
  X(_ZdlPvm, void, (void *, size_t))                                           \
  X(_ZdaPvm, void, (void *, size_t))                                           \
  X(_ZdlPvSt11align_val_t, void, (void *, size_t))                             \
  X(_ZdaPvSt11align_val_t, void, (void *, size_t))                             \
  X(_ZdlPvmSt11align_val_t, void, (void *, size_t, size_t))                    \
  X(_ZdaPvmSt11align_val_t, void, (void *, size_t, size_t))                    \
  X(_ZdlPvRKSt9nothrow_t, void, (void *, const void *))                        \
  X(_ZdaPvRKSt9nothrow_t, void, (void *, const void *))                        \
  X(_ZdlPvSt11align_val_tRKSt9nothrow_t, void, (void *, size_t, const void *)) \
  X(_ZdaPvSt11align_val_tRKSt9nothrow_t, void, (void *, size_t, const void *))

/*
 * Shadow memory (design.md §5): one byte per 8-byte granule, direct-mapped:
 *
 *   shadow(a) = (a >> LEAKCC_SHADOW_SHIFT) + LEAKCC_SHADOW_OFFSET
 *
 * The layout is ASan's on x86-64, so the same address ranges are free:
 *
 *   [0x10007fff8000, 0x7fffffffffff]  HighMem     application
 *   [0x02008fff7000, 0x10007fff7fff]  HighShadow  reserved by the runtime
 *   [0x00008fff7000, 0x02008fff6fff]  ShadowGap   PROT_NONE
 *   [0x00007fff8000, 0x00008fff6fff]  LowShadow   reserved by the runtime
 *   [0x000000000000, 0x00007fff7fff]  LowMem      application
 *
 * Shadow byte values: LEAKCC_SHADOW_NONE (no heap reference),
 * LEAKCC_SHADOW_RAW (the word holds a raw pointer); other values are assigned
 * by the precise mode (decoder ids, side-table entries).
 */
#define LEAKCC_SHADOW_SHIFT 3
#define LEAKCC_SHADOW_OFFSET 0x7fff8000ULL
#define LEAKCC_SHADOW_NONE 0
#define LEAKCC_SHADOW_RAW 1

/*
 * Store instrumentation (design.md §5, runtime/precise.c).  The pass writes
 * shadow bytes inline for ordinary, vector and atomic stores, and calls
 *
 *   void __leakcc_shadow_copy(void *dst, const void *src, size_t n);
 *   void __leakcc_shadow_clear(void *p, size_t n);
 *
 * for llvm.memcpy/llvm.memmove (copy, memmove-safe) and llvm.memset (clear).
 * Every module of ABI version >= 2 writes shadow, so the runtime must have
 * reserved it before such a module runs.
 */
#define LEAKCC_SHADOW_COPY "__leakcc_shadow_copy"
#define LEAKCC_SHADOW_CLEAR "__leakcc_shadow_clear"

#endif /* LEAKCC_ABI_H */
