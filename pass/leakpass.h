/*
 * leakpass: the interface between the instrumentation (leakpass.c, C on the
 * LLVM-C API) and its registration with opt/clang (register.cpp, C++).
 *
 * register.cpp calls leakpass_instrument() once per module and also provides
 * the few helpers below that LLVM-C lacks.
 */
#ifndef LEAKCC_LEAKPASS_H
#define LEAKCC_LEAKPASS_H

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

/* ---- helpers implemented in C++ (register.cpp) ---- */

/* The demangled name of the source function ALLOC_CALL is in: the
 * subprogram of its debug location (so a call inlined from f() reports f),
 * else the enclosing IR function.  malloc'd; NULL if it has no name. */
char *leakpass_site_function(LLVMValueRef alloc_call);

/* Append Fn to llvm.global_ctors of M with the given priority
 * (llvm::appendToGlobalCtors). */
void leakpass_append_global_ctor(LLVMModuleRef M, LLVMValueRef Fn,
                                 int priority);

#ifdef __cplusplus
}
#endif

#endif /* LEAKCC_LEAKPASS_H */
