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
 * the LEAKCC_SHADOW_* hooks below.
 * 3: hidden-pointer shadow values (MASK, SIDE), the side table and the
 * provenance channel; modules list their externally visible functions and
 * report pointers handed to functions that may not be instrumented.
 * 4: sound precision: shadow 0 means UNKNOWN (scanned by value) and DATA
 * marks proven plain data; stack slots, varargs save areas and memory
 * written by inline asm lose DATA; blocks returned to uninstrumented
 * callers escape (the caller token); exit and main's return set the live
 * stack floor. */
#define LEAKCC_ABI_VERSION 5u

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
  /* The module's externally visible function definitions: code that keeps
   * shadow up to date (see LEAKCC_ESCAPE). */
  uint64_t num_functions;
  const void *const *functions;
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
 * Shadow byte bits (how the granule's 8-byte word holds a reference):
 *   DATA  instrumented code wrote a value there that is no heap reference:
 *         the word is not followed;
 *   RAW   a raw pointer: the word's value, interior pointers included;
 *   MASK  a pointer in the low 48 bits, tags or a NaN box in the high 16
 *         bits, small tags in the low 4 (p | 1, p | 3, kind << 48 | p,
 *         0xfff8... | p): the word's value & LEAKCC_MASK_BITS;
 *   SIDE  the runtime's side table holds, for this granule, the value(s)
 *         written and the block(s) they derive from (XOR, offsets, split
 *         halves, unaligned and below-the-block pointers); an entry counts
 *         only while memory still holds its value.
 * UNKNOWN (no bit but maybe SIDE) is what the shadow of memory nobody
 * instrumented wrote says (the kernel's zero pages), and what the pass
 * writes for values it cannot classify: the word is scanned conservatively,
 * by its value, as RAW is.  So "no reference" is only ever DATA, which
 * instrumented code writes for values it proves are no pointer (soundness
 * rule, docs/precision.md); DATA, RAW and MASK exclude each other.
 * SIDE is a bit that a store covering part of a granule keeps, since the
 * other bytes may still hold a 4-byte side entry; such a store clears RAW
 * and MASK, and keeps DATA only if it writes a constant
 * (shadow &= LEAKCC_SHADOW_PARTIAL_KEEP_DATA) - anything else
 * (shadow &= LEAKCC_SHADOW_PARTIAL_KEEP) may be a byte of a pointer.
 * Memory that code without shadow may have written (memory handed
 * to an uninstrumented function) loses its DATA bits: shadow &= ~DATA.
 */
#define LEAKCC_SHADOW_SHIFT 3
#define LEAKCC_SHADOW_OFFSET 0x7fff8000ULL
#define LEAKCC_SHADOW_UNKNOWN 0
#define LEAKCC_SHADOW_RAW 1
#define LEAKCC_SHADOW_MASK 2
#define LEAKCC_SHADOW_SIDE 4
#define LEAKCC_SHADOW_DATA 8
#define LEAKCC_SHADOW_PARTIAL_KEEP LEAKCC_SHADOW_SIDE
#define LEAKCC_SHADOW_PARTIAL_KEEP_DATA (LEAKCC_SHADOW_SIDE | LEAKCC_SHADOW_DATA)
#define LEAKCC_MASK_BITS 0x0000ffffffffffffULL

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

/*
 * Memory written without shadow (soundness rule above):
 *
 *   void __leakcc_shadow_unknown(void *p, size_t n);
 *
 * clears the DATA bit of the granules of [p, p + n): the pass calls it (or
 * does the same inline) for a stack slot before a call that passes the
 * slot's address to a function that may not be instrumented (an
 * out-parameter: strtol's end pointer, an iterator), and for a byval or
 * sret slot of such a call.
 *
 *   void __leakcc_slot_escape(const void *p, uint64_t n);
 *
 * before the same calls, for the same slot: such a function may follow a
 * pointer it finds in the slot and write into its block, so the
 * instrumented blocks the words of [p, p + min(n, 256)) point to are
 * scanned conservatively from then on.
 *
 *   void __leakcc_unknown_write(const void *p);
 *
 * after inline asm or an intrinsic the pass does not decode (a masked store,
 * a scatter) wrote through pointer P: the heap block or instrumented global
 * containing P, or a window of the stack from P, loses its DATA bits.
 *
 *   void __leakcc_va_start(void *ap);
 *
 * after llvm.va_start: the register save area and the caller's stack
 * arguments that AP (an x86-64 va_list) reads lose their DATA bits.
 *
 *   void __leakcc_exit_frame(void);
 *   void __leakcc_main_return(void *return_address_slot);
 *
 * right before a call of exit, and right before main returns (with
 * llvm.addressofreturnaddress): the live stack of the thread that runs the
 * exit check starts at the caller's frame, resp. above main's frame.
 */
/*
 *   void __leakcc_store_site(void *addr, const struct __leakcc_site *site);
 *
 * only in explain builds (LEAKCC_STORE_SITES=1 in the compiler's
 * environment): before an 8-byte store of a computed value proven plain
 * data (DATA), so that explain=1 can name the store that made a word that
 * looks like a pointer "no reference".
 */
#define LEAKCC_STORE_SITE "__leakcc_store_site"
#define LEAKCC_SHADOW_UNKNOWN_HOOK "__leakcc_shadow_unknown"
#define LEAKCC_UNKNOWN_WRITE "__leakcc_unknown_write"
#define LEAKCC_SLOT_ESCAPE "__leakcc_slot_escape"
#define LEAKCC_VA_START "__leakcc_va_start"
#define LEAKCC_EXIT_FRAME "__leakcc_exit_frame"
#define LEAKCC_MAIN_RETURN "__leakcc_main_return"

/*
 * Side table (runtime/side.c).  A store whose value derives from pointers
 * through a transform a shadow byte cannot describe calls
 *
 *   void __leakcc_side_store(void *addr, uint64_t value, uint64_t how,
 *                            const void *base, const void *base2);
 *
 * before writing WIDTH (4 or 8) bytes of VALUE at ADDR (any alignment), with
 * how = LEAKCC_SIDE_HOW(WIDTH, KIND) and KIND a LEAKCC_SIDE_* below: the
 * granules written become SIDE and the entry says that VALUE refers to the
 * blocks containing BASE and BASE2 (either may be NULL; none: the store
 * holds no reference).  KIND says what the pass saw (for explanations); for
 * an XOR a base given twice cancels out.  RAW and MASKED with an aligned
 * 8-byte store and the matching base just set the RAW or MASK shadow byte.
 * A store of a value computed from a word loaded from memory calls
 *
 *   void __leakcc_side_derive(void *addr, uint64_t value, uint64_t how,
 *                             const void *src, uint64_t srcval,
 *                             const void *base);
 *
 * where SRCVAL is what was loaded from SRC and bits 16-23 of HOW hold the
 * shadow byte SRC had when it was loaded: the bases are BASE plus those
 * that shadow byte (or SRC's side entries) gave SRCVAL.  KIND COPY: VALUE
 * is SRCVAL copied, and keeps SRC's kind.
 *
 * These two and __leakcc_chan_derive (below) are called with LLVM's
 * preserve_most convention (version 5): they preserve every general
 * register but r11, so that callers, often loops, need no spills around
 * these cold calls.  They are valid C functions as well.  The pass declares
 * them nonlazybind: a lazily bound PLT entry would run glibc's resolver,
 * which keeps only the argument registers.
 */
#define LEAKCC_SIDE_STORE "__leakcc_side_store"
#define LEAKCC_SIDE_DERIVE "__leakcc_side_derive"
#define LEAKCC_SIDE_HOW(width, kind) ((uint64_t)(width) | (uint64_t)(kind) << 8)
#define LEAKCC_SIDE_RAW 0       /* the value is the pointer */
#define LEAKCC_SIDE_UNALIGNED 1 /* a raw pointer at an unaligned address */
#define LEAKCC_SIDE_OFFSET 2    /* p - q: base- or self-relative offset */
#define LEAKCC_SIDE_XOR 3       /* p ^ key, p ^ q (XOR lists, mangling) */
#define LEAKCC_SIDE_BELOW 4     /* a pointer below its block (p - 1) */
#define LEAKCC_SIDE_PART 5      /* some bits of a pointer (split halves) */
#define LEAKCC_SIDE_OTHER 6     /* another transform of a pointer */
#define LEAKCC_SIDE_MASKED 7    /* tagged or NaN-boxed (as shadow MASK) */
#define LEAKCC_SIDE_COPY 8      /* __leakcc_side_derive: a plain copy */
#define LEAKCC_SIDE_DATA 9      /* channel: an 8-byte value proven plain data
                                   (a hash returned by a call) */

/*
 * Provenance channel: how a value's provenance crosses a call.  A
 * thread-local array (initial-exec TLS, defined by the runtime)
 *
 *   struct __leakcc_chan __leakcc_chan[LEAKCC_CHAN_SLOTS];
 *
 * slot 0 carries a return value (the first word of a struct returned in
 * registers), slot 1 + i argument i (i < 7), slot 8 the second word of a
 * struct returned in registers.  The writer (the callee before `ret`, the
 * caller before the call) stores the value, the pointers it derives from
 * and a LEAKCC_SIDE_* kind; the reader compares the slot's value with the
 * (non-zero) value it actually got and uses the bases only if they are
 * equal, so a stale or foreign slot is never believed for another value.  A
 * caller clears the value of the result slot it reads (0 or 8) before the
 * call.  For a value computed from a word loaded from
 * memory the writer calls
 *
 *   void __leakcc_chan_derive(struct __leakcc_chan *slot, uint64_t value,
 *                             uint64_t how, const void *src,
 *                             uint64_t srcval, const void *base);
 *
 * (as __leakcc_side_derive, into the slot; value 0 when it has no base).
 *
 * A struct passed in memory (byval) is copied by the call sequence, which
 * writes no shadow: the caller puts {LEAKCC_CHAN_BYVAL ^ size, the source
 * address, NULL, LEAKCC_CHAN_BYVAL} in the argument's slot (and clears its
 * value after the call); the callee, if it finds exactly that, copies the
 * source's shadow onto its copy with __leakcc_shadow_copy and clears it.
 *
 * Slot LEAKCC_CHAN_CALLEE's value is the caller token: before a call whose
 * result is a pointer, the caller stores the callee's address there.  A
 * function returning a pointer that code outside its module may call reads
 * and clears it at entry; if it was not its own address, its caller is not
 * instrumented (a library calling an allocator callback), and the block it
 * returns escapes (__leakcc_escape(NULL, NULL, p)): the library may link it
 * anywhere without shadow.
 */
struct __leakcc_chan {
  uint64_t value;
  const void *base, *base2;
  uint64_t kind;
};
#define LEAKCC_CHAN_BYVAL 0xb7a1b7a1b7a10000ULL
#define LEAKCC_CHAN "__leakcc_chan"
#define LEAKCC_CHAN_SLOTS 10
#define LEAKCC_CHAN_ARGS 7
#define LEAKCC_CHAN_RET2 8
#define LEAKCC_CHAN_CALLEE 9
#define LEAKCC_CHAN_DERIVE "__leakcc_chan_derive"

/*
 * Escapes: instrumented code passing a pointer to a function that may not
 * be instrumented (an external declaration or an indirect call) calls
 *
 *   void __leakcc_escape(uint8_t *known, const void *callee, const void *p);
 *
 * for each pointer argument P, unless *KNOWN (a per-callee byte of the
 * calling module, 0 at start) is 1.  If CALLEE is a function some
 * registered module lists, the runtime sets *KNOWN to 1 (a direct callee)
 * and returns; otherwise the block or instrumented global containing P is
 * scanned conservatively from then on, since uninstrumented code may store
 * pointers into it without shadow.  Calls of libc functions known to store
 * no pointer through their arguments are not reported.  An indirect call
 * calls
 *
 *   void __leakcc_escape_indirect(const void **last, const void *callee,
 *                                 const void *p);
 *
 * unless CALLEE equals *LAST (a per-call-site word, NULL at start), which
 * the runtime sets to CALLEE when CALLEE is instrumented.  A module lists
 * its externally visible functions and those whose address it takes.
 */
#define LEAKCC_ESCAPE "__leakcc_escape"
#define LEAKCC_ESCAPE_INDIRECT "__leakcc_escape_indirect"

#endif /* LEAKCC_ABI_H */
