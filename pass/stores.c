/*
 * stores.c: the store instrumentation of leakpass (design.md §5).
 *
 * Every write an instrumented function makes to memory also writes the
 * shadow bytes (leakcc/abi.h: shadow(a) = (a >> 3) + LEAKCC_SHADOW_OFFSET) of
 * the 8-byte granules it covers, so that the runtime can later tell which
 * words hold heap references:
 *
 *   value written (8-aligned, whole granules)      shadow of each granule
 *   ---------------------------------------------  -----------------------
 *   ptr, <N x ptr>, pointer fields of aggregates    RAW for each pointer word
 *   an integer derived from a pointer (ptrtoint,    RAW
 *     casts, +,-,&,|,^ with a constant, phi/select)
 *   a value loaded from memory (possibly cast or    the shadow the source
 *     combined with a constant), same size           granules had at the load
 *   anything else                                   NONE
 *   a write that may straddle granules (static      NONE over every granule
 *     alignment < 8 and < its size)                 it touches (an 8-byte
 *                                                   pointer(-derived) store
 *                                                   checks alignment at run
 *                                                   time and is RAW when it
 *                                                   turns out aligned)
 *   llvm.memcpy / llvm.memmove                      __leakcc_shadow_copy()
 *   llvm.memset                                     NONE (inline when small)
 *   cmpxchg                                         as a store, if it succeeds
 *   atomicrmw xchg                                  as a store
 *   other atomicrmw (add, or, ...)                  unchanged: the result
 *                                                   derives from the old word
 *
 * The common case is a shift, an add and one byte store, no call.
 *
 * Not instrumented: stores into a stack slot whose address only ever feeds
 * loads and stores (leakpass_alloca_is_local) and that is never given a
 * value loaded from memory.  The stack is scanned conservatively, so such a
 * slot needs no shadow; a value loaded back from it gets its provenance from
 * what the function stores there, computed at compile time.  Writes to
 * non-zero address spaces (%fs/%gs-relative) are left alone.
 *
 * Run it with the rest of leakpass:
 *   opt -load-pass-plugin=leakpass.so -passes=leakpass -S in.ll -o out.ll
 */
#include "leakpass.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>

#include "leakcc/abi.h"

#define GRANULE 8u
/* Widest shadow update written inline (granules, one integer store). */
#define MAX_INLINE_GRANULES 16u
/* How far provenance is followed through casts, arithmetic and phis. */
#define MAX_TRACE_DEPTH 8u

/* Where the value a store writes comes from. */
enum prov {
  PROV_NONE, /* plain data */
  PROV_PTR,  /* a pointer, or an integer computed from one */
  PROV_LOAD, /* a value read from memory whose shadow is not known statically */
};

/* A small open-addressing map from LLVM values to words, reset per
 * function (alloca facts, shadow loaded next to each copied load). */
struct value_map {
  LLVMValueRef *keys;
  uintptr_t *vals;
  size_t cap, used;
};

/* What is known about one alloca (value_map word: 1 + kind). */
enum slot_kind { SLOT_SHADOWED = 1, SLOT_LOCAL_NONE, SLOT_LOCAL_PTR };

/* All state of the store instrumentation for one module. */
struct leakpass_stores {
  LLVMModuleRef mod;
  LLVMContextRef ctx;
  LLVMTargetDataRef layout;
  LLVMBuilderRef builder;
  LLVMTypeRef ptr_ty, i8_ty, i64_ty, void_ty;
  LLVMTypeRef copy_ty, clear_ty;  /* hook types */
  LLVMValueRef copy_fn, clear_fn; /* declared on first use */
  unsigned memcpy_id, memcpy_inline_id, memmove_id, memset_id,
      memset_inline_id;
  struct value_map slots;        /* alloca -> enum slot_kind */
  struct value_map load_shadow;  /* load -> shadow value read after it */
  char *message;
};

/* ------------------------------------------------------------ value map */

static size_t map_slot(const struct value_map *m, LLVMValueRef key) {
  size_t i = ((uintptr_t)key >> 4) * 0x9e3779b97f4a7c15ull >> 7;
  for (i &= m->cap - 1; m->keys[i] && m->keys[i] != key; i = (i + 1) & (m->cap - 1))
    ;
  return i;
}

static uintptr_t map_get(const struct value_map *m, LLVMValueRef key) {
  if (!m->cap)
    return 0;
  size_t i = map_slot(m, key);
  return m->keys[i] ? m->vals[i] : 0;
}

/* Returns false when out of memory (the caller then just recomputes). */
static bool map_put(struct value_map *m, LLVMValueRef key, uintptr_t val) {
  if (2 * (m->used + 1) > m->cap) {
    struct value_map grown = {0};
    grown.cap = m->cap ? 2 * m->cap : 64;
    grown.keys = calloc(grown.cap, sizeof *grown.keys);
    grown.vals = calloc(grown.cap, sizeof *grown.vals);
    if (!grown.keys || !grown.vals) {
      free(grown.keys);
      free(grown.vals);
      return false;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->keys[i]) {
        size_t j = map_slot(&grown, m->keys[i]);
        grown.keys[j] = m->keys[i];
        grown.vals[j] = m->vals[i];
        grown.used++;
      }
    free(m->keys);
    free(m->vals);
    *m = grown;
  }
  size_t i = map_slot(m, key);
  if (!m->keys[i])
    m->used++;
  m->keys[i] = key;
  m->vals[i] = val;
  return true;
}

static void map_clear(struct value_map *m) {
  if (m->cap) {
    memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->used = 0;
  }
}

static void map_free(struct value_map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- types */

static bool is_pointer_type(LLVMTypeRef t) {
  LLVMTypeKind k = LLVMGetTypeKind(t);
  if (k == LLVMVectorTypeKind)
    return is_pointer_type(LLVMGetElementType(t));
  return k == LLVMPointerTypeKind;
}

/* Sets pattern[g] = RAW for every granule g < n that holds a whole pointer
 * of type T stored at byte OFFSET (granule-aligned base). */
static void pointer_granules(const struct leakpass_stores *S, LLVMTypeRef t,
                             uint64_t offset, uint8_t *pattern, unsigned n) {
  switch (LLVMGetTypeKind(t)) {
  case LLVMPointerTypeKind:
    if (offset % GRANULE == 0 && offset / GRANULE < n &&
        LLVMStoreSizeOfType(S->layout, t) == GRANULE)
      pattern[offset / GRANULE] = LEAKCC_SHADOW_RAW;
    return;
  case LLVMStructTypeKind:
    for (unsigned i = 0, k = LLVMCountStructElementTypes(t); i < k; i++)
      pointer_granules(S, LLVMStructGetTypeAtIndex(t, i),
                       offset + LLVMOffsetOfElement(S->layout, t, i), pattern,
                       n);
    return;
  case LLVMArrayTypeKind:
  case LLVMVectorTypeKind: {
    LLVMTypeRef elt = LLVMGetElementType(t);
    uint64_t count = LLVMGetTypeKind(t) == LLVMArrayTypeKind
                         ? LLVMGetArrayLength2(t)
                         : LLVMGetVectorSize(t);
    uint64_t stride = LLVMABISizeOfType(S->layout, elt);
    if (!is_pointer_type(elt) && LLVMGetTypeKind(elt) != LLVMStructTypeKind &&
        LLVMGetTypeKind(elt) != LLVMArrayTypeKind)
      return;
    for (uint64_t i = 0; i < count && (offset + i * stride) / GRANULE < n; i++)
      pointer_granules(S, elt, offset + i * stride, pattern, n);
    return;
  }
  default:
    return;
  }
}

/* ------------------------------------------------------------ provenance */

static enum slot_kind slot_kind(struct leakpass_stores *S, LLVMValueRef alloca);

static enum prov combine(enum prov a, enum prov b) {
  return a == PROV_PTR || b == PROV_PTR ? PROV_PTR : PROV_NONE;
}

/* Where V's bits come from.  *load receives the load for PROV_LOAD.  With
 * LOCAL_SLOTS, a load from a local stack slot resolves to what the function
 * stores there; without (while deciding which slots are local) every load
 * is PROV_LOAD. */
static enum prov trace(struct leakpass_stores *S, LLVMValueRef v,
                       LLVMValueRef *load, unsigned depth, bool local_slots) {
  if (is_pointer_type(LLVMTypeOf(v)))
    return PROV_PTR;
  if (depth > MAX_TRACE_DEPTH)
    return PROV_NONE;
  if (LLVMIsAConstantExpr(v))
    return LLVMGetConstOpcode(v) == LLVMPtrToInt ? PROV_PTR : PROV_NONE;
  if (!LLVMIsAInstruction(v))
    return PROV_NONE; /* arguments, call results, constants: see docs */
  switch (LLVMGetInstructionOpcode(v)) {
  case LLVMPtrToInt:
    return PROV_PTR;
  case LLVMBitCast:
  case LLVMFreeze:
    return trace(S, LLVMGetOperand(v, 0), load, depth + 1, local_slots);
  case LLVMAdd:
  case LLVMSub:
  case LLVMAnd:
  case LLVMOr:
  case LLVMXor: {
    LLVMValueRef a = LLVMGetOperand(v, 0), b = LLVMGetOperand(v, 1);
    if (LLVMIsConstant(b))
      return trace(S, a, load, depth + 1, local_slots);
    if (LLVMIsConstant(a))
      return trace(S, b, load, depth + 1, local_slots);
    LLVMValueRef ignored;
    return combine(trace(S, a, &ignored, depth + 1, local_slots),
                   trace(S, b, &ignored, depth + 1, local_slots));
  }
  case LLVMPHI:
  case LLVMSelect:
  case LLVMInsertElement:
  case LLVMShuffleVector: {
    unsigned first = LLVMGetInstructionOpcode(v) == LLVMSelect ? 1 : 0;
    unsigned n = LLVMGetInstructionOpcode(v) == LLVMPHI
                     ? LLVMCountIncoming(v)
                     : (unsigned)LLVMGetNumOperands(v);
    enum prov p = PROV_NONE;
    for (unsigned i = first; i < n && p != PROV_PTR; i++) {
      LLVMValueRef op = LLVMGetInstructionOpcode(v) == LLVMPHI
                            ? LLVMGetIncomingValue(v, i)
                            : LLVMGetOperand(v, i);
      LLVMValueRef ignored;
      p = combine(p, trace(S, op, &ignored, depth + 1, local_slots));
    }
    return p;
  }
  case LLVMLoad: {
    if (local_slots) {
      LLVMValueRef slot = leakpass_stack_object(LLVMGetOperand(v, 0));
      enum slot_kind k = slot ? slot_kind(S, slot) : SLOT_SHADOWED;
      if (k != SLOT_SHADOWED)
        return k == SLOT_LOCAL_PTR ? PROV_PTR : PROV_NONE;
    }
    *load = v;
    return PROV_LOAD;
  }
  default:
    return PROV_NONE;
  }
}

/* Whether stores into ALLOCA can go without shadow, and if so whether any
 * of them writes a pointer-derived value.  A slot that is given a loaded
 * value keeps its shadow so that copies out of it copy the right shadow. */
static enum slot_kind slot_kind(struct leakpass_stores *S, LLVMValueRef alloca) {
  uintptr_t known = map_get(&S->slots, alloca);
  if (known)
    return (enum slot_kind)known;
  LLVMValueRef *stores = NULL;
  size_t n = 0;
  enum slot_kind k = SLOT_SHADOWED;
  if (leakpass_alloca_is_local(alloca, &stores, &n)) {
    k = SLOT_LOCAL_NONE;
    for (size_t i = 0; i < n && k != SLOT_SHADOWED; i++) {
      LLVMValueRef load;
      switch (trace(S, LLVMGetOperand(stores[i], 0), &load, 0, false)) {
      case PROV_LOAD:
        k = SLOT_SHADOWED;
        break;
      case PROV_PTR:
        k = SLOT_LOCAL_PTR;
        break;
      case PROV_NONE:
        break;
      }
    }
  }
  free(stores);
  map_put(&S->slots, alloca, k);
  return k;
}

static bool writes_local_slot(struct leakpass_stores *S, LLVMValueRef addr) {
  LLVMValueRef slot = leakpass_stack_object(addr);
  return slot && slot_kind(S, slot) != SLOT_SHADOWED;
}

/* ------------------------------------------------------------- emitting */

static LLVMTypeRef shadow_int(const struct leakpass_stores *S, unsigned n) {
  return LLVMIntTypeInContext(S->ctx, n * 8);
}

/* shadow(ADDR + OFFSET) as a pointer. */
static LLVMValueRef shadow_addr(struct leakpass_stores *S, LLVMValueRef addr,
                                uint64_t offset) {
  LLVMBuilderRef b = S->builder;
  LLVMValueRef a = LLVMBuildPtrToInt(b, addr, S->i64_ty, "");
  if (offset)
    a = LLVMBuildAdd(b, a, LLVMConstInt(S->i64_ty, offset, 0), "");
  a = LLVMBuildLShr(b, a, LLVMConstInt(S->i64_ty, LEAKCC_SHADOW_SHIFT, 0), "");
  a = LLVMBuildAdd(b, a, LLVMConstInt(S->i64_ty, LEAKCC_SHADOW_OFFSET, 0), "");
  return LLVMBuildIntToPtr(b, a, S->ptr_ty, "");
}

static void store_shadow(struct leakpass_stores *S, LLVMValueRef value,
                         LLVMValueRef where) {
  LLVMValueRef st = LLVMBuildStore(S->builder, value, where);
  LLVMSetAlignment(st, 1);
}

/* N shadow bytes, packed little-endian, as an integer constant. */
static LLVMValueRef pattern_constant(struct leakpass_stores *S,
                                     const uint8_t *pattern, unsigned n) {
  uint64_t words[2] = {0, 0};
  for (unsigned g = 0; g < n; g++)
    words[g / 8] |= (uint64_t)pattern[g] << (8 * (g % 8));
  return LLVMConstIntOfArbitraryPrecision(shadow_int(S, n), (n + 7) / 8,
                                          words);
}

/* The shadow of the N granules at LOAD's address, read right after LOAD
 * (once per load), so that a store of the loaded value copies the
 * provenance the source had when it was read, even if the source has been
 * overwritten in between (a swap).  Moves the builder. */
static LLVMValueRef shadow_at_load(struct leakpass_stores *S, LLVMValueRef load,
                                   unsigned n) {
  LLVMValueRef v = (LLVMValueRef)map_get(&S->load_shadow, load);
  if (v)
    return v;
  LLVMPositionBuilderBefore(S->builder, LLVMGetNextInstruction(load));
  LLVMValueRef where = shadow_addr(S, LLVMGetOperand(load, 0), 0);
  v = LLVMBuildLoad2(S->builder, shadow_int(S, n), where, "");
  LLVMSetAlignment(v, 1);
  map_put(&S->load_shadow, load, (uintptr_t)v);
  return v;
}

static LLVMValueRef declare_hook(struct leakpass_stores *S, const char *name,
                                 LLVMTypeRef type) {
  LLVMValueRef f = leakpass_reserved_function(S->mod, name, type, &S->message);
  if (f) /* the shadow hooks never throw */
    LLVMAddAttributeAtIndex(
        f, LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(
            S->ctx, LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
  return f;
}

/* Calls HOOK(args) at the builder's position. */
static void call_hook(struct leakpass_stores *S, bool copy, LLVMValueRef *args) {
  LLVMValueRef *fn = copy ? &S->copy_fn : &S->clear_fn;
  LLVMTypeRef type = copy ? S->copy_ty : S->clear_ty;
  if (!*fn)
    *fn = declare_hook(S, copy ? LEAKCC_SHADOW_COPY : LEAKCC_SHADOW_CLEAR,
                       type);
  if (*fn)
    LLVMBuildCall2(S->builder, type, *fn, args, copy ? 3 : 2, "");
}

/* NONE over every granule [ADDR, ADDR + SIZE) touches, ADDR of unknown
 * alignment.  With RAW_IF_ALIGNED (an 8-byte pointer store) the granule at
 * ADDR becomes RAW when ADDR turns out 8-aligned. */
static void clear_unaligned(struct leakpass_stores *S, LLVMValueRef addr,
                            uint64_t size, bool raw_if_aligned) {
  if (size > 4 * GRANULE) {
    LLVMValueRef args[2] = {addr, LLVMConstInt(S->i64_ty, size, 0)};
    call_hook(S, false, args);
    return;
  }
  LLVMValueRef zero = LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_NONE, 0);
  /* Last byte first: when ADDR is aligned it shares ADDR's granule. */
  store_shadow(S, zero, shadow_addr(S, addr, size - 1));
  for (uint64_t off = GRANULE; off < size; off += GRANULE)
    store_shadow(S, zero, shadow_addr(S, addr, off));
  LLVMValueRef first = zero;
  if (raw_if_aligned) {
    LLVMValueRef a = LLVMBuildPtrToInt(S->builder, addr, S->i64_ty, "");
    LLVMValueRef low =
        LLVMBuildAnd(S->builder, a, LLVMConstInt(S->i64_ty, GRANULE - 1, 0), "");
    LLVMValueRef aligned = LLVMBuildICmp(S->builder, LLVMIntEQ, low,
                                         LLVMConstInt(S->i64_ty, 0, 0), "");
    first = LLVMBuildSelect(S->builder, aligned,
                            LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_RAW, 0), zero,
                            "");
  }
  store_shadow(S, first, shadow_addr(S, addr, 0));
}

/* Shadow update for writing VAL to ADDR (alignment ALIGN), emitted before
 * instruction BEFORE.  With SUCCESS (cmpxchg), the shadow changes only if
 * SUCCESS is true at run time. */
static void shadow_write(struct leakpass_stores *S, LLVMValueRef before,
                         LLVMValueRef addr, LLVMValueRef val, unsigned align,
                         LLVMValueRef success) {
  LLVMTypeRef type = LLVMTypeOf(val);
  uint64_t size = LLVMStoreSizeOfType(S->layout, type);
  LLVMPositionBuilderBefore(S->builder, before);
  if (!size)
    return;
  uint64_t granules = (size + GRANULE - 1) / GRANULE;
  /* Below 8-byte alignment only a write no larger than its alignment (an
   * i32 at align 4, and so every cmpxchg) is known to stay in one granule. */
  bool one_granule = size <= align;
  if ((align < GRANULE && !one_granule) || granules > MAX_INLINE_GRANULES) {
    LLVMValueRef ignored;
    bool ptr = size == GRANULE && align < GRANULE &&
               (is_pointer_type(type) ||
                trace(S, val, &ignored, 0, true) == PROV_PTR);
    clear_unaligned(S, addr, size, ptr);
    return;
  }
  unsigned n = (unsigned)granules;
  uint8_t pattern[MAX_INLINE_GRANULES] = {0};
  LLVMValueRef load = NULL;
  LLVMValueRef value = NULL;
  if (!is_pointer_type(type)) {
    enum prov p = trace(S, val, &load, 0, true);
    if (p == PROV_LOAD && LLVMGetAlignment(load) >= GRANULE &&
        LLVMStoreSizeOfType(S->layout, LLVMTypeOf(load)) == size &&
        size % GRANULE == 0)
      value = shadow_at_load(S, load, n);
    else if (p == PROV_PTR)
      for (uint64_t g = 0; g < size / GRANULE; g++)
        pattern[g] = LEAKCC_SHADOW_RAW;
  }
  if (!value) {
    pointer_granules(S, type, 0, pattern, n);
    value = pattern_constant(S, pattern, n);
  }
  LLVMPositionBuilderBefore(S->builder, before);
  LLVMValueRef where = shadow_addr(S, addr, 0);
  if (success) {
    LLVMValueRef old = LLVMBuildLoad2(S->builder, shadow_int(S, n), where, "");
    LLVMSetAlignment(old, 1);
    value = LLVMBuildSelect(S->builder, success, value, old, "");
  }
  store_shadow(S, value, where);
}

/* Alignment the call-site gives argument ARG (0-based), 1 if none. */
static unsigned arg_align(LLVMValueRef call, unsigned arg) {
  LLVMAttributeRef a = LLVMGetCallSiteEnumAttribute(
      call, arg + 1, LLVMGetEnumAttributeKindForName("align", 5));
  return a ? (unsigned)LLVMGetEnumAttributeValue(a) : 1;
}

/* llvm.memcpy/memmove: copy the shadow with the data; small aligned copies
 * inline (one shadow load and store, so memmove-safe). */
static void shadow_copy(struct leakpass_stores *S, LLVMValueRef call) {
  LLVMValueRef dst = LLVMGetOperand(call, 0), src = LLVMGetOperand(call, 1);
  LLVMValueRef len = LLVMGetOperand(call, 2);
  if (LLVMIsAConstantInt(len)) {
    unsigned long long n = LLVMConstIntGetZExtValue(len);
    if (n == 0)
      return;
    if (n % GRANULE == 0 && n / GRANULE <= MAX_INLINE_GRANULES &&
        arg_align(call, 0) >= GRANULE && arg_align(call, 1) >= GRANULE) {
      LLVMTypeRef t = shadow_int(S, (unsigned)(n / GRANULE));
      LLVMValueRef v = LLVMBuildLoad2(S->builder, t, shadow_addr(S, src, 0), "");
      LLVMSetAlignment(v, 1);
      store_shadow(S, v, shadow_addr(S, dst, 0));
      return;
    }
  }
  LLVMValueRef args[3] = {dst, src,
                          LLVMBuildZExtOrBitCast(S->builder, len, S->i64_ty, "")};
  call_hook(S, true, args);
}

/* llvm.memset: whatever the byte, no granule holds a reference after it. */
static void shadow_clear(struct leakpass_stores *S, LLVMValueRef call) {
  LLVMValueRef dst = LLVMGetOperand(call, 0), len = LLVMGetOperand(call, 2);
  if (LLVMIsAConstantInt(len)) {
    unsigned long long n = LLVMConstIntGetZExtValue(len);
    if (n == 0)
      return;
    unsigned granules = (unsigned)((n + GRANULE - 1) / GRANULE);
    if (arg_align(call, 0) >= GRANULE && n <= MAX_INLINE_GRANULES * GRANULE) {
      store_shadow(S, LLVMConstInt(shadow_int(S, granules), 0, 0),
                   shadow_addr(S, dst, 0));
      return;
    }
    if (n <= 4 * GRANULE) {
      clear_unaligned(S, dst, n, false);
      return;
    }
  }
  LLVMValueRef args[2] = {dst,
                          LLVMBuildZExtOrBitCast(S->builder, len, S->i64_ty, "")};
  call_hook(S, false, args);
}

/* ------------------------------------------------------------- dispatch */

static bool default_address_space(LLVMValueRef ptr) {
  return LLVMGetPointerAddressSpace(LLVMTypeOf(ptr)) == 0;
}

/* Instruments one write; returns true if it emitted anything. */
static bool instrument(struct leakpass_stores *S, LLVMValueRef inst) {
  LLVMBuilderRef b = S->builder;
  LLVMSetCurrentDebugLocation2(b, LLVMInstructionGetDebugLoc(inst));
  switch (LLVMGetInstructionOpcode(inst)) {
  case LLVMStore: {
    LLVMValueRef addr = LLVMGetOperand(inst, 1);
    if (!default_address_space(addr) || writes_local_slot(S, addr))
      return false;
    shadow_write(S, inst, addr, LLVMGetOperand(inst, 0), LLVMGetAlignment(inst),
                 NULL);
    return true;
  }
  case LLVMAtomicRMW: {
    LLVMValueRef addr = LLVMGetOperand(inst, 0);
    if (LLVMGetAtomicRMWBinOp(inst) != LLVMAtomicRMWBinOpXchg ||
        !default_address_space(addr) || writes_local_slot(S, addr))
      return false;
    shadow_write(S, inst, addr, LLVMGetOperand(inst, 1), LLVMGetAlignment(inst),
                 NULL);
    return true;
  }
  case LLVMAtomicCmpXchg: {
    LLVMValueRef addr = LLVMGetOperand(inst, 0);
    if (!default_address_space(addr) || writes_local_slot(S, addr))
      return false;
    LLVMValueRef next = LLVMGetNextInstruction(inst);
    LLVMPositionBuilderBefore(b, next);
    LLVMValueRef ok = LLVMBuildExtractValue(b, inst, 1, "");
    shadow_write(S, next, addr, LLVMGetOperand(inst, 2), LLVMGetAlignment(inst),
                 ok);
    return true;
  }
  case LLVMCall: {
    LLVMValueRef callee = LLVMGetCalledValue(inst);
    unsigned id = callee && LLVMIsAFunction(callee) ? LLVMGetIntrinsicID(callee) : 0;
    if (!id || !default_address_space(LLVMGetOperand(inst, 0)))
      return false;
    LLVMPositionBuilderBefore(b, inst);
    if (id == S->memcpy_id || id == S->memcpy_inline_id || id == S->memmove_id)
      shadow_copy(S, inst);
    else if (id == S->memset_id || id == S->memset_inline_id)
      shadow_clear(S, inst);
    else
      return false;
    return true;
  }
  default:
    return false;
  }
}

static bool is_write(struct leakpass_stores *S, LLVMValueRef inst) {
  switch (LLVMGetInstructionOpcode(inst)) {
  case LLVMStore:
  case LLVMAtomicRMW:
  case LLVMAtomicCmpXchg:
    return true;
  case LLVMCall: {
    LLVMValueRef callee = LLVMGetCalledValue(inst);
    unsigned id = callee && LLVMIsAFunction(callee) ? LLVMGetIntrinsicID(callee) : 0;
    return id && (id == S->memcpy_id || id == S->memcpy_inline_id ||
                  id == S->memmove_id || id == S->memset_id ||
                  id == S->memset_inline_id);
  }
  default:
    return false;
  }
}

static bool has_fn_attribute(LLVMValueRef fn, const char *name) {
  return LLVMGetEnumAttributeAtIndex(
             fn, LLVMAttributeFunctionIndex,
             LLVMGetEnumAttributeKindForName(name, strlen(name))) != NULL;
}

bool leakpass_stores_function(struct leakpass_stores *S, LLVMValueRef fn,
                              char **message) {
  if (LLVMIsDeclaration(fn) || has_fn_attribute(fn, "naked") ||
      has_fn_attribute(fn, "disable_sanitizer_instrumentation"))
    return false;
  /* Collect first: the updates add stores of their own. */
  size_t n = 0, cap = 0;
  LLVMValueRef *writes = NULL;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb;
       bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i;
         i = LLVMGetNextInstruction(i)) {
      if (!is_write(S, i))
        continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 64;
        LLVMValueRef *grown = realloc(writes, cap * sizeof *grown);
        if (!grown) {
          free(writes);
          *message = strdup("out of memory");
          return false;
        }
        writes = grown;
      }
      writes[n++] = i;
    }
  bool changed = false;
  for (size_t i = 0; i < n && !S->message; i++)
    changed |= instrument(S, writes[i]);
  free(writes);
  map_clear(&S->slots);
  map_clear(&S->load_shadow);
  LLVMSetCurrentDebugLocation2(S->builder, NULL);
  if (S->message) {
    *message = S->message;
    S->message = NULL;
  }
  return changed;
}

/* ---------------------------------------------------------------- setup */

static unsigned intrinsic_id(const char *name) {
  return LLVMLookupIntrinsicID(name, strlen(name));
}

struct leakpass_stores *leakpass_stores_begin(LLVMModuleRef M) {
  struct leakpass_stores *S = calloc(1, sizeof *S);
  if (!S)
    return NULL;
  S->mod = M;
  S->ctx = LLVMGetModuleContext(M);
  S->layout = LLVMGetModuleDataLayout(M);
  S->builder = LLVMCreateBuilderInContext(S->ctx);
  S->ptr_ty = LLVMPointerTypeInContext(S->ctx, 0);
  S->i8_ty = LLVMInt8TypeInContext(S->ctx);
  S->i64_ty = LLVMInt64TypeInContext(S->ctx);
  S->void_ty = LLVMVoidTypeInContext(S->ctx);
  LLVMTypeRef copy_params[3] = {S->ptr_ty, S->ptr_ty, S->i64_ty};
  S->copy_ty = LLVMFunctionType(S->void_ty, copy_params, 3, 0);
  LLVMTypeRef clear_params[2] = {S->ptr_ty, S->i64_ty};
  S->clear_ty = LLVMFunctionType(S->void_ty, clear_params, 2, 0);
  S->memcpy_id = intrinsic_id("llvm.memcpy");
  S->memcpy_inline_id = intrinsic_id("llvm.memcpy.inline");
  S->memmove_id = intrinsic_id("llvm.memmove");
  S->memset_id = intrinsic_id("llvm.memset");
  S->memset_inline_id = intrinsic_id("llvm.memset.inline");
  return S;
}

void leakpass_stores_end(struct leakpass_stores *S) {
  if (!S)
    return;
  map_free(&S->slots);
  map_free(&S->load_shadow);
  LLVMDisposeBuilder(S->builder);
  free(S->message);
  free(S);
}
