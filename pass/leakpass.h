/*
 * leakpass: the interface between the instrumentation (leakpass.c, C on the
 * LLVM-C API) and its registration with opt/clang (register.cpp, C++).
 *
 * register.cpp calls leakpass_instrument() once per module and also provides
 * the few helpers below that LLVM-C lacks.
 */
#ifndef LEAKCC_LEAKPASS_H
#define LEAKCC_LEAKPASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result of leakpass_instrument(). */
enum leakpass_status {
  LEAKPASS_UNCHANGED,   /* module already instrumented: nothing done */
  LEAKPASS_CHANGED,     /* module instrumented and marked */
  LEAKPASS_ERROR        /* module left unusable for leakcc; see *message */
};

/*
 * Instrument module M (see leakpass.c): rewrite allocation calls into
 * __leakcc_hook_* calls with a site descriptor, add the module constructor
 * that registers M's globals, and mark M so that a second run does nothing.
 * On LEAKPASS_ERROR, *message is a malloc'd sentence the caller reports and
 * frees; otherwise *message is NULL.  Never prints, never exits.
 */
enum leakpass_status leakpass_instrument(LLVMModuleRef M, char **message);

/* Function NAME of type TYPE in M, declared if M lacks it.  NULL when M
 * already has a global NAME of another type or kind (the name is reserved
 * for leakcc); *message then receives a malloc'd sentence unless it already
 * holds one. */
LLVMValueRef leakpass_reserved_function(LLVMModuleRef M, const char *name,
                                        LLVMTypeRef type, char **message);

/* ---- store instrumentation (stores.c), called by leakpass.c ---- */

struct leakpass_stores;
/* Per-module state of the store instrumentation; NULL when out of memory.
 * SITE(CTX, INST) returns the `struct __leakcc_site` constant of INST's
 * debug location (leakpass.c's, shared with allocation sites); it is used
 * only when LEAKCC_STORE_SITES=1 is in the compiler's environment (explain
 * builds: stores of plain data name themselves, see abi.h). */
struct leakpass_stores *
leakpass_stores_begin(LLVMModuleRef M,
                      LLVMValueRef (*site)(void *ctx, LLVMValueRef inst),
                      void *ctx);
/* Maintains the shadow byte of every 8-byte granule that FN's stores, atomic
 * writes and memory intrinsics write (design.md §5).  Returns true if FN
 * changed.  On a conflict with a reserved name, sets *message (malloc'd). */
bool leakpass_stores_function(struct leakpass_stores *S, LLVMValueRef fn,
                              char **message);
void leakpass_stores_end(struct leakpass_stores *S);

/* ---- helpers implemented in C++ (register.cpp) ---- */

/* The demangled name of the source function ALLOC_CALL is in: the
 * subprogram of its debug location (so a call inlined from f() reports f),
 * else the enclosing IR function.  malloc'd; NULL if it has no name. */
char *leakpass_site_function(LLVMValueRef alloc_call);

/* Append Fn to llvm.global_ctors of M with the given priority
 * (llvm::appendToGlobalCtors). */
void leakpass_append_global_ctor(LLVMModuleRef M, LLVMValueRef Fn,
                                 int priority);

/* The alloca PTR points into (llvm::getUnderlyingObject), or NULL. */
LLVMValueRef leakpass_stack_object(LLVMValueRef ptr);

/* Splits BEFORE's block: returns the terminator of a new block that runs
 * only when COND (i1) is true and then continues at BEFORE. */
LLVMValueRef leakpass_split_if_then(LLVMValueRef cond, LLVMValueRef before);

/* Whether the address of ALLOCA is used only to load from and store to it
 * (through GEPs and casts; lifetime markers and assumes allowed): no call,
 * memcpy, phi or store of the address itself can see it.  When it is, sets
 * *stores to a malloc'd array (the caller frees it) of every store into the
 * slot and returns 1; otherwise returns 0 with *stores NULL. */
int leakpass_alloca_is_local(LLVMValueRef alloca, LLVMValueRef **stores,
                             size_t *num_stores);

/* Whether CALL, a call of an intrinsic, may write memory its pointer
 * arguments point to (a masked store, a scatter, a target's store
 * intrinsic); lifetime markers and assume-like intrinsics do not. */
int leakpass_intrinsic_writes_args(LLVMValueRef call);

/* How many bytes inline asm CALL may write through argument ARG: 0 (not a
 * memory operand, no "memory" clobber), the operand's size, or UINT64_MAX
 * (a "memory" clobber: anything reachable from there). */
uint64_t leakpass_asm_written_bytes(LLVMValueRef call, unsigned arg);

/* The size in bytes of a static ALLOCA; 0 when it is dynamic. */
uint64_t leakpass_alloca_size(LLVMValueRef alloca);

/* Whether code outside FN's module may call it: it is not local, or its
 * address is taken. */
int leakpass_callable_from_outside(LLVMValueRef fn);

#ifdef __cplusplus
}
#endif

#endif /* LEAKCC_LEAKPASS_H */
