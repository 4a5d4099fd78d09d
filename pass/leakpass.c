/*
 * leakpass.c: the leakcc instrumentation, C11 on the LLVM-C API.
 *
 * For one module it
 *   1. rewrites every direct call and invoke of an allocation function listed
 *      in LEAKCC_HOOKS (leakcc/abi.h) into a call/invoke of
 *      __leakcc_hook_NAME with the same arguments plus a trailing pointer to
 *      a private constant `struct __leakcc_site` {file, function, line,
 *      column} built from the call's debug location (function demangled);
 *   2. adds a constructor (llvm.global_ctors, priority 1) that calls
 *      __leakcc_register_module(&desc), desc listing the module's writable
 *      globals {addr, size}, which the runtime scans precisely, and its
 *      externally visible functions (code known to keep shadow up to date,
 *      for __leakcc_escape);
 *   3. instruments every store, atomic write and memory intrinsic to keep
 *      shadow memory up to date (stores.c);
 *   4. marks the module with !LEAKCC_DONE_MD so a second run (clang given
 *      both -fplugin= and -fpass-plugin=) changes nothing.
 *
 * Run it alone with:
 *   opt -load-pass-plugin=leakpass.so -passes=leakpass -S in.ll -o out.ll
 *
 * Calls through function pointers and calls whose function type differs from
 * the one abi.h declares (a user function that happens to be called malloc)
 * are left alone: they reach the runtime's own malloc, not a hook.
 */
#include "leakpass.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>

#include "leakcc/abi.h"

/* One row of LEAKCC_HOOKS, with the C spelling of its signature. */
struct hook_spec {
  const char *name;
  const char *ret;    /* e.g. "void *" */
  const char *params; /* e.g. "(size_t, size_t)" */
};

static const struct hook_spec hook_specs[] = {
#define LEAKPASS_SPEC(NAME, RET, PARAMS) {#NAME, #RET, #PARAMS},
    LEAKCC_HOOKS(LEAKPASS_SPEC)
#undef LEAKPASS_SPEC
};
#define NUM_HOOKS (sizeof hook_specs / sizeof hook_specs[0])

/* Per-module view of one hook. */
struct hook {
  LLVMValueRef target; /* the module's function NAME, or NULL */
  LLVMTypeRef type;    /* NAME's function type as abi.h declares it */
  LLVMValueRef hook;   /* __leakcc_hook_NAME, declared on first use */
};

/* A string constant already emitted (file names, function names). */
struct pooled_string {
  char *text;
  size_t len;
  LLVMValueRef global;
};

/* All state of one leakpass_instrument() run. */
struct pass {
  LLVMModuleRef mod;
  LLVMContextRef ctx;
  LLVMTargetDataRef layout;
  LLVMBuilderRef builder;
  LLVMTypeRef ptr_ty, i32_ty, i64_ty, intptr_ty, void_ty;
  struct hook hooks[NUM_HOOKS];
  struct leakpass_stores *stores; /* stores.c */
  struct pooled_string *strings;
  size_t num_strings, cap_strings;
  char *message; /* first error, malloc'd */
};

/* Sets *message to fmt with arg (malloc'd) unless an error is already set. */
static void set_message(char **message, const char *fmt, const char *arg) {
  if (*message)
    return;
  int n = snprintf(NULL, 0, fmt, arg);
  *message = malloc((size_t)n + 1);
  if (*message)
    snprintf(*message, (size_t)n + 1, fmt, arg);
}

static void fail(struct pass *P, const char *fmt, const char *arg) {
  set_message(&P->message, fmt, arg);
}

LLVMValueRef leakpass_reserved_function(LLVMModuleRef M, const char *name,
                                        LLVMTypeRef type, char **message) {
  LLVMValueRef f = LLVMGetNamedFunction(M, name);
  if (!f)
    f = LLVMAddFunction(M, name, type);
  /* LLVM renames the new function when a global variable holds the name. */
  size_t got = 0;
  const char *actual = LLVMGetValueName2(f, &got);
  if (LLVMGlobalGetValueType(f) == type && got == strlen(name) &&
      !memcmp(actual, name, got))
    return f;
  set_message(message,
              "the module already defines '%s' with another type; that name "
              "is reserved for leakcc",
              name);
  return NULL;
}

/* ------------------------------------------------------------ signatures */

/* LLVM type of one C type spelled in abi.h (only the few spellings the table
 * uses), or NULL for an unknown spelling. */
static LLVMTypeRef c_type(const struct pass *P, const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '('))
    s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == ')'))
    n--;
  if (memchr(s, '*', n))
    return P->ptr_ty;
  if (n == 6 && !memcmp(s, "size_t", 6))
    return P->intptr_ty;
  if (n == 3 && !memcmp(s, "int", 3))
    return P->i32_ty;
  if (n == 4 && !memcmp(s, "void", 4))
    return P->void_ty;
  return NULL;
}

/* The function type abi.h gives SPEC, in this module's data layout; NULL if
 * the table uses a spelling c_type() does not know or more than 4 params. */
static LLVMTypeRef spec_type(const struct pass *P,
                             const struct hook_spec *spec) {
  LLVMTypeRef params[4];
  unsigned n = 0;
  for (const char *p = spec->params; *p;) {
    size_t len = strcspn(p, ",");
    if (n == 4 || !(params[n++] = c_type(P, p, len)))
      return NULL;
    p += len + (p[len] == ',');
  }
  LLVMTypeRef ret = c_type(P, spec->ret, strlen(spec->ret));
  return ret ? LLVMFunctionType(ret, params, n, 0) : NULL;
}

/* ------------------------------------------------------------- constants */

static LLVMValueRef private_constant(struct pass *P, LLVMValueRef init,
                                     const char *name, unsigned align,
                                     bool unnamed) {
  LLVMValueRef g = LLVMAddGlobal(P->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetAlignment(g, align);
  if (unnamed)
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
  return g;
}

/* A NUL-terminated private string constant with TEXT[0..LEN), emitted once
 * per module per distinct text. */
static LLVMValueRef string_constant(struct pass *P, const char *text,
                                    size_t len) {
  for (size_t i = 0; i < P->num_strings; i++) {
    struct pooled_string *s = &P->strings[i];
    if (s->len == len && !memcmp(s->text, text, len))
      return s->global;
  }
  if (P->num_strings == P->cap_strings) {
    size_t cap = P->cap_strings ? 2 * P->cap_strings : 16;
    struct pooled_string *grown = realloc(P->strings, cap * sizeof *grown);
    if (!grown)
      return LLVMConstNull(P->ptr_ty);
    P->strings = grown;
    P->cap_strings = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy)
    return LLVMConstNull(P->ptr_ty);
  memcpy(copy, text, len);
  copy[len] = 0;
  LLVMValueRef init = LLVMConstStringInContext2(P->ctx, text, len, 0);
  LLVMValueRef g = private_constant(P, init, "__leakcc_str", 1, true);
  P->strings[P->num_strings++] = (struct pooled_string){copy, len, g};
  return g;
}

/* The site descriptor of allocation call (or store) CALL. */
static LLVMValueRef site_constant(struct pass *P, LLVMValueRef call) {
  LLVMValueRef file = LLVMConstNull(P->ptr_ty);
  LLVMValueRef func = LLVMConstNull(P->ptr_ty);
  unsigned len = 0;
  /* The file name as clang's diagnostics spell it (as written on the command
   * line or found by #include), not joined with the compilation directory. */
  const char *name = LLVMGetDebugLocFilename(call, &len);
  if (name && len)
    file = string_constant(P, name, len);
  char *fn = leakpass_site_function(call);
  if (fn && *fn)
    func = string_constant(P, fn, strlen(fn));
  free(fn);
  LLVMValueRef fields[4] = {
      file, func,
      LLVMConstInt(P->i32_ty, LLVMGetDebugLocLine(call), 0),
      LLVMConstInt(P->i32_ty, LLVMGetDebugLocColumn(call), 0)};
  LLVMValueRef init = LLVMConstStructInContext(P->ctx, fields, 4, 0);
  return private_constant(P, init, "__leakcc_site", 8, false);
}

/* site_constant for stores.c (explain builds name plain-data stores). */
static LLVMValueRef store_site(void *ctx, LLVMValueRef inst) {
  return site_constant(ctx, inst);
}

/* ----------------------------------------------------------------- hooks */

/* __leakcc_hook_NAME: NAME's type plus a trailing site pointer. */
static LLVMValueRef hook_function(struct pass *P, size_t i) {
  struct hook *h = &P->hooks[i];
  if (h->hook)
    return h->hook;
  char name[128];
  snprintf(name, sizeof name, "%s%s", LEAKCC_HOOK_PREFIX, hook_specs[i].name);
  unsigned n = LLVMCountParamTypes(h->type);
  LLVMTypeRef params[5];
  LLVMGetParamTypes(h->type, params);
  params[n] = P->ptr_ty;
  LLVMTypeRef type =
      LLVMFunctionType(LLVMGetReturnType(h->type), params, n + 1, 0);
  return h->hook = leakpass_reserved_function(P->mod, name, type, &P->message);
}

/* Index of the hook CALL must be rewritten to, or -1. */
static int hook_index(const struct pass *P, LLVMValueRef call) {
  LLVMValueRef callee = LLVMGetCalledValue(call);
  if (!callee || !LLVMIsAFunction(callee))
    return -1;
  for (size_t i = 0; i < NUM_HOOKS; i++)
    if (P->hooks[i].target == callee)
      return LLVMGetCalledFunctionType(call) == P->hooks[i].type ? (int)i
                                                                 : -1;
  return -1;
}

/* Attributes that make a call an allocator call the optimizer may delete or
 * fold; the hook is opaque to it. */
static bool allocator_identity(LLVMAttributeRef a) {
  static const char *const enums[] = {"builtin", "nobuiltin", "allockind",
                                      "allocalign", "allocptr"};
  if (LLVMIsStringAttribute(a)) {
    unsigned len;
    const char *k = LLVMGetStringAttributeKind(a, &len);
    return !strncmp(k, "alloc-", len < 6 ? len : 6);
  }
  if (!LLVMIsEnumAttribute(a))
    return false;
  unsigned kind = LLVMGetEnumAttributeKind(a);
  for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++)
    if (kind == LLVMGetEnumAttributeKindForName(enums[i], strlen(enums[i])))
      return true;
  return false;
}

/* Copy the call-site attributes at IDX from FROM to TO (noalias, nonnull,
 * dereferenceable, align, noundef, nounwind, allocsize... stay true of the
 * hook), except those that identify an allocator. */
static void copy_attributes(LLVMValueRef from, LLVMValueRef to,
                            LLVMAttributeIndex idx) {
  unsigned n = LLVMGetCallSiteAttributeCount(from, idx);
  LLVMAttributeRef *attrs = n ? malloc(n * sizeof *attrs) : NULL;
  if (!attrs)
    return;
  LLVMGetCallSiteAttributes(from, idx, attrs);
  for (unsigned i = 0; i < n; i++)
    if (!allocator_identity(attrs[i]))
      LLVMAddCallSiteAttribute(to, idx, attrs[i]);
  free(attrs);
}

static void copy_metadata(LLVMContextRef ctx, LLVMValueRef from,
                          LLVMValueRef to) {
  size_t n = 0;
  LLVMValueMetadataEntry *md =
      LLVMInstructionGetAllMetadataOtherThanDebugLoc(from, &n);
  for (size_t i = 0; i < n; i++)
    LLVMSetMetadata(to, LLVMValueMetadataEntriesGetKind(md, (unsigned)i),
                    LLVMMetadataAsValue(ctx, LLVMValueMetadataEntriesGetMetadata(
                                                 md, (unsigned)i)));
  if (md)
    LLVMDisposeValueMetadataEntries(md);
  LLVMInstructionSetDebugLoc(to, LLVMInstructionGetDebugLoc(from));
}

/* Replace CALL (a call or invoke of hook I's target) by the hook call. */
static bool rewrite(struct pass *P, LLVMValueRef call, size_t i) {
  LLVMValueRef hook = hook_function(P, i);
  if (!hook)
    return false;
  LLVMTypeRef hook_ty = LLVMGlobalGetValueType(hook);
  unsigned nargs = LLVMGetNumArgOperands(call);
  LLVMValueRef args[5];
  for (unsigned a = 0; a < nargs; a++)
    args[a] = LLVMGetOperand(call, a);
  args[nargs] = site_constant(P, call);

  unsigned nb = LLVMGetNumOperandBundles(call);
  LLVMOperandBundleRef *bundles = nb ? malloc(nb * sizeof *bundles) : NULL;
  if (nb && !bundles) {
    fail(P, "%s", "out of memory");
    return false;
  }
  for (unsigned b = 0; b < nb; b++)
    bundles[b] = LLVMGetOperandBundleAtIndex(call, b);

  LLVMPositionBuilderBefore(P->builder, call);
  LLVMValueRef repl;
  if (LLVMIsAInvokeInst(call)) {
    repl = LLVMBuildInvokeWithOperandBundles(
        P->builder, hook_ty, hook, args, nargs + 1, LLVMGetNormalDest(call),
        LLVMGetUnwindDest(call), bundles, nb, "");
  } else {
    repl = LLVMBuildCallWithOperandBundles(P->builder, hook_ty, hook, args,
                                           nargs + 1, bundles, nb, "");
    /* musttail requires the callee's signature to match the caller's, which
     * the extra site argument breaks; a plain tail call keeps the intent. */
    LLVMTailCallKind kind = LLVMGetTailCallKind(call);
    LLVMSetTailCallKind(repl, kind == LLVMTailCallKindMustTail
                                  ? LLVMTailCallKindTail
                                  : kind);
  }
  for (unsigned b = 0; b < nb; b++)
    LLVMDisposeOperandBundle(bundles[b]);
  free(bundles);

  LLVMSetInstructionCallConv(repl, LLVMGetInstructionCallConv(call));
  copy_attributes(call, repl, LLVMAttributeReturnIndex);
  copy_attributes(call, repl, LLVMAttributeFunctionIndex);
  for (unsigned a = 0; a < nargs; a++)
    copy_attributes(call, repl, a + 1);
  copy_metadata(P->ctx, call, repl);

  size_t len = 0;
  const char *name = LLVMGetValueName2(call, &len);
  char *saved = len ? strndup(name, len) : NULL;
  LLVMReplaceAllUsesWith(call, repl);
  LLVMInstructionEraseFromParent(call);
  if (saved)
    LLVMSetValueName2(repl, saved, len);
  free(saved);
  return true;
}

/* Function attributes the optimizer may have inferred that a call into the
 * runtime or a shadow write makes false (as MemorySanitizer drops them). */
static void drop_stale_attributes(LLVMValueRef fn) {
  static const char *const names[] = {"memory", "nosync", "speculatable"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    LLVMRemoveEnumAttributeAtIndex(
        fn, LLVMAttributeFunctionIndex,
        LLVMGetEnumAttributeKindForName(names[i], strlen(names[i])));
}

static void instrument_function(struct pass *P, LLVMValueRef fn) {
  bool changed = false;
  char *message = NULL;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb;
       bb = LLVMGetNextBasicBlock(bb)) {
    LLVMValueRef next;
    for (LLVMValueRef inst = LLVMGetFirstInstruction(bb); inst; inst = next) {
      next = LLVMGetNextInstruction(inst);
      if (!LLVMIsACallInst(inst) && !LLVMIsAInvokeInst(inst))
        continue;
      int i = hook_index(P, inst);
      if (i >= 0 && rewrite(P, inst, (size_t)i))
        changed = true;
    }
  }
  if (leakpass_stores_function(P->stores, fn, &message))
    changed = true;
  if (message) {
    fail(P, "%s", message);
    free(message);
  }
  if (changed)
    drop_stale_attributes(fn);
}

/* -------------------------------------------------------- module registry */

static bool is_root_global(LLVMValueRef g) {
  size_t len = 0;
  const char *name = LLVMGetValueName2(g, &len);
  if (LLVMIsDeclaration(g) || LLVMIsGlobalConstant(g) || LLVMIsThreadLocal(g))
    return false;
  if (LLVMGetLinkage(g) == LLVMAvailableExternallyLinkage)
    return false;
  if (LLVMGetPointerAddressSpace(LLVMTypeOf(g)) != 0)
    return false;
  if ((len >= 5 && !memcmp(name, "llvm.", 5)) ||
      (len >= 9 && !memcmp(name, "__leakcc_", 9)))
    return false;
  return true;
}

/* Makes room for element N of *ENTRIES (capacity *CAP); on failure frees
 * the array, records the error and returns false. */
static bool make_room(struct pass *P, LLVMValueRef **entries, size_t n,
                      size_t *cap) {
  if (n < *cap)
    return true;
  *cap = *cap ? 2 * *cap : 32;
  LLVMValueRef *grown = realloc(*entries, *cap * sizeof *grown);
  if (!grown) {
    free(*entries);
    *entries = NULL;
    fail(P, "%s", "out of memory");
    return false;
  }
  *entries = grown;
  return true;
}

/* Constant array of {ptr, i64} for the module's root globals; sets *count. */
static LLVMValueRef globals_table(struct pass *P, unsigned *count) {
  LLVMTypeRef entry_fields[2] = {P->ptr_ty, P->i64_ty};
  LLVMTypeRef entry_ty = LLVMStructTypeInContext(P->ctx, entry_fields, 2, 0);
  size_t cap = 0, n = 0;
  LLVMValueRef *entries = NULL;
  for (LLVMValueRef g = LLVMGetFirstGlobal(P->mod); g;
       g = LLVMGetNextGlobal(g)) {
    if (!is_root_global(g))
      continue;
    unsigned long long size =
        LLVMABISizeOfType(P->layout, LLVMGlobalGetValueType(g));
    if (!size)
      continue;
    if (!make_room(P, &entries, n, &cap))
      return NULL;
    LLVMValueRef fields[2] = {g, LLVMConstInt(P->i64_ty, size, 0)};
    entries[n++] = LLVMConstStructInContext(P->ctx, fields, 2, 0);
  }
  *count = (unsigned)n;
  LLVMValueRef table = NULL;
  if (n)
    table = private_constant(P, LLVMConstArray2(entry_ty, entries, n),
                             "__leakcc_globals", 8, false);
  free(entries);
  return table;
}

/* Whether F's address is used otherwise than as the callee of a call. */
static bool address_taken(LLVMValueRef f) {
  for (LLVMUseRef u = LLVMGetFirstUse(f); u; u = LLVMGetNextUse(u)) {
    LLVMValueRef user = LLVMGetUser(u);
    if (!(LLVMIsACallInst(user) || LLVMIsAInvokeInst(user)) ||
        LLVMGetCalledValue(user) != f)
      return true;
    for (unsigned i = 0, n = LLVMGetNumArgOperands(user); i < n; i++)
      if (LLVMGetOperand(user, i) == f)
        return true;
  }
  return false;
}

/* Whether F's definition may be called from elsewhere, by name or through
 * a pointer (so the runtime may learn that calls of it keep shadow up to
 * date). */
static bool is_listed_function(LLVMValueRef f) {
  if (LLVMIsDeclaration(f))
    return false;
  switch (LLVMGetLinkage(f)) {
  case LLVMExternalLinkage:
  case LLVMWeakAnyLinkage:
  case LLVMWeakODRLinkage:
  case LLVMLinkOnceODRLinkage:
  case LLVMLinkOnceAnyLinkage:
    break;
  case LLVMInternalLinkage:
  case LLVMPrivateLinkage:
    if (!address_taken(f))
      return false;
    break;
  default:
    return false;
  }
  size_t len = 0;
  const char *name = LLVMGetValueName2(f, &len);
  return !(len >= 9 && !memcmp(name, "__leakcc_", 9));
}

/* Constant array of the module's listed functions; sets *count. */
static LLVMValueRef functions_table(struct pass *P, uint64_t *count) {
  size_t cap = 0, n = 0;
  LLVMValueRef *entries = NULL;
  for (LLVMValueRef f = LLVMGetFirstFunction(P->mod); f;
       f = LLVMGetNextFunction(f)) {
    if (!is_listed_function(f))
      continue;
    if (!make_room(P, &entries, n, &cap))
      return NULL;
    entries[n++] = f;
  }
  *count = n;
  LLVMValueRef table = NULL;
  if (n)
    table = private_constant(P, LLVMConstArray2(P->ptr_ty, entries, n),
                             "__leakcc_functions", 8, false);
  free(entries);
  return table;
}

/* The module descriptor and the constructor that registers it. */
static void add_registration(struct pass *P) {
  unsigned count = 0;
  uint64_t nfunctions = 0;
  LLVMValueRef table = globals_table(P, &count);
  LLVMValueRef functions = P->message ? NULL : functions_table(P, &nfunctions);
  if (P->message)
    return;
  size_t len = 0;
  const char *src = LLVMGetSourceFileName(P->mod, &len);
  LLVMValueRef init[6] = {
      LLVMConstInt(P->i32_ty, LEAKCC_ABI_VERSION, 0),
      LLVMConstInt(P->i32_ty, count, 0),
      len ? string_constant(P, src, len) : LLVMConstNull(P->ptr_ty),
      table ? table : LLVMConstNull(P->ptr_ty),
      LLVMConstInt(P->i64_ty, nfunctions, 0),
      functions ? functions : LLVMConstNull(P->ptr_ty)};
  LLVMValueRef desc =
      private_constant(P, LLVMConstStructInContext(P->ctx, init, 6, 0),
                       "__leakcc_module", 8, false);

  LLVMTypeRef reg_ty = LLVMFunctionType(P->void_ty, &P->ptr_ty, 1, 0);
  LLVMValueRef reg = leakpass_reserved_function(
      P->mod, LEAKCC_REGISTER_MODULE, reg_ty, &P->message);
  if (!reg)
    return;

  LLVMTypeRef ctor_ty = LLVMFunctionType(P->void_ty, NULL, 0, 0);
  LLVMValueRef ctor = LLVMAddFunction(P->mod, "__leakcc_module_ctor", ctor_ty);
  LLVMSetLinkage(ctor, LLVMInternalLinkage);
  LLVMAddAttributeAtIndex(
      ctor, LLVMAttributeFunctionIndex,
      LLVMCreateEnumAttribute(
          P->ctx, LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
  LLVMPositionBuilderAtEnd(P->builder,
                           LLVMAppendBasicBlockInContext(P->ctx, ctor, ""));
  LLVMSetCurrentDebugLocation2(P->builder, NULL); /* ctor has no subprogram */
  LLVMBuildCall2(P->builder, reg_ty, reg, &desc, 1, "");
  LLVMBuildRetVoid(P->builder);
  leakpass_append_global_ctor(P->mod, ctor, 1);
}

/* ------------------------------------------------------------------ entry */

static void init_pass(struct pass *P, LLVMModuleRef M) {
  memset(P, 0, sizeof *P);
  P->mod = M;
  P->ctx = LLVMGetModuleContext(M);
  P->layout = LLVMGetModuleDataLayout(M);
  P->builder = LLVMCreateBuilderInContext(P->ctx);
  P->ptr_ty = LLVMPointerTypeInContext(P->ctx, 0);
  P->i32_ty = LLVMInt32TypeInContext(P->ctx);
  P->i64_ty = LLVMInt64TypeInContext(P->ctx);
  P->intptr_ty = LLVMIntPtrTypeInContext(P->ctx, P->layout);
  P->void_ty = LLVMVoidTypeInContext(P->ctx);
  P->stores = leakpass_stores_begin(M, store_site, P);
  if (!P->stores)
    fail(P, "%s", "out of memory");
  for (size_t i = 0; i < NUM_HOOKS; i++) {
    P->hooks[i].target = LLVMGetNamedFunction(M, hook_specs[i].name);
    P->hooks[i].type = spec_type(P, &hook_specs[i]);
  }
}

enum leakpass_status leakpass_instrument(LLVMModuleRef M, char **message) {
  *message = NULL;
  if (LLVMGetNamedMetadata(M, LEAKCC_DONE_MD, strlen(LEAKCC_DONE_MD)))
    return LEAKPASS_UNCHANGED;

  struct pass P;
  init_pass(&P, M);
  for (size_t i = 0; i < NUM_HOOKS && !P.message; i++)
    if (!P.hooks[i].type)
      fail(&P, "internal error: unknown C type in the signature of %s",
           hook_specs[i].name);

  for (LLVMValueRef fn = LLVMGetFirstFunction(M); fn && !P.message;
       fn = LLVMGetNextFunction(fn))
    instrument_function(&P, fn);
  if (!P.message)
    add_registration(&P);
  LLVMAddNamedMetadataOperand(M, LEAKCC_DONE_MD,
                              LLVMMetadataAsValue(P.ctx, LLVMMDNodeInContext2(
                                                             P.ctx, NULL, 0)));

  for (size_t i = 0; i < P.num_strings; i++)
    free(P.strings[i].text);
  free(P.strings);
  leakpass_stores_end(P.stores);
  LLVMDisposeBuilder(P.builder);
  *message = P.message;
  return P.message ? LEAKPASS_ERROR : LEAKPASS_CHANGED;
}
