/*
 * stores.c: the store instrumentation of leakpass (design.md §5,
 * docs/precise-mode.md).
 *
 * Every write an instrumented function makes also updates the shadow byte
 * (leakcc/abi.h: shadow(a) = (a >> 3) + LEAKCC_SHADOW_OFFSET) of each 8-byte
 * granule it covers.  trace() classifies the value written:
 *
 *   NONE  plain data, hashes, tag bits alone      -> 0, inline
 *   RAW   a pointer, ptrtoint, + c < 16, | low     -> 1, inline
 *         bits
 *   MASK  a tag or NaN box in the high 16 bits     -> 2, inline
 *         (also a run-time tag shifted there)
 *   SIDE  XOR, p - q, and/shift/trunc, p - c,      -> __leakcc_side_store with
 *         rotates                                     the pointers it derives
 *                                                     from (runtime/side.c)
 *   BELOW gep with a dynamic index                 -> RAW; side_store if the
 *                                                     result is below its base
 *   LOAD  computed from a loaded word: copy the shadow read right after the
 *         load, __leakcc_side_derive when it is SIDE or the value changed
 *   DYN   an argument or call result: __leakcc_chan (slot 0 result, 8 the
 *         second word of a struct result, 1 + i argument i < 7) is believed
 *         only if its value matches; writers fill it before ret and before
 *         calls; byval structs pass their source's address there
 *
 * A write to part of a granule keeps only its SIDE bit (shadow &= 4); 4-byte
 * entries and 8-byte words of unknown alignment go to the runtime.  memcpy,
 * memmove and memset (intrinsics, or called by name) copy or clear shadow;
 * cmpxchg updates it only on success.  Pointers passed to an external
 * declaration (other than a list of libc functions) or through an indirect
 * call are reported to __leakcc_escape, once per callee through a private
 * "known" byte.  Stack slots reached only by loads and stores and given only
 * NONE, RAW or MASK values are left alone (the stack is scanned
 * conservatively); a load from one gets that kind at compile time.  Writes
 * to non-zero address spaces (%fs/%gs-relative) are left alone.
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

/* A small open-addressing map from LLVM values to words, reset per
 * function (alloca facts, shadow loaded next to each copied load). */
struct value_map {
  LLVMValueRef *keys;
  uintptr_t *vals;
  size_t cap, used;
};

/* What is known about one alloca (value_map word: 1 + kind). */
enum slot_kind { SLOT_SHADOWED = 1, SLOT_LOCAL_NONE, SLOT_LOCAL_PTR,
                 SLOT_LOCAL_MASK };

/* All state of the store instrumentation for one module. */
struct leakpass_stores {
  LLVMModuleRef mod;
  LLVMContextRef ctx;
  LLVMTargetDataRef layout;
  LLVMBuilderRef builder;
  LLVMTypeRef ptr_ty, i8_ty, i64_ty, void_ty;
  LLVMValueRef hooks[14];        /* runtime hooks, declared on first use */
  LLVMValueRef chan;             /* __leakcc_chan, declared on first use */
  unsigned tls_address_id;
  bool no_dyn_ptr;               /* trace: pointer sources are plain */
  unsigned byval_kind;           /* attribute kind of byval */
  unsigned memcpy_id, memcpy_inline_id, memmove_id, memset_id,
      memset_inline_id, va_start_id, va_end_id, va_copy_id, ret_slot_id;
  struct value_map slots;        /* alloca -> enum slot_kind */
  struct value_map load_shadow;  /* load -> shadow value read after it */
  struct value_map chan_reads;   /* argument or call -> struct chan_read * */
  struct value_map known;        /* callee -> its "known" byte (module) */
  struct value_map phis;         /* phi -> struct phi_bases * */
  /* The function being instrumented: i1, true when its caller is not
   * instrumented (the caller token did not name it), or NULL when it does
   * not check; and whether it is main. */
  LLVMValueRef outside_caller;
  bool is_main;
  /* Explain builds (LEAKCC_STORE_SITES=1): site constants for stores. */
  LLVMValueRef (*site)(void *ctx, LLVMValueRef inst);
  void *site_ctx;
  bool store_sites;
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

/* Bits of a pointer that must survive a transform for the value to still
 * resolve into the same chunk (chunks are 16-byte aligned and sized; the
 * high 16 bits are ignored by the MASK decoder). */
#define ADDR_BITS 0x0000fffffffffff0ull
#define HIGH_BITS 0xffff000000000000ull

/* How a stored value holds a heap reference, as far as the pass can tell. */
enum pk {
  PK_NONE,  /* plain data: provably no pointer (DATA) */
  PK_UNKNOWN, /* not classified: scanned by its value (UNKNOWN) */
  PK_RAW,   /* the pointer itself, or an integer equal to it up to low tags */
  PK_MASK,  /* a pointer with tags or a NaN box in its high 16 bits */
  PK_SIDE,  /* another transform of base[0..1]: needs a side-table entry */
  PK_BELOW, /* a pointer base[0] + (dynamic offset): maybe below its block */
  PK_LOAD,  /* computed from a word read from memory (src) */
  PK_DYN,   /* computed from an argument or a call result (src): the
               provenance channel may know where it comes from */
};

struct prov {
  enum pk kind;
  unsigned side;          /* LEAKCC_SIDE_* of the transform */
  bool identity;          /* LOAD/DYN: the source value, only cast */
  bool preserving;        /* LOAD: transforms that keep RAW/MASK meaning */
  LLVMValueRef base[2];   /* pointers (or integers equal to pointers) */
  LLVMValueRef src;       /* LOAD: the load; DYN: the argument, call or
                             extractvalue of a call's first field */
  LLVMValueRef val;       /* LOAD: the value read (the load, or a field
                             when it loads an aggregate) */
  unsigned offset;        /* LOAD: the field's offset in what src loads */
  LLVMValueRef src2;      /* DYN: a second DYN source combined with src */
};

static const struct prov NONE_PROV = {.kind = PK_NONE};
static const struct prov UNKNOWN_PROV = {.kind = PK_UNKNOWN};

static struct prov raw(LLVMValueRef base) {
  return (struct prov){.kind = PK_RAW, .base = {base, NULL}};
}

/* A transform of the pointers B0 and B1; with neither known, of something
 * the pass cannot name: unknown. */
static struct prov side(unsigned kind, LLVMValueRef b0, LLVMValueRef b1) {
  if (!b0 && !b1)
    return UNKNOWN_PROV;
  return (struct prov){.kind = PK_SIDE, .side = kind, .base = {b0, b1}};
}

static bool is_source(const struct prov *p) {
  return p->kind == PK_LOAD || p->kind == PK_DYN;
}

static bool pointer_source(const struct prov *p) {
  return p->kind == PK_DYN &&
         LLVMGetTypeKind(LLVMTypeOf(p->src)) == LLVMPointerTypeKind;
}

/* An operand of integer arithmetic: a pointer argument, call result or
 * loaded pointer is taken as the plain pointer it almost always is (its
 * own encoding, if any, is not followed into the arithmetic). */
static struct prov operand(struct prov p) {
  if (pointer_source(&p))
    return raw(p.src);
  if (p.kind == PK_LOAD && p.identity &&
      LLVMGetTypeKind(LLVMTypeOf(p.val)) == LLVMPointerTypeKind)
    return raw(p.val);
  return p;
}

/* A source (LOAD/DYN) after a transform of kind KIND. */
static struct prov transformed(struct prov p, unsigned kind, bool keeps) {
  p.identity = false;
  p.preserving = p.preserving && keeps;
  p.side = kind;
  return p;
}

/* What an integer op with a constant C does to a pointer-derived value. */
enum effect { KEEP, TO_MASK, TO_SIDE, TO_NONE };

static enum effect const_effect(LLVMOpcode op, uint64_t c, bool const_left,
                                unsigned *kind) {
  *kind = LEAKCC_SIDE_OTHER;
  switch (op) {
  case LLVMOr:
  case LLVMXor:
    if (!(c & ADDR_BITS))
      return c & HIGH_BITS ? TO_MASK : KEEP;
    *kind = op == LLVMXor ? LEAKCC_SIDE_XOR : LEAKCC_SIDE_OTHER;
    return TO_SIDE;
  case LLVMAnd:
    if ((c & ADDR_BITS) == ADDR_BITS)
      return KEEP;
    if (!(c & ADDR_BITS))
      return TO_NONE; /* only tag bits are left */
    *kind = LEAKCC_SIDE_PART;
    return TO_SIDE;
  case LLVMAdd:
    if (c < 16)
      return KEEP;
    if (!(c & ~HIGH_BITS))
      return TO_MASK;
    if ((int64_t)c < 0)
      *kind = LEAKCC_SIDE_BELOW;
    return TO_SIDE;
  case LLVMSub:
    if (const_left) /* C - p */
      return TO_SIDE;
    if (c == 0)
      return KEEP;
    if (!(c & ~HIGH_BITS))
      return TO_MASK;
    if ((int64_t)c > 0)
      *kind = LEAKCC_SIDE_BELOW;
    return TO_SIDE;
  default:
    return TO_SIDE;
  }
}

static struct prov apply_const(struct prov a, LLVMOpcode op, uint64_t c,
                               bool const_left) {
  a = operand(a);
  unsigned kind;
  enum effect e = const_effect(op, c, const_left, &kind);
  if (e == TO_NONE)
    return NONE_PROV;
  switch (a.kind) {
  case PK_NONE:
  case PK_UNKNOWN:
    return a;
  case PK_RAW:
  case PK_MASK:
    if (e == KEEP)
      return a;
    if (e == TO_MASK) {
      a.kind = PK_MASK;
      return a;
    }
    return side(kind, a.base[0], NULL);
  case PK_SIDE:
    return a;
  case PK_BELOW: /* a tagged &base[i]: as a raw pointer would be */
    if (e == KEEP)
      return a;
    if (e == TO_MASK)
      return (struct prov){.kind = PK_MASK};
    return side(kind, a.base[0], NULL);
  case PK_LOAD:
  case PK_DYN:
    return transformed(a, e == TO_SIDE ? kind : e == TO_MASK ? LEAKCC_SIDE_MASKED
                                                             : a.side,
                       e == KEEP);
  }
  return a;
}

/* The pointers a static provenance derives from (at most 2). */
static unsigned bases_of(const struct prov *p, LLVMValueRef out[2]) {
  unsigned n = 0;
  if (p->kind == PK_NONE || is_source(p))
    return 0;
  for (unsigned i = 0; i < 2; i++)
    if (p->base[i])
      out[n++] = p->base[i];
  return n;
}

/* A binary op of two non-constant operands. */
static struct prov combine(LLVMOpcode op, struct prov a, struct prov b) {
  unsigned kind = op == LLVMXor   ? LEAKCC_SIDE_XOR
                  : op == LLVMSub ? LEAKCC_SIDE_OFFSET
                  : op == LLVMAnd ? LEAKCC_SIDE_PART
                                  : LEAKCC_SIDE_OTHER;
  a = operand(a);
  b = operand(b);
  if (a.kind == PK_NONE && b.kind == PK_NONE)
    return NONE_PROV;
  /* Unknown with plain data or unknown: unknown. */
  if ((a.kind == PK_UNKNOWN || b.kind == PK_UNKNOWN) &&
      (a.kind == PK_NONE || a.kind == PK_UNKNOWN) &&
      (b.kind == PK_NONE || b.kind == PK_UNKNOWN))
    return UNKNOWN_PROV;
  if (a.kind == PK_UNKNOWN)
    a = NONE_PROV; /* the other operand's bases go on alone */
  if (b.kind == PK_UNKNOWN)
    b = NONE_PROV;
  /* p - n, p + n with n plain data: a pointer moved by an unknown amount. */
  if (b.kind == PK_NONE || a.kind == PK_NONE) {
    struct prov x = a.kind == PK_NONE ? b : a;
    if (op == LLVMSub && a.kind != PK_NONE)
      kind = LEAKCC_SIDE_BELOW;
    else if (op == LLVMAdd)
      kind = LEAKCC_SIDE_OTHER;
    if (is_source(&x))
      return transformed(x, kind, false);
    if (x.kind == PK_SIDE)
      return x;
    return side(kind, x.base[0], NULL);
  }
  if (is_source(&a) || is_source(&b)) {
    /* One source plus static pointers: the source keeps one extra base.
     * Two sources: two channel values are followed (two halves built
     * from two calls), a memory word only alone. */
    struct prov s = is_source(&a) ? a : b, o = is_source(&a) ? b : a;
    LLVMValueRef ob[2];
    s = transformed(s, kind, false);
    if (!is_source(&o) && bases_of(&o, ob))
      s.base[0] = ob[0];
    else if (s.kind == PK_DYN && o.kind == PK_DYN && !s.src2 && !o.src2 &&
             !s.base[0] && !o.base[0])
      s.src2 = o.src;
    return s;
  }
  LLVMValueRef ab[2], bb[2], all[4];
  unsigned na = bases_of(&a, ab), nb = bases_of(&b, bb), n = 0;
  for (unsigned i = 0; i < na; i++)
    all[n++] = ab[i];
  /* p - q: an offset that leads back to p, not to q; q goes along so that
   * the runtime can tell a length (both in one block) from a reference. */
  for (unsigned i = 0; i < nb && n < 4; i++)
    all[n++] = bb[i];
  if (op == LLVMSub && na && nb)
    return side(kind, ab[0], bb[0]);
  return side(kind, n > 0 ? all[0] : NULL, n > 1 ? all[1] : NULL);
}

/* A truncation or shift: some bits of a pointer. */
static struct prov part_of(struct prov a) {
  a = operand(a);
  switch (a.kind) {
  case PK_NONE:
  case PK_UNKNOWN:
    return a;
  case PK_LOAD:
  case PK_DYN:
    return transformed(a, a.side == LEAKCC_SIDE_OFFSET ? a.side : LEAKCC_SIDE_PART,
                       false);
  case PK_SIDE:
    if (a.side != LEAKCC_SIDE_OFFSET && a.side != LEAKCC_SIDE_XOR)
      a.side = LEAKCC_SIDE_PART;
    return a;
  default:
    return side(LEAKCC_SIDE_PART, a.base[0], NULL);
  }
}

static enum slot_kind slot_kind(struct leakpass_stores *S, LLVMValueRef alloca);
static struct prov trace(struct leakpass_stores *S, LLVMValueRef v,
                         unsigned depth, bool local_slots);
static struct prov trace_field(struct leakpass_stores *S, LLVMValueRef v,
                                unsigned depth, bool local_slots);
static bool channel_call(LLVMValueRef call);
static struct prov merged(struct leakpass_stores *S, LLVMValueRef v,
                          enum pk kind);
static bool high_bits_only(LLVMValueRef v, unsigned depth);
static bool int_constant(LLVMValueRef v, uint64_t *c);
static struct prov trace_phi(struct leakpass_stores *S, LLVMValueRef v,
                             unsigned depth, bool local_slots);
static struct prov trace_phi_inputs(struct leakpass_stores *S, LLVMValueRef v,
                                    unsigned depth, bool local_slots);
static LLVMValueRef as_i64(struct leakpass_stores *S, LLVMValueRef v);
static LLVMValueRef as_ptr(struct leakpass_stores *S, LLVMValueRef v);
static LLVMValueRef i64c(struct leakpass_stores *S, uint64_t c);
static struct prov combine(LLVMOpcode op, struct prov a, struct prov b);
static struct prov trace_intrinsic(struct leakpass_stores *S, LLVMValueRef v,
                                   unsigned depth, bool local_slots);
static struct prov trace_lane(struct leakpass_stores *S, LLVMValueRef elt,
                              LLVMValueRef vec, unsigned lane, unsigned depth,
                              bool local_slots);
static struct prov apply_const(struct prov a, LLVMOpcode op, uint64_t c,
                               bool const_left);

/* The root of a chain of GEPs, and whether an index is dynamic or a
 * constant is negative. */
static LLVMValueRef gep_root(LLVMValueRef v, bool *dynamic, bool *negative) {
  *dynamic = *negative = false;
  for (unsigned d = 0; d < MAX_TRACE_DEPTH; d++) {
    bool gep = LLVMIsAGetElementPtrInst(v) ||
               (LLVMIsAConstantExpr(v) &&
                LLVMGetConstOpcode(v) == LLVMGetElementPtr);
    if (!gep)
      return v;
    for (int i = 1, n = LLVMGetNumOperands(v); i < n; i++) {
      LLVMValueRef idx = LLVMGetOperand(v, (unsigned)i);
      if (!LLVMIsAConstantInt(idx))
        *dynamic = true;
      else if (LLVMConstIntGetSExtValue(idx) < 0)
        *negative = true;
    }
    v = LLVMGetOperand(v, 0);
  }
  return v;
}

static bool is_runtime_function(LLVMValueRef f) {
  size_t len = 0;
  const char *name = f ? LLVMGetValueName2(f, &len) : "";
  return len >= 9 && !memcmp(name, "__leakcc_", 9);
}

static bool musttail(LLVMValueRef call) {
  return LLVMIsACallInst(call) &&
         LLVMGetTailCallKind(call) == LLVMTailCallKindMustTail;
}

/* A call whose result may carry provenance through the channel (nothing
 * may follow a musttail call but its ret). */
static bool channel_call(LLVMValueRef call) {
  if (!LLVMIsACallInst(call) || LLVMIsAInlineAsm(LLVMGetCalledValue(call)) ||
      musttail(call))
    return false;
  LLVMValueRef f = LLVMGetCalledValue(call);
  if (LLVMIsAFunction(f) && (LLVMGetIntrinsicID(f) || is_runtime_function(f)))
    return false;
  return true;
}

static struct prov trace_pointer(struct leakpass_stores *S, LLVMValueRef v,
                                 unsigned depth, bool local_slots) {
  if (LLVMIsAConstantPointerNull(v) || LLVMIsUndef(v) || LLVMIsPoison(v))
    return NONE_PROV;
  if (LLVMIsAArgument(v) && !(S->no_dyn_ptr && LLVMGetTypeKind(LLVMTypeOf(v)) ==
                                                     LLVMPointerTypeKind)) {
    unsigned n = LLVMCountParams(LLVMGetParamParent(v));
    for (unsigned i = 0; i < n && i < LEAKCC_CHAN_ARGS; i++)
      if (LLVMGetParam(LLVMGetParamParent(v), i) == v)
        return (struct prov){.kind = PK_DYN, .identity = true, .src = v};
    /* Beyond the channel's arguments: a pointer is a pointer, an integer
     * is scanned by its value. */
    return LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind ? raw(v)
                                                                 : UNKNOWN_PROV;
  }
  if (LLVMIsAInstruction(v)) {
    switch (LLVMGetInstructionOpcode(v)) {
    case LLVMIntToPtr: {
      /* The program says this integer is a pointer: with no better idea,
       * believe it. */
      struct prov p = trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots);
      return p.kind == PK_NONE ? raw(v) : p;
    }
    case LLVMBitCast:
    case LLVMAddrSpaceCast:
    case LLVMFreeze:
      return trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots);
    case LLVMGetElementPtr: {
      bool dynamic, negative;
      LLVMValueRef root = gep_root(v, &dynamic, &negative);
      if (dynamic)
        return (struct prov){.kind = PK_BELOW, .base = {root, NULL}};
      if (negative)
        return side(LEAKCC_SIDE_BELOW, root, NULL);
      return raw(v);
    }
    case LLVMCall:
      if (channel_call(v) && !(S->no_dyn_ptr && LLVMGetTypeKind(LLVMTypeOf(v)) ==
                                                    LLVMPointerTypeKind))
        return (struct prov){.kind = PK_DYN, .identity = true, .src = v};
      return raw(v);
    case LLVMLoad:
      if (local_slots) {
        LLVMValueRef slot = leakpass_stack_object(LLVMGetOperand(v, 0));
        enum slot_kind k = slot ? slot_kind(S, slot) : SLOT_SHADOWED;
        if (k == SLOT_LOCAL_NONE)
          return NONE_PROV;
        if (k != SLOT_SHADOWED)
          return (struct prov){
              .kind = k == SLOT_LOCAL_MASK ? PK_MASK : PK_RAW,
              .base = {k == SLOT_LOCAL_MASK ? NULL : v, NULL}};
      }
      return (struct prov){.kind = PK_LOAD, .identity = true,
                           .preserving = true, .src = v, .val = v};
    default:
      break;
    }
  }
  return raw(v);
}

/* The pointer V is computed from by GEPs (gep_root) and casts, through
 * phis that only advance it (a loop's cursor starting at the pointer);
 * NULL when V is not a pointer or the phis disagree. */
static LLVMValueRef object_root(LLVMValueRef v, unsigned depth) {
  bool dynamic, negative;
  if (LLVMIsAInstruction(v) && LLVMGetInstructionOpcode(v) == LLVMPtrToInt)
    v = LLVMGetOperand(v, 0);
  for (; depth <= MAX_TRACE_DEPTH; depth++) {
    if (LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMPointerTypeKind)
      return NULL;
    v = gep_root(v, &dynamic, &negative);
    if (LLVMIsABitCastInst(v) || LLVMIsAAddrSpaceCastInst(v)) {
      v = LLVMGetOperand(v, 0);
      continue;
    }
    if (!LLVMIsAPHINode(v))
      return v;
    LLVMValueRef root = NULL;
    for (unsigned i = 0, n = LLVMCountIncoming(v); i < n; i++) {
      LLVMValueRef in = LLVMGetIncomingValue(v, i);
      if (gep_root(in, &dynamic, &negative) == v)
        continue; /* the cursor advanced */
      LLVMValueRef r = object_root(in, depth + 1);
      if (!r || (root && r != root))
        return NULL;
      root = r;
    }
    return root;
  }
  return NULL;
}

/* Where V's bits come from.  With LOCAL_SLOTS, a load from a local stack
 * slot resolves to what the function stores there; without (while deciding
 * which slots are local) every load is PK_LOAD. */
static struct prov trace(struct leakpass_stores *S, LLVMValueRef v,
                         unsigned depth, bool local_slots) {
  LLVMTypeRef t = LLVMTypeOf(v);
  if (LLVMGetTypeKind(t) == LLVMPointerTypeKind)
    return trace_pointer(S, v, depth, local_slots);
  if (is_pointer_type(t)) /* a vector of pointers */
    return raw(NULL);
  if (depth > MAX_TRACE_DEPTH)
    return UNKNOWN_PROV;
  if (LLVMIsAConstantExpr(v))
    return LLVMGetConstOpcode(v) == LLVMPtrToInt ? raw(LLVMGetOperand(v, 0))
                                                 : NONE_PROV;
  if (LLVMIsAArgument(v) &&
      ((LLVMGetTypeKind(t) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) >= 32) ||
       LLVMGetTypeKind(t) == LLVMDoubleTypeKind))
    return trace_pointer(S, v, depth, local_slots); /* the channel */
  if (LLVMIsAArgument(v)) /* a vector, an aggregate: nothing says more */
    return LLVMGetTypeKind(t) == LLVMIntegerTypeKind ? NONE_PROV : UNKNOWN_PROV;
  if (!LLVMIsAInstruction(v))
    return NONE_PROV;
  switch (LLVMGetInstructionOpcode(v)) {
  case LLVMPtrToInt: {
    struct prov p = trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots);
    if (p.kind == PK_RAW && !p.base[0])
      p.base[0] = LLVMGetOperand(v, 0);
    return p;
  }
  case LLVMBitCast:
  case LLVMFreeze:
    return trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots);
  case LLVMZExt:
  case LLVMSExt: {
    struct prov p = trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots);
    return is_source(&p) ? transformed(p, p.side, false) : p;
  }
  case LLVMTrunc:
    return part_of(trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots));
  case LLVMLShr:
  case LLVMAShr:
  case LLVMShl:
    return part_of(trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots));
  case LLVMMul:
  case LLVMUDiv:
  case LLVMSDiv: {
    /* By a power of two: a shift, which keeps the pointer's bits (an
     * alignment computed as (p / 16) * 16).  By anything else: a hash or a
     * scaling, no reference by design (docs/precision.md). */
    uint64_t c;
    LLVMValueRef a = LLVMGetOperand(v, 0), b = LLVMGetOperand(v, 1);
    if (LLVMGetInstructionOpcode(v) == LLVMMul && int_constant(a, &c)) {
      LLVMValueRef x = a;
      a = b;
      b = x;
    }
    if (int_constant(b, &c) && c && !(c & (c - 1)))
      return part_of(trace(S, a, depth + 1, local_slots));
    return NONE_PROV;
  }
  case LLVMURem:
  case LLVMSRem:
  case LLVMFAdd:
  case LLVMFSub:
  case LLVMFMul:
  case LLVMFDiv:
  case LLVMFRem:
  case LLVMFNeg:
  case LLVMUIToFP:
  case LLVMSIToFP:
  case LLVMFPTrunc:
  case LLVMFPExt:
  case LLVMICmp:
  case LLVMFCmp:
    return NONE_PROV; /* no pointer's bits survive these */
  case LLVMAdd:
  case LLVMSub:
  case LLVMAnd:
  case LLVMOr:
  case LLVMXor: {
    LLVMOpcode op = LLVMGetInstructionOpcode(v);
    LLVMValueRef a = LLVMGetOperand(v, 0), b = LLVMGetOperand(v, 1);
    uint64_t c;
    /* p - q, both computed from one pointer: a length within one object
     * (pointer arithmetic stays inside its object), no reference. */
    if (op == LLVMSub) {
      LLVMValueRef ra = object_root(a, depth);
      if (ra && ra == object_root(b, depth))
        return NONE_PROV;
    }
    if (int_constant(b, &c))
      return apply_const(trace(S, a, depth + 1, local_slots), op, c, false);
    if (int_constant(a, &c))
      return apply_const(trace(S, b, depth + 1, local_slots), op, c, true);
    /* A run-time tag that only sets the high 16 bits (kind << 56 | p):
     * as a constant one would. */
    if (op != LLVMSub && op != LLVMAnd && high_bits_only(b, 0))
      return apply_const(trace(S, a, depth + 1, local_slots), op, HIGH_BITS, false);
    if (op != LLVMSub && op != LLVMAnd && high_bits_only(a, 0))
      return apply_const(trace(S, b, depth + 1, local_slots), op, HIGH_BITS, false);
    return combine(op, trace(S, a, depth + 1, local_slots),
                   trace(S, b, depth + 1, local_slots));
  }
  case LLVMSelect: {
    /* One arm plain data (a NULL, a 0): the other arm's provenance (both
     * arms dominate the select, so their bases may be used after it). */
    struct prov a = trace(S, LLVMGetOperand(v, 1), depth + 1, local_slots);
    struct prov c = trace(S, LLVMGetOperand(v, 2), depth + 1, local_slots);
    if (a.kind == PK_NONE || c.kind == PK_NONE)
      return a.kind == PK_NONE ? c : a;
    return merged(S, v, a.kind == c.kind ? a.kind : PK_SIDE);
  }
  case LLVMPHI:
    return trace_phi(S, v, depth, local_slots);
  case LLVMInsertElement:
  case LLVMShuffleVector: {
    enum pk kind = PK_NONE;
    for (unsigned i = 0, n = (unsigned)LLVMGetNumOperands(v); i < n; i++) {
      enum pk k = trace(S, LLVMGetOperand(v, i), depth + 1, local_slots).kind;
      if (k != PK_NONE)
        kind = kind == PK_NONE || kind == k ? k : PK_SIDE;
    }
    return merged(S, v, kind);
  }
  case LLVMCall:
    if (!channel_call(v))
      return trace_intrinsic(S, v, depth, local_slots);
    /* fall through */
  case LLVMLoad:
    if (LLVMGetTypeKind(t) == LLVMIntegerTypeKind &&
        LLVMGetIntTypeWidth(t) < 32)
      return NONE_PROV;
    return trace_pointer(S, v, depth, local_slots);
  case LLVMExtractValue:
    return trace_field(S, v, depth, local_slots);
  case LLVMAtomicRMW: /* the old value, read from memory */
    return (struct prov){.kind = PK_LOAD, .identity = true, .preserving = true,
                         .src = v, .val = v};
  case LLVMExtractElement: {
    LLVMValueRef idx = LLVMGetOperand(v, 1);
    if (!LLVMIsAConstantInt(idx))
      return UNKNOWN_PROV;
    return trace_lane(S, v, LLVMGetOperand(v, 0),
                      (unsigned)LLVMConstIntGetZExtValue(idx), depth + 1,
                      local_slots);
  }
  default: /* va_arg, landing pads, what an optimiser may add */
    return UNKNOWN_PROV;
  }
}

/* Lane LANE's constant of vector constant V, in *C. */
static bool lane_constant(LLVMValueRef v, unsigned lane, uint64_t *c) {
  if (!LLVMIsAConstant(v) || LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMVectorTypeKind)
    return false;
  LLVMValueRef e = LLVMGetAggregateElement(v, lane);
  if (!e || !LLVMIsAConstantInt(e))
    return false;
  *c = LLVMConstIntGetZExtValue(e);
  return true;
}

/* Where lane LANE of vector VEC comes from (ELT extracts it): through
 * insertelement, shuffles with a constant mask, casts and arithmetic with
 * a constant per lane (the SLP vectoriser's two tagged stores merged into
 * `or <2 x i64> (ptrtoint <2 x ptr>), <1, 7 << 56>`). */
static struct prov trace_lane(struct leakpass_stores *S, LLVMValueRef elt,
                              LLVMValueRef vec, unsigned lane, unsigned depth,
                              bool local_slots) {
  uint64_t c;
  for (; depth <= MAX_TRACE_DEPTH; depth++) {
    if (lane_constant(vec, lane, &c) || LLVMIsAConstantAggregateZero(vec))
      return NONE_PROV;
    if (!LLVMIsAInstruction(vec))
      return UNKNOWN_PROV;
    switch (LLVMGetInstructionOpcode(vec)) {
    case LLVMInsertElement: {
      LLVMValueRef at = LLVMGetOperand(vec, 2);
      if (!LLVMIsAConstantInt(at))
        return UNKNOWN_PROV;
      if (LLVMConstIntGetZExtValue(at) == lane)
        return trace(S, LLVMGetOperand(vec, 1), depth + 1, local_slots);
      vec = LLVMGetOperand(vec, 0);
      continue;
    }
    case LLVMShuffleVector: {
      unsigned n = LLVMGetVectorSize(LLVMTypeOf(LLVMGetOperand(vec, 0)));
      int m = LLVMGetMaskValue(vec, lane);
      if (m < 0)
        return NONE_PROV; /* poison lane */
      lane = (unsigned)m % n;
      vec = LLVMGetOperand(vec, (unsigned)m < n ? 0 : 1);
      continue;
    }
    case LLVMBitCast: {
      LLVMValueRef from = LLVMGetOperand(vec, 0);
      if (LLVMGetTypeKind(LLVMTypeOf(from)) != LLVMVectorTypeKind ||
          LLVMGetVectorSize(LLVMTypeOf(from)) != LLVMGetVectorSize(LLVMTypeOf(vec)))
        return UNKNOWN_PROV;
      vec = from;
      continue;
    }
    case LLVMPtrToInt: {
      struct prov p = trace_lane(S, elt, LLVMGetOperand(vec, 0), lane, depth + 1,
                                 local_slots);
      return p.kind == PK_RAW ? raw(elt) : p;
    }
    case LLVMAdd:
    case LLVMSub:
    case LLVMAnd:
    case LLVMOr:
    case LLVMXor: {
      LLVMOpcode op = LLVMGetInstructionOpcode(vec);
      LLVMValueRef a = LLVMGetOperand(vec, 0), b = LLVMGetOperand(vec, 1);
      if (lane_constant(b, lane, &c) || int_constant(b, &c))
        return apply_const(trace_lane(S, elt, a, lane, depth + 1, local_slots),
                           op, c, false);
      if (lane_constant(a, lane, &c) || int_constant(a, &c))
        return apply_const(trace_lane(S, elt, b, lane, depth + 1, local_slots),
                           op, c, true);
      return combine(op, trace_lane(S, elt, a, lane, depth + 1, local_slots),
                     trace_lane(S, elt, b, lane, depth + 1, local_slots));
    }
    case LLVMLoad: {
      /* The lane as it was loaded (what a derive hook compares with the
       * source word), right after the load. */
      LLVMPositionBuilderBefore(S->builder, LLVMGetNextInstruction(vec));
      LLVMValueRef got = LLVMBuildExtractElement(
          S->builder, vec, LLVMConstInt(LLVMInt32TypeInContext(S->ctx), lane, 0), "");
      return (struct prov){
          .kind = PK_LOAD, .identity = true, .preserving = true, .src = vec,
          .val = got,
          .offset = lane * (unsigned)LLVMStoreSizeOfType(
                               S->layout, LLVMGetElementType(LLVMTypeOf(vec)))};
    }
    default:
      if (is_pointer_type(LLVMTypeOf(vec)))
        return raw(elt); /* a pointer lane */
      return UNKNOWN_PROV;
    }
  }
  return UNKNOWN_PROV;
}

/* Whether V is an integer constant, or a vector splat of one (the
 * vectorisers' form of `p | TAG`); its value in *C. */
static bool int_constant(LLVMValueRef v, uint64_t *c) {
  if (LLVMIsAConstantInt(v)) {
    *c = LLVMConstIntGetZExtValue(v);
    return true;
  }
  if (!LLVMIsAConstant(v) || LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMVectorTypeKind)
    return false;
  for (unsigned i = 0, n = LLVMGetVectorSize(LLVMTypeOf(v)); i < n; i++) {
    LLVMValueRef e = LLVMGetAggregateElement(v, i);
    if (!e || !LLVMIsAConstantInt(e) ||
        (i && LLVMConstIntGetZExtValue(e) != *c))
      return false;
    *c = LLVMConstIntGetZExtValue(e);
  }
  return true;
}

/* Whether V is an integer that can only have bits in the high 16 (a tag
 * shifted into place: kind << 56, (x & 0xff) << 48). */
static bool high_bits_only(LLVMValueRef v, unsigned depth) {
  LLVMTypeRef t = LLVMTypeOf(v);
  if (LLVMGetTypeKind(t) == LLVMVectorTypeKind) /* vectorised: per element */
    t = LLVMGetElementType(t);
  if (depth > MAX_TRACE_DEPTH || LLVMGetTypeKind(t) != LLVMIntegerTypeKind ||
      LLVMGetIntTypeWidth(t) != 64)
    return false;
  uint64_t c;
  if (int_constant(v, &c))
    return !(c & ~HIGH_BITS);
  if (LLVMIsUndef(v) || LLVMIsPoison(v))
    return true;
  if (!LLVMIsAInstruction(v))
    return false;
  LLVMValueRef a = LLVMGetOperand(v, 0);
  switch (LLVMGetInstructionOpcode(v)) {
  case LLVMShuffleVector: /* a splat */
    return high_bits_only(a, depth + 1) &&
           high_bits_only(LLVMGetOperand(v, 1), depth + 1);
  case LLVMInsertElement:
    return high_bits_only(a, depth + 1) &&
           high_bits_only(LLVMGetOperand(v, 1), depth + 1);
  case LLVMShl: {
    uint64_t by;
    return int_constant(LLVMGetOperand(v, 1), &by) && by >= 48;
  }
  case LLVMAnd:
    return high_bits_only(LLVMGetOperand(v, 1), depth + 1) || high_bits_only(a, depth + 1);
  case LLVMOr:
  case LLVMXor:
  case LLVMAdd:
  case LLVMSub:
    return high_bits_only(a, depth + 1) && high_bits_only(LLVMGetOperand(v, 1), depth + 1);
  default:
    return false;
  }
}

/* A phi or select V whose inputs are of KIND (PK_SIDE: mixed or not
 * describable): the inputs' bases do not dominate V's uses, so only kinds
 * that V's own value decodes survive. */
static struct prov merged(struct leakpass_stores *S, LLVMValueRef v,
                          enum pk kind) {
  (void)S;
  LLVMTypeRef t = LLVMTypeOf(v);
  if (LLVMGetTypeKind(t) == LLVMVectorTypeKind)
    t = LLVMGetElementType(t);
  bool integer = LLVMGetTypeKind(t) == LLVMIntegerTypeKind;
  switch (kind) {
  case PK_NONE:
    return NONE_PROV;
  case PK_RAW:
    return raw(LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind ? v : NULL);
  case PK_MASK:
    return (struct prov){.kind = PK_MASK};
  default:
    /* Pointers: the pointer itself; integers: scanned by their value. */
    return integer ? UNKNOWN_PROV : raw(NULL);
  }
}

/* The bases of a phi whose inputs all have static provenance of one kind
 * (a `p ? encode(p) : 0` at -O0): phis of the inputs' bases, built once in
 * the phi's block.  Inputs whose provenance is only known at run time, or
 * of mixed kinds, give what merged() says. */
struct phi_bases {
  struct prov prov;
};

static struct phi_bases phi_in_progress; /* a loop back to the phi */

static struct prov trace_phi(struct leakpass_stores *S, LLVMValueRef v,
                             unsigned depth, bool local_slots) {
  struct phi_bases *known = (struct phi_bases *)map_get(&S->phis, v);
  if (known == &phi_in_progress)
    return NONE_PROV; /* what it adds is what the other inputs give */
  if (known)
    return known->prov;
  map_put(&S->phis, v, (uintptr_t)&phi_in_progress);
  struct prov r = trace_phi_inputs(S, v, depth, local_slots);
  /* Only the final answer (with local slots resolved) is kept; base phis,
   * once built, already are. */
  if (map_get(&S->phis, v) != (uintptr_t)&phi_in_progress)
    return r;
  struct phi_bases *pb = local_slots ? malloc(sizeof *pb) : NULL;
  map_put(&S->phis, v, 0);
  if (pb) {
    pb->prov = r;
    if (!map_put(&S->phis, v, (uintptr_t)pb))
      free(pb);
  }
  return r;
}

static struct prov trace_phi_inputs(struct leakpass_stores *S, LLVMValueRef v,
                                    unsigned depth, bool local_slots) {
  unsigned n = LLVMCountIncoming(v);
  enum pk kind = PK_NONE;
  unsigned side_kind = LEAKCC_SIDE_OTHER;
  bool static_only = true;
  for (unsigned i = 0; i < n; i++) {
    LLVMValueRef in = LLVMGetIncomingValue(v, i);
    if (in == v)
      continue;
    struct prov t = trace(S, in, depth + 1, local_slots);
    if (t.kind == PK_NONE)
      continue;
    static_only &= t.kind == PK_RAW || t.kind == PK_MASK || t.kind == PK_SIDE;
    if (kind == PK_NONE)
      side_kind = t.side;
    kind = kind == PK_NONE || kind == t.kind ? t.kind : PK_SIDE;
  }
  bool integer = LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind;
  if (kind != PK_SIDE || !static_only || !local_slots || !integer)
    return merged(S, v, kind);
  /* Build the base phis: each input's bases (its value if RAW or MASK) at
   * the end of its incoming block, where they are available. */
  LLVMBasicBlockRef bb = LLVMGetInstructionParent(v);
  LLVMValueRef first = LLVMGetFirstInstruction(bb);
  LLVMPositionBuilderBefore(S->builder, first);
  LLVMValueRef phis[2] = {LLVMBuildPhi(S->builder, S->ptr_ty, ""),
                          LLVMBuildPhi(S->builder, S->ptr_ty, "")};
  struct prov r = side(side_kind, phis[0], phis[1]);
  /* Inputs computed from the phi itself (a loop) derive from its bases. */
  struct phi_bases *pb = malloc(sizeof *pb);
  if (pb) {
    pb->prov = r;
    if (!map_put(&S->phis, v, (uintptr_t)pb))
      free(pb);
  }
  for (unsigned i = 0; i < n; i++) {
    LLVMValueRef in = LLVMGetIncomingValue(v, i);
    LLVMBasicBlockRef from = LLVMGetIncomingBlock(v, i);
    /* A predecessor listed twice (a switch) must give the same values. */
    unsigned same = 0;
    while (same < i && LLVMGetIncomingBlock(v, same) != from)
      same++;
    if (same < i) {
      for (unsigned k = 0; k < 2; k++) {
        LLVMValueRef val = LLVMGetIncomingValue(phis[k], same);
        LLVMAddIncoming(phis[k], &val, &from, 1);
      }
      continue;
    }
    struct prov t = in == v ? NONE_PROV : trace(S, in, depth + 1, local_slots);
    LLVMPositionBuilderBefore(S->builder, LLVMGetBasicBlockTerminator(from));
    LLVMValueRef b[2] = {NULL, NULL};
    if (t.kind == PK_RAW || t.kind == PK_MASK) {
      b[0] = t.base[0] ? t.base[0] : in;
      if (t.kind == PK_MASK)
        b[0] = LLVMBuildAnd(S->builder, as_i64(S, b[0]), i64c(S, LEAKCC_MASK_BITS), "");
    } else if (t.kind == PK_SIDE) {
      b[0] = t.base[0];
      b[1] = t.base[1];
    }
    for (unsigned k = 0; k < 2; k++) {
      LLVMValueRef val = in == v ? phis[k] : as_ptr(S, b[k]);
      LLVMAddIncoming(phis[k], &val, &from, 1);
    }
  }
  return r;
}

/* An integer intrinsic: rotates (funnel shifts) and byte or bit reversals
 * keep every bit of a pointer, so the result still refers to it (mangling
 * such as glibc's PTR_MANGLE rotates).  Other intrinsics: no provenance. */
static struct prov trace_intrinsic(struct leakpass_stores *S, LLVMValueRef v,
                                   unsigned depth, bool local_slots) {
  LLVMValueRef f = LLVMGetCalledValue(v);
  size_t len = 0;
  const char *name = LLVMIsAFunction(f) ? LLVMGetValueName2(f, &len) : "";
  static const char *const keeping[] = {"llvm.fshl.", "llvm.fshr.", "llvm.bswap.",
                                        "llvm.bitreverse."};
  for (size_t i = 0; i < sizeof keeping / sizeof *keeping; i++) {
    size_t n = strlen(keeping[i]);
    if (len < n || memcmp(name, keeping[i], n))
      continue;
    struct prov a = trace(S, LLVMGetOperand(v, 0), depth + 1, local_slots);
    if (i < 2 && LLVMGetOperand(v, 1) != LLVMGetOperand(v, 0))
      a = combine(LLVMOr, a, trace(S, LLVMGetOperand(v, 1), depth + 1, local_slots));
    if (a.kind == PK_NONE || a.kind == PK_UNKNOWN || a.kind == PK_SIDE)
      return a;
    if (is_source(&a))
      return transformed(a, a.side == LEAKCC_SIDE_XOR ? a.side : LEAKCC_SIDE_OTHER,
                         false);
    return side(LEAKCC_SIDE_OTHER, a.base[0], NULL);
  }
  /* Inline asm, min/max of pointers, anything else: the value itself. */
  return UNKNOWN_PROV;
}

/* Field 0 or 1 of a struct (returned or passed by value in registers): V
 * is `extractvalue AGG, K`. */
static struct prov trace_field(struct leakpass_stores *S, LLVMValueRef v,
                               unsigned depth, bool local_slots) {
  bool ptr = LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind;
  if (LLVMGetNumIndices(v) != 1 || LLVMGetIndices(v)[0] > 1 ||
      LLVMGetTypeKind(LLVMTypeOf(LLVMGetOperand(v, 0))) != LLVMStructTypeKind)
    return ptr ? raw(v) : UNKNOWN_PROV;
  unsigned k = LLVMGetIndices(v)[0];
  LLVMValueRef agg = LLVMGetOperand(v, 0);
  for (unsigned d = depth; d < MAX_TRACE_DEPTH && LLVMIsAInsertValueInst(agg); d++) {
    if (LLVMGetNumIndices(agg) == 1 && LLVMGetIndices(agg)[0] == k)
      return trace(S, LLVMGetOperand(agg, 1), d + 1, local_slots);
    agg = LLVMGetOperand(agg, 0);
  }
  if (LLVMIsALoadInst(agg) && local_slots) {
    /* A local slot holds only what the function stores there. */
    LLVMValueRef slot = leakpass_stack_object(LLVMGetOperand(agg, 0));
    enum slot_kind sk = slot ? slot_kind(S, slot) : SLOT_SHADOWED;
    if (sk == SLOT_LOCAL_NONE)
      return NONE_PROV;
    if (sk == SLOT_LOCAL_PTR)
      return raw(v);
    if (sk == SLOT_LOCAL_MASK)
      return (struct prov){.kind = PK_MASK};
  }
  if (LLVMIsAAtomicCmpXchgInst(agg) && k == 0) /* the old value, read */
    return (struct prov){.kind = PK_LOAD, .identity = true, .preserving = true,
                         .src = agg, .val = v};
  if (LLVMIsALoadInst(agg))
    return (struct prov){
        .kind = PK_LOAD, .identity = true, .preserving = true, .src = agg,
        .val = v,
        .offset = (unsigned)LLVMOffsetOfElement(S->layout, LLVMTypeOf(agg), k)};
  if (LLVMIsACallInst(agg) && channel_call(agg) &&
      !(S->no_dyn_ptr && LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind))
    return (struct prov){.kind = PK_DYN, .identity = true, .src = v};
  return ptr ? raw(v) : UNKNOWN_PROV;
}

/* Whether stores into ALLOCA can go without shadow, and if so the one
 * static kind its values have.  A slot that is given a value whose
 * provenance is only known at run time keeps its shadow, so that copies out
 * of it copy it. */
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
      struct prov p = trace(S, LLVMGetOperand(stores[i], 0), 0, false);
      enum slot_kind want = p.kind == PK_NONE   ? SLOT_LOCAL_NONE
                            : p.kind == PK_RAW  ? SLOT_LOCAL_PTR
                            : p.kind == PK_MASK ? SLOT_LOCAL_MASK
                                                : SLOT_SHADOWED;
      if (want == SLOT_SHADOWED || (k != SLOT_LOCAL_NONE && want != k &&
                                    want != SLOT_LOCAL_NONE))
        k = SLOT_SHADOWED;
      else if (want != SLOT_LOCAL_NONE)
        k = want;
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

static LLVMValueRef load_shadow(struct leakpass_stores *S, LLVMTypeRef t,
                                LLVMValueRef where) {
  LLVMValueRef v = LLVMBuildLoad2(S->builder, t, where, "");
  LLVMSetAlignment(v, 1);
  return v;
}

/* A write to part of the granule at ADDR: the other bytes may still hold
 * a 4-byte side entry, so the SIDE bit is kept, and DATA with KEEP_DATA
 * (the bytes written are plain data: DATA stays true of the whole word if
 * it was); anything else may now be a byte of a pointer: UNKNOWN. */
static LLVMValueRef partial_keep(struct leakpass_stores *S, bool keep_data) {
  return LLVMConstInt(S->i8_ty,
                      keep_data ? LEAKCC_SHADOW_PARTIAL_KEEP_DATA
                                : LEAKCC_SHADOW_PARTIAL_KEEP,
                      0);
}

static void shadow_partial(struct leakpass_stores *S, LLVMValueRef addr,
                           LLVMValueRef keep) {
  LLVMValueRef where = shadow_addr(S, addr, 0);
  LLVMValueRef old = load_shadow(S, S->i8_ty, where);
  store_shadow(S, LLVMBuildAnd(S->builder, old, keep, ""), where);
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

/* The shadow byte(s) of LOAD's source granule(s), read right after LOAD
 * (once per load), so that a store of the loaded value copies the
 * provenance the source had when it was read, even if the source has been
 * overwritten in between (a swap).  Moves the builder. */
static LLVMValueRef shadow_at_load(struct leakpass_stores *S, LLVMValueRef load,
                                   unsigned n, unsigned offset) {
  LLVMValueRef v = offset ? NULL : (LLVMValueRef)map_get(&S->load_shadow, load);
  if (v && LLVMTypeOf(v) == shadow_int(S, n))
    return v;
  LLVMPositionBuilderBefore(S->builder, LLVMGetNextInstruction(load));
  v = load_shadow(S, shadow_int(S, n),
                  shadow_addr(S, LLVMGetOperand(load, 0), offset));
  if (!offset)
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

enum hook_id { H_COPY, H_CLEAR, H_SIDE_STORE, H_SIDE_DERIVE, H_CHAN_DERIVE,
               H_ESCAPE, H_ESCAPE_INDIRECT, H_UNKNOWN, H_UNKNOWN_WRITE,
               H_VA_START, H_EXIT_FRAME, H_MAIN_RETURN, H_STORE_SITE,
               H_SLOT_ESCAPE, NUM_HOOK_IDS };
_Static_assert(NUM_HOOK_IDS == sizeof ((struct leakpass_stores *)0)->hooks /
                                   sizeof(LLVMValueRef),
               "one declared hook per hook_id");

/* Calls hook ID with ARGS at the builder's position. */
static void call_hook(struct leakpass_stores *S, enum hook_id id,
                      LLVMValueRef *args) {
  static const char *const names[NUM_HOOK_IDS] = {
      LEAKCC_SHADOW_COPY,     LEAKCC_SHADOW_CLEAR,        LEAKCC_SIDE_STORE,
      LEAKCC_SIDE_DERIVE,     LEAKCC_CHAN_DERIVE,         LEAKCC_ESCAPE,
      LEAKCC_ESCAPE_INDIRECT, LEAKCC_SHADOW_UNKNOWN_HOOK, LEAKCC_UNKNOWN_WRITE,
      LEAKCC_VA_START,        LEAKCC_EXIT_FRAME,          LEAKCC_MAIN_RETURN,
      LEAKCC_STORE_SITE,      LEAKCC_SLOT_ESCAPE};
  LLVMTypeRef p = S->ptr_ty, i = S->i64_ty;
  LLVMTypeRef params[NUM_HOOK_IDS][6] = {
      {p, p, i}, {p, i}, {p, i, i, p, p}, {p, i, i, p, i, p}, {p, i, i, p, i, p},
      {p, p, p}, {p, p, p}, {p, i}, {p}, {p}, {0}, {p}, {p, p}, {p, i}};
  static const unsigned counts[NUM_HOOK_IDS] = {3, 2, 5, 6, 6, 3, 3, 2, 1, 1, 0, 1, 2, 2};
  LLVMTypeRef type = LLVMFunctionType(S->void_ty, params[id], counts[id], 0);
  /* The cold side-table hooks preserve the caller's registers (LLVM's
   * preserve_most; runtime/side.c), so a loop calling them keeps its values
   * in registers, not in callee-saved registers and spill slots. */
  bool preserve = id == H_SIDE_STORE || id == H_SIDE_DERIVE || id == H_CHAN_DERIVE;
  if (!S->hooks[id]) {
    S->hooks[id] = declare_hook(S, names[id], type);
    if (S->hooks[id] && preserve) {
      LLVMSetFunctionCallConv(S->hooks[id], LLVMPreserveMostCallConv);
      /* Never through a lazily bound PLT entry: glibc's resolver keeps
       * only the argument registers, and the caller relies on r10 and the
       * rest surviving.  nonlazybind calls through the GOT (bound at load
       * time), or directly once the linker relaxes it. */
      LLVMAddAttributeAtIndex(
          S->hooks[id], LLVMAttributeFunctionIndex,
          LLVMCreateEnumAttribute(
              S->ctx, LLVMGetEnumAttributeKindForName("nonlazybind", 11), 0));
    }
  }
  if (S->hooks[id]) {
    LLVMValueRef call =
        LLVMBuildCall2(S->builder, type, S->hooks[id], args, counts[id], "");
    if (preserve)
      LLVMSetInstructionCallConv(call, LLVMPreserveMostCallConv);
  }
}

/* Positions the builder in a new block that runs only when COND holds,
 * before BEFORE; returns BEFORE's position to go back to. */
static void begin_if(struct leakpass_stores *S, LLVMValueRef cond,
                     LLVMValueRef before) {
  LLVMValueRef term = leakpass_split_if_then(cond, before);
  LLVMPositionBuilderBefore(S->builder, term);
}

/* V as an i64 (pointers, narrower integers and floating point). */
static LLVMValueRef as_i64(struct leakpass_stores *S, LLVMValueRef v) {
  LLVMBuilderRef b = S->builder;
  LLVMTypeRef t = LLVMTypeOf(v);
  switch (LLVMGetTypeKind(t)) {
  case LLVMPointerTypeKind:
    return LLVMBuildPtrToInt(b, v, S->i64_ty, "");
  case LLVMIntegerTypeKind:
    return LLVMGetIntTypeWidth(t) == 64 ? v
           : LLVMGetIntTypeWidth(t) < 64 ? LLVMBuildZExt(b, v, S->i64_ty, "")
                                         : LLVMBuildTrunc(b, v, S->i64_ty, "");
  default: {
    unsigned bits = (unsigned)LLVMSizeOfTypeInBits(S->layout, t);
    LLVMValueRef i = LLVMBuildBitCast(b, v, LLVMIntTypeInContext(S->ctx, bits), "");
    return bits == 64 ? i : LLVMBuildZExt(b, i, S->i64_ty, "");
  }
  }
}

static LLVMValueRef as_ptr(struct leakpass_stores *S, LLVMValueRef v) {
  if (!v)
    return LLVMConstNull(S->ptr_ty);
  if (LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind)
    return v;
  return LLVMBuildIntToPtr(S->builder, as_i64(S, v), S->ptr_ty, "");
}

static LLVMValueRef i64c(struct leakpass_stores *S, uint64_t c) {
  return LLVMConstInt(S->i64_ty, c, 0);
}

/* &__leakcc_chan[slot].field (0 value, 1 base, 2 base2, 3 kind). */
static LLVMValueRef chan_field(struct leakpass_stores *S, unsigned slot,
                               unsigned field) {
  if (!S->chan) {
    LLVMTypeRef arr = LLVMArrayType2(S->i64_ty, 4 * LEAKCC_CHAN_SLOTS);
    S->chan = LLVMGetNamedGlobal(S->mod, LEAKCC_CHAN);
    if (S->chan && (!LLVMIsDeclaration(S->chan) || !LLVMIsThreadLocal(S->chan))) {
      if (!S->message)
        S->message = strdup("the module defines '" LEAKCC_CHAN "', a name "
                            "reserved for leakcc's runtime");
      S->chan = LLVMAddGlobal(S->mod, arr, ""); /* keeps the IR valid */
      LLVMSetThreadLocal(S->chan, 1);
    }
    if (!S->chan) {
      S->chan = LLVMAddGlobal(S->mod, arr, LEAKCC_CHAN);
      LLVMSetThreadLocal(S->chan, 1);
      LLVMSetThreadLocalMode(S->chan, LLVMInitialExecTLSModel);
      LLVMSetExternallyInitialized(S->chan, 1);
    }
  }
  LLVMValueRef p = S->chan;
  /* TLS globals are addressed through llvm.threadlocal.address. */
  if (!S->tls_address_id)
    S->tls_address_id = LLVMLookupIntrinsicID("llvm.threadlocal.address", 24);
  LLVMTypeRef over = S->ptr_ty;
  LLVMValueRef fn = LLVMGetIntrinsicDeclaration(S->mod, S->tls_address_id, &over, 1);
  LLVMTypeRef fty = LLVMIntrinsicGetType(S->ctx, S->tls_address_id, &over, 1);
  p = LLVMBuildCall2(S->builder, fty, fn, &p, 1, "");
  LLVMValueRef idx = i64c(S, slot * 4 + field);
  return LLVMBuildInBoundsGEP2(S->builder, S->i64_ty, p, &idx, 1, "");
}

/* What the channel says about a DYN source (an argument, read at function
 * entry, or a call result, read right after the call): matched (i1), the
 * two bases (ptr) and the kind (i64). */
struct chan_read {
  LLVMValueRef matched, base[2], kind;
};

static struct chan_read *read_channel(struct leakpass_stores *S,
                                      LLVMValueRef src) {
  struct chan_read *r = (struct chan_read *)map_get(&S->chan_reads, src);
  if (r)
    return r;
  r = calloc(1, sizeof *r);
  if (!r || !map_put(&S->chan_reads, src, (uintptr_t)r)) {
    free(r);
    S->message = S->message ? S->message : strdup("out of memory");
    return NULL;
  }
  unsigned slot = 0;
  if (LLVMIsAArgument(src)) {
    LLVMValueRef fn = LLVMGetParamParent(src);
    while (LLVMGetParam(fn, slot) != src)
      slot++;
    slot++;
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    while (first && LLVMIsAAllocaInst(first))
      first = LLVMGetNextInstruction(first);
    LLVMPositionBuilderBefore(S->builder, first);
  }
  LLVMValueRef got = src;
  if (!LLVMIsAArgument(src)) {
    /* Clear the result slot before the call, read it right after. */
    LLVMValueRef call = LLVMIsACallInst(src) ? src : LLVMGetOperand(src, 0);
    if (call != src && LLVMGetIndices(src)[0])
      slot = LEAKCC_CHAN_RET2;
    LLVMPositionBuilderBefore(S->builder, call);
    LLVMBuildStore(S->builder, i64c(S, 0), chan_field(S, slot, 0));
    LLVMPositionBuilderBefore(S->builder, LLVMGetNextInstruction(call));
    if (call != src)
      got = LLVMBuildExtractValue(S->builder, call, LLVMGetIndices(src)[0], "");
  }
  LLVMValueRef value = LLVMBuildLoad2(S->builder, S->i64_ty, chan_field(S, slot, 0), "");
  /* A cleared slot says 0, and 0 refers to nothing anyway. */
  LLVMValueRef got64 = as_i64(S, got);
  r->matched = LLVMBuildAnd(
      S->builder, LLVMBuildICmp(S->builder, LLVMIntEQ, value, got64, ""),
      LLVMBuildICmp(S->builder, LLVMIntNE, got64, i64c(S, 0), ""), "");
  for (unsigned i = 0; i < 2; i++)
    r->base[i] = LLVMBuildLoad2(S->builder, S->ptr_ty, chan_field(S, slot, 1 + i), "");
  r->kind = LLVMBuildLoad2(S->builder, S->i64_ty, chan_field(S, slot, 3), "");
  return r;
}

/* The address of the word a LOAD provenance read. */
static LLVMValueRef load_addr(struct leakpass_stores *S, const struct prov *p) {
  LLVMValueRef a = LLVMGetOperand(p->src, 0);
  if (!p->offset)
    return a;
  LLVMValueRef off = i64c(S, p->offset);
  return LLVMBuildGEP2(S->builder, S->i8_ty, a, &off, 1, "");
}

/* The provenance V would have if pointer arguments and call results were
 * plain pointers (what a DYN pointer source falls back to when the channel
 * has nothing for it). */
static struct prov trace_static(struct leakpass_stores *S, LLVMValueRef v) {
  S->no_dyn_ptr = true;
  struct prov p = trace(S, v, 0, true);
  S->no_dyn_ptr = false;
  return p;
}


/* The how argument of a derive hook: the source's shadow byte SH, read
 * when the source was loaded, travels in bits 16-23. */
static LLVMValueRef derive_how(struct leakpass_stores *S, unsigned w,
                               unsigned kind, LLVMValueRef sh) {
  return LLVMBuildOr(S->builder, i64c(S, LEAKCC_SIDE_HOW(w, kind)),
                     LLVMBuildShl(S->builder, LLVMBuildZExt(S->builder, sh, S->i64_ty, ""),
                                  i64c(S, 16), ""),
                     "");
}

/* A side-table call for a store of V (width W) at ADDR with provenance P,
 * at the builder's position; for DYN sources, CH is the channel. */
static void emit_side(struct leakpass_stores *S, LLVMValueRef addr,
                      LLVMValueRef v, unsigned w, const struct prov *p,
                      struct chan_read *ch, LLVMValueRef sh) {
  LLVMBuilderRef b = S->builder;
  LLVMValueRef v64 = as_i64(S, v), null = LLVMConstNull(S->ptr_ty);
  switch (p->kind) {
  case PK_LOAD: {
    LLVMValueRef args[6] = {
        addr, v64,
        derive_how(S, w, p->identity ? LEAKCC_SIDE_COPY : p->side, sh),
        load_addr(S, p), as_i64(S, p->val), p->base[0] ? as_ptr(S, p->base[0]) : null};
    call_hook(S, H_SIDE_DERIVE, args);
    return;
  }
  case PK_DYN: {
    /* The channel's kind, or the transform's; a shifted, truncated or
     * extended offset stays an offset (so that a length, both bases in
     * one block, still gets no entry). */
    LLVMValueRef kind = ch->kind;
    if (!p->identity && (p->side == LEAKCC_SIDE_PART || p->side == LEAKCC_SIDE_OTHER))
      kind = LLVMBuildSelect(
          b, LLVMBuildICmp(b, LLVMIntEQ, ch->kind, i64c(S, LEAKCC_SIDE_OFFSET), ""),
          ch->kind, i64c(S, p->side), "");
    else if (!p->identity)
      kind = i64c(S, p->side);
    LLVMValueRef how =
        LLVMBuildOr(b, LLVMBuildShl(b, kind, i64c(S, 8), ""), i64c(S, w), "");
    LLVMValueRef b0 = LLVMBuildSelect(b, ch->matched, ch->base[0], null, "");
    LLVMValueRef b1 = LLVMBuildSelect(b, ch->matched, ch->base[1], null, "");
    if (p->base[0]) /* one static base besides the channel's first */
      b1 = as_ptr(S, p->base[0]);
    LLVMValueRef args[5] = {addr, v64, how, b0, b1};
    call_hook(S, H_SIDE_STORE, args);
    return;
  }
  default: {
    unsigned kind = p->kind == PK_RAW    ? LEAKCC_SIDE_RAW
                    : p->kind == PK_MASK ? LEAKCC_SIDE_MASKED
                    : p->kind == PK_BELOW ? LEAKCC_SIDE_BELOW
                                          : p->side;
    LLVMValueRef b0 = p->base[0], b1 = p->base[1];
    if (p->kind == PK_RAW || !b0)
      b0 = v;
    if (p->kind == PK_MASK)
      b0 = LLVMBuildAnd(b, v64, i64c(S, LEAKCC_MASK_BITS), "");
    LLVMValueRef args[5] = {addr, v64, i64c(S, LEAKCC_SIDE_HOW(w, kind)),
                            as_ptr(S, b0), b1 ? as_ptr(S, b1) : null};
    call_hook(S, H_SIDE_STORE, args);
    return;
  }
  }
}

/* Whether shadow byte SH records a reference (RAW, MASK or SIDE) that a
 * derive hook can take bases from (i1). */
static LLVMValueRef refers(struct leakpass_stores *S, LLVMValueRef sh) {
  LLVMBuilderRef b = S->builder;
  return LLVMBuildICmp(
      b, LLVMIntNE,
      LLVMBuildAnd(b, sh,
                   LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_RAW | LEAKCC_SHADOW_MASK |
                                              LEAKCC_SHADOW_SIDE, 0), ""),
      LLVMConstInt(S->i8_ty, 0, 0), "");
}

static void clear_unaligned(struct leakpass_stores *S, LLVMValueRef addr,
                            uint64_t size, bool raw_if_aligned);
static void copy_side_entries(struct leakpass_stores *S, LLVMValueRef v,
                              unsigned n, LLVMValueRef dst, LLVMValueRef src,
                              LLVMValueRef before);

/* Shadow update for a scalar store of V (4 or 8 bytes) at ADDR with
 * alignment ALIGN and provenance P, before BEFORE (CH: P's channel). */
static void emit_prov(struct leakpass_stores *S, LLVMValueRef before,
                      LLVMValueRef addr, LLVMValueRef v, unsigned w,
                      unsigned align, struct prov p, struct chan_read *ch) {
  LLVMBuilderRef b = S->builder;
  bool ptr = LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind;
  LLVMValueRef sh = NULL; /* a LOAD source's shadow byte */
  if (p.kind == PK_LOAD)
    sh = shadow_at_load(S, p.src, 1, p.offset);
  LLVMPositionBuilderBefore(b, before);

  if (w == 8 && align < GRANULE) { /* may straddle: let the runtime decide */
    if (p.kind == PK_NONE || p.kind == PK_UNKNOWN) {
      clear_unaligned(S, addr, 8, false);
      return;
    }
    if (p.kind == PK_BELOW) {
      struct prov r = raw(v);
      p = r;
    }
    if (p.kind != PK_LOAD && p.kind != PK_DYN) {
      emit_side(S, addr, v, 8, &p, ch, sh);
      return;
    }
    /* A copy of a word (memcpy of 8 bytes at any alignment, common in
     * packed formats) or an argument: the runtime only when the source's
     * two granules have shadow or the channel matched. */
    clear_unaligned(S, addr, 8, false);
    LLVMValueRef cond = ch ? ch->matched : NULL;
    if (p.kind == PK_LOAD) {
      LLVMValueRef src_sh = shadow_at_load(S, p.src, 2, p.offset);
      LLVMPositionBuilderBefore(b, before);
      cond = LLVMBuildICmp(
          b, LLVMIntNE,
          LLVMBuildAnd(b, src_sh, LLVMConstInt(shadow_int(S, 2), 0x0707, 0), ""),
          LLVMConstInt(shadow_int(S, 2), 0, 0), "");
    }
    if (p.base[0])
      cond = LLVMConstInt(LLVMInt1TypeInContext(S->ctx), 1, 0);
    begin_if(S, cond, before);
    emit_side(S, addr, v, 8, &p, ch, sh);
    return;
  }
  LLVMValueRef where = shadow_addr(S, addr, 0);
  LLVMValueRef cond = NULL;
  if (w < 8) {
    /* Plain data keeps a DATA word DATA; so do bytes copied from one. */
    LLVMValueRef keep = partial_keep(S, p.kind == PK_NONE);
    if (p.kind == PK_LOAD)
      keep = LLVMBuildOr(b, partial_keep(S, false),
                         LLVMBuildAnd(b, sh, LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_DATA, 0), ""),
                         "");
    shadow_partial(S, addr, keep);
    if (p.kind == PK_SIDE) {
      emit_side(S, addr, v, w, &p, ch, sh);
      return;
    }
    if (p.kind == PK_LOAD) /* part of a pointer or of a side entry */
      cond = p.base[0] ? LLVMConstInt(LLVMInt1TypeInContext(S->ctx), 1, 0)
                       : refers(S, sh);
    else if (p.kind == PK_DYN)
      cond = p.base[0] ? LLVMConstInt(LLVMInt1TypeInContext(S->ctx), 1, 0) : ch->matched;
    if (w != 4 || !cond)
      return;
  } else {
    /* An explain build: a computed word that may be recorded as plain data
     * (DATA) names its store. */
    if (S->store_sites && !LLVMIsAConstant(v) && !ptr &&
        (p.kind == PK_NONE || p.kind == PK_DYN ||
         (p.kind == PK_LOAD && !p.identity && !p.preserving))) {
      LLVMValueRef args[2] = {addr, S->site(S->site_ctx, before)};
      call_hook(S, H_STORE_SITE, args);
      LLVMPositionBuilderBefore(b, before);
    }
    switch (p.kind) {
    case PK_NONE:
    case PK_UNKNOWN:
    case PK_RAW:
    case PK_MASK:
      store_shadow(S, LLVMConstInt(S->i8_ty, p.kind == PK_NONE      ? LEAKCC_SHADOW_DATA
                                             : p.kind == PK_UNKNOWN ? LEAKCC_SHADOW_UNKNOWN
                                             : p.kind == PK_RAW     ? LEAKCC_SHADOW_RAW
                                                                    : LEAKCC_SHADOW_MASK, 0),
                   where);
      return;
    case PK_SIDE:
      emit_side(S, addr, v, 8, &p, ch, sh);
      return;
    case PK_BELOW:
      store_shadow(S, LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_RAW, 0), where);
      cond = LLVMBuildICmp(b, LLVMIntULT, as_i64(S, v), as_i64(S, p.base[0]), "");
      break;
    case PK_LOAD: {
      bool copies = (p.identity || p.preserving) && !p.base[0];
      LLVMValueRef side_bit = LLVMBuildICmp(
          b, LLVMIntNE, LLVMBuildAnd(b, sh, LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_SIDE, 0), ""),
          LLVMConstInt(S->i8_ty, 0, 0), "");
      if (copies) {
        store_shadow(S, sh, where);
        cond = side_bit;
      } else {
        /* Transformed: plain data if the source was (DATA), else scanned
         * by its value, plus the source's references through a derive. */
        store_shadow(S, LLVMBuildAnd(b, sh, LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_DATA, 0), ""),
                     where);
        cond = p.base[0] ? LLVMConstInt(LLVMInt1TypeInContext(S->ctx), 1, 0)
                         : refers(S, sh);
      }
      break;
    }
    case PK_DYN: {
      /* A pointer passed on unchanged is RAW; anything else is scanned by
       * its value unless the channel says more: plain data (DATA), or
       * bases (a side entry). */
      LLVMValueRef dflt = LLVMConstInt(S->i8_ty, ptr && p.identity ? LEAKCC_SHADOW_RAW
                                                                    : LEAKCC_SHADOW_UNKNOWN, 0);
      if (ptr || !p.identity || p.base[0]) {
        store_shadow(S, dflt, where);
        cond = p.base[0] ? LLVMConstInt(LLVMInt1TypeInContext(S->ctx), 1, 0) : ch->matched;
        break;
      }
      LLVMValueRef data = LLVMBuildAnd(
          b, ch->matched,
          LLVMBuildICmp(b, LLVMIntEQ, ch->kind, i64c(S, LEAKCC_SIDE_DATA), ""), "");
      store_shadow(S, LLVMBuildSelect(b, data, LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_DATA, 0),
                                      dflt, ""),
                   where);
      cond = LLVMBuildAnd(b, ch->matched, LLVMBuildNot(b, data, ""), "");
      break;
    }
    }
  }
  if (LLVMIsAConstantInt(cond)) {
    if (LLVMConstIntGetZExtValue(cond))
      emit_side(S, addr, v, w, &p, ch, sh);
    return;
  }
  begin_if(S, cond, before);
  if (p.kind == PK_BELOW)
    p = side(LEAKCC_SIDE_BELOW, p.base[0], NULL);
  emit_side(S, addr, v, w, &p, ch, sh);
}

/* A second channel source becomes P's extra base (before BEFORE). */
static bool resolve_src2(struct leakpass_stores *S, struct prov *p,
                         LLVMValueRef before) {
  if (!p->src2)
    return true;
  struct chan_read *ch2 = read_channel(S, p->src2);
  if (!ch2)
    return false;
  LLVMPositionBuilderBefore(S->builder, before);
  p->base[0] = LLVMBuildSelect(S->builder, ch2->matched, ch2->base[0],
                               LLVMConstNull(S->ptr_ty), "");
  p->src2 = NULL;
  return true;
}

/* Shadow update for a scalar store of V (4 or 8 bytes) at ADDR with
 * alignment ALIGN, before BEFORE.  A pointer argument or call result is
 * taken as a plain pointer unless the channel says otherwise. */
static void scalar_write(struct leakpass_stores *S, LLVMValueRef before,
                         LLVMValueRef addr, LLVMValueRef v, unsigned w,
                         unsigned align) {
  struct prov p = trace(S, v, 0, true);
  struct chan_read *ch = NULL;
  if (p.kind == PK_DYN && !(ch = read_channel(S, p.src)))
    return;
  if (!resolve_src2(S, &p, before))
    return;
  if (!pointer_source(&p)) {
    emit_prov(S, before, addr, v, w, align, p, ch);
    return;
  }
  emit_prov(S, before, addr, v, w, align, trace_static(S, v), NULL);
  LLVMPositionBuilderBefore(S->builder, before);
  begin_if(S, ch->matched, before);
  emit_side(S, addr, v, w, &p, ch, NULL);
}

/* Channel slot contents {value, base, base2, kind} for static provenance P
 * of V (value 0: nothing to say). */
static void static_slot(struct leakpass_stores *S, const struct prov *p,
                        LLVMValueRef v, LLVMValueRef out[4]) {
  LLVMBuilderRef b = S->builder;
  LLVMValueRef v64 = as_i64(S, v), null = LLVMConstNull(S->ptr_ty);
  out[0] = v64;
  out[2] = null;
  switch (p->kind) {
  case PK_BELOW:
    out[0] = LLVMBuildSelect(
        b, LLVMBuildICmp(b, LLVMIntULT, v64, as_i64(S, p->base[0]), ""), v64,
        i64c(S, 0), "");
    out[1] = as_ptr(S, p->base[0]);
    out[3] = i64c(S, LEAKCC_SIDE_BELOW);
    return;
  case PK_RAW:
    out[1] = as_ptr(S, p->base[0] ? p->base[0] : v);
    out[3] = i64c(S, LEAKCC_SIDE_RAW);
    return;
  case PK_MASK:
    out[1] = as_ptr(S, LLVMBuildAnd(b, v64, i64c(S, LEAKCC_MASK_BITS), ""));
    out[3] = i64c(S, LEAKCC_SIDE_MASKED);
    return;
  case PK_SIDE:
    out[1] = p->base[0] ? as_ptr(S, p->base[0]) : null;
    out[2] = p->base[1] ? as_ptr(S, p->base[1]) : null;
    out[3] = i64c(S, p->side);
    return;
  default:
    out[0] = i64c(S, 0);
    out[1] = null;
    out[3] = i64c(S, 0);
    return;
  }
}

/* Writes the provenance of V into channel slot SLOT, before BEFORE: for a
 * return value (slot 0) or argument SLOT - 1 of a call.  Returns whether it
 * emitted anything. */
static bool write_channel(struct leakpass_stores *S, LLVMValueRef before,
                          unsigned slot, LLVMValueRef v) {
  LLVMBuilderRef b = S->builder;
  LLVMTypeRef t = LLVMTypeOf(v);
  bool ptr = LLVMGetTypeKind(t) == LLVMPointerTypeKind;
  uint64_t size = LLVMStoreSizeOfType(S->layout, t);
  if ((size != 4 && size != 8) || is_pointer_type(t) != ptr)
    return false;
  struct prov p = trace(S, v, 0, true);
  if (p.kind == PK_UNKNOWN || (ptr && (p.kind == PK_RAW || p.kind == PK_NONE)))
    return false;
  if (p.kind == PK_NONE) {
    /* An 8-byte integer proven plain data (a hash): say so, or the reader
     * would scan it by its value. */
    if (size != 8)
      return false;
    LLVMPositionBuilderBefore(b, before);
    LLVMBuildStore(b, as_i64(S, v), chan_field(S, slot, 0));
    LLVMBuildStore(b, i64c(S, LEAKCC_SIDE_DATA), chan_field(S, slot, 3));
    return true;
  }
  /* A call result passed on unchanged: the callee has filled slot 0.  A
   * pointer argument passed on unchanged: only the common case is cheap. */
  if (p.kind == PK_DYN && p.identity &&
      (ptr || ((slot == 0 || slot == LEAKCC_CHAN_RET2) &&
               !LLVMIsAArgument(p.src))))
    return false;
  struct chan_read *ch = NULL;
  if (p.kind == PK_DYN && !(ch = read_channel(S, p.src)))
    return false;
  if (!resolve_src2(S, &p, before))
    return false;
  LLVMValueRef sh = p.kind == PK_LOAD ? shadow_at_load(S, p.src, 1, p.offset) : NULL;
  LLVMPositionBuilderBefore(b, before);
  LLVMValueRef v64 = as_i64(S, v), null = LLVMConstNull(S->ptr_ty);
  if (p.kind == PK_LOAD) {
    /* A pointer whose source word is RAW (or UNKNOWN) needs nothing: that
     * is the default. */
    LLVMValueRef cond =
        p.base[0] ? NULL
        : ptr     ? LLVMBuildICmp(
                    b, LLVMIntNE,
                    LLVMBuildAnd(b, sh,
                                 LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_MASK |
                                                            LEAKCC_SHADOW_SIDE, 0),
                                 ""),
                    LLVMConstInt(S->i8_ty, 0, 0), "")
                  : refers(S, sh);
    if (cond)
      begin_if(S, cond, before);
    LLVMValueRef args[6] = {
        chan_field(S, slot, 0), v64,
        derive_how(S, (unsigned)size, p.identity ? LEAKCC_SIDE_COPY : p.side, sh),
        load_addr(S, &p), as_i64(S, p.val), p.base[0] ? as_ptr(S, p.base[0]) : null};
    call_hook(S, H_CHAN_DERIVE, args);
    return true;
  }
  LLVMValueRef out[4];
  if (p.kind != PK_DYN) {
    static_slot(S, &p, v, out);
  } else {
    /* The channel's word if it matched, else what the value would be as a
     * plain pointer (pointer sources) or nothing. */
    struct prov fb = pointer_source(&p) ? trace_static(S, v)
                     : p.base[0]        ? side(p.side, p.base[0], NULL)
                                        : NONE_PROV;
    static_slot(S, &fb, v, out);
    LLVMValueRef m = ch->matched;
    out[0] = LLVMBuildSelect(b, m, v64, out[0], "");
    out[1] = LLVMBuildSelect(b, m, ch->base[0], out[1], "");
    out[2] = LLVMBuildSelect(b, m, p.base[0] ? as_ptr(S, p.base[0]) : ch->base[1],
                             out[2], "");
    out[3] = LLVMBuildSelect(b, m, p.identity ? ch->kind : i64c(S, p.side), out[3], "");
  }
  for (unsigned f = 0; f < 4; f++)
    LLVMBuildStore(b, out[f], chan_field(S, slot, f));
  return true;
}

/* A write of SIZE bytes at ADDR of unknown alignment: every granule it
 * touches keeps only its SIDE bit (an entry there dies anyway once its
 * bytes change) and is otherwise UNKNOWN.  With RAW_IF_ALIGNED (an 8-byte
 * pointer store) the granule at ADDR becomes RAW when ADDR turns out
 * 8-aligned. */
static void clear_unaligned(struct leakpass_stores *S, LLVMValueRef addr,
                            uint64_t size, bool raw_if_aligned) {
  if (size > 4 * GRANULE) {
    LLVMValueRef args[2] = {addr, LLVMConstInt(S->i64_ty, size, 0)};
    call_hook(S, H_CLEAR, args);
    return;
  }
  /* Last byte first: when ADDR is aligned it shares ADDR's granule. */
  LLVMValueRef last = LLVMBuildGEP2(S->builder, S->i8_ty, addr,
                                    (LLVMValueRef[]){i64c(S, size - 1)}, 1, "");
  LLVMValueRef keep = partial_keep(S, false);
  shadow_partial(S, last, keep);
  for (uint64_t off = GRANULE; off < size; off += GRANULE) {
    LLVMValueRef o = i64c(S, off);
    shadow_partial(S, LLVMBuildGEP2(S->builder, S->i8_ty, addr, &o, 1, ""), keep);
  }
  if (!raw_if_aligned) {
    shadow_partial(S, addr, keep);
    return;
  }
  LLVMValueRef where = shadow_addr(S, addr, 0);
  LLVMValueRef kept = LLVMBuildAnd(S->builder, load_shadow(S, S->i8_ty, where),
                                   LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_PARTIAL_KEEP, 0), "");
  LLVMValueRef a = LLVMBuildPtrToInt(S->builder, addr, S->i64_ty, "");
  LLVMValueRef low = LLVMBuildAnd(S->builder, a, i64c(S, GRANULE - 1), "");
  LLVMValueRef aligned = LLVMBuildICmp(S->builder, LLVMIntEQ, low, i64c(S, 0), "");
  store_shadow(S, LLVMBuildSelect(S->builder, aligned,
                                  LLVMConstInt(S->i8_ty, LEAKCC_SHADOW_RAW, 0), kept, ""),
               where);
}

/* Whether T is stored as one scalar word the provenance rules describe. */
static bool scalar_word(const struct leakpass_stores *S, LLVMTypeRef t) {
  LLVMTypeKind k = LLVMGetTypeKind(t);
  uint64_t size = LLVMStoreSizeOfType(S->layout, t);
  return (size == 4 || size == 8) &&
         (k == LLVMPointerTypeKind || k == LLVMIntegerTypeKind ||
          k == LLVMDoubleTypeKind || k == LLVMFloatTypeKind);
}

/* How many of T's first two fields are scalar words (a struct passed or
 * returned by value in registers, whose fields carry their provenance):
 * 0 if T is no struct or its first field is none. */
static unsigned struct_words(const struct leakpass_stores *S, LLVMTypeRef t) {
  if (LLVMGetTypeKind(t) != LLVMStructTypeKind)
    return 0;
  unsigned n = 0;
  while (n < 2 && n < LLVMCountStructElementTypes(t) &&
         scalar_word(S, LLVMStructGetTypeAtIndex(t, n)))
    n++;
  return n;
}

/* Vector stores of integers built element by element (SLP vectoriser
 * output, e.g. two mangled words stored at once): their elements' count,
 * else 0. */
static unsigned vector_words(const struct leakpass_stores *S, LLVMTypeRef t) {
  if (LLVMGetTypeKind(t) != LLVMVectorTypeKind || LLVMGetVectorSize(t) > 4)
    return 0;
  LLVMTypeRef e = LLVMGetElementType(t);
  return LLVMGetTypeKind(e) == LLVMIntegerTypeKind &&
                 LLVMStoreSizeOfType(S->layout, e) == GRANULE
             ? LLVMGetVectorSize(t)
             : 0;
}

/* After the pattern store of an aggregate or vector VAL at ADDR: the first
 * two fields of a struct and the elements of an integer vector, as if
 * stored on their own, when their provenance is more than NONE or RAW. */
static void field_writes(struct leakpass_stores *S, LLVMValueRef before,
                         LLVMValueRef addr, LLVMValueRef val, unsigned align) {
  LLVMTypeRef t = LLVMTypeOf(val);
  unsigned nf = struct_words(S, t), nv = vector_words(S, t);
  for (unsigned k = 0; k < nf + nv; k++) {
    uint64_t off = nf ? LLVMOffsetOfElement(S->layout, t, k) : (uint64_t)k * GRANULE;
    LLVMTypeRef ft = nf ? LLVMStructGetTypeAtIndex(t, k) : LLVMGetElementType(t);
    uint64_t w = LLVMStoreSizeOfType(S->layout, ft);
    if (align < GRANULE || off % w)
      continue;
    LLVMPositionBuilderBefore(S->builder, before);
    LLVMValueRef f = nf ? LLVMBuildExtractValue(S->builder, val, k, "")
                        : LLVMBuildExtractElement(S->builder, val,
                                                  LLVMConstInt(LLVMInt32TypeInContext(S->ctx), k, 0), "");
    struct prov p = trace(S, f, 0, true);
    /* The pattern store left RAW (pointer fields) or UNKNOWN: plain data in
     * a whole word becomes DATA. */
    if (p.kind == PK_UNKNOWN || (p.kind == PK_NONE && w < GRANULE) ||
        (p.kind == PK_RAW && w == GRANULE))
      continue;
    LLVMValueRef off_v = i64c(S, off);
    LLVMValueRef a = off ? LLVMBuildGEP2(S->builder, S->i8_ty, addr, &off_v, 1, "") : addr;
    scalar_write(S, before, a, f, (unsigned)w, GRANULE);
  }
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
  if (!success && scalar_word(S, type) && (size == 8 || align >= 4)) {
    scalar_write(S, before, addr, val, (unsigned)size, align);
    return;
  }
  uint64_t granules = (size + GRANULE - 1) / GRANULE;
  /* Below 8-byte alignment only a write no larger than its alignment (an
   * i32 at align 4, and so every cmpxchg) is known to stay in one granule. */
  bool one_granule = size <= align;
  if ((align < GRANULE && !one_granule) || granules > MAX_INLINE_GRANULES) {
    bool ptr = size == GRANULE && align < GRANULE &&
               trace(S, val, 0, true).kind != PK_NONE;
    clear_unaligned(S, addr, size, ptr);
    return;
  }
  if (size < GRANULE) {
    /* A byte or two: a constant keeps a DATA word DATA, anything else may
     * be a byte of a pointer being copied (UNKNOWN). */
    LLVMValueRef where = shadow_addr(S, addr, 0);
    LLVMValueRef old = load_shadow(S, S->i8_ty, where);
    LLVMValueRef kept = LLVMBuildAnd(S->builder, old,
                                     partial_keep(S, LLVMIsAConstant(val) != NULL), "");
    store_shadow(S, success ? LLVMBuildSelect(S->builder, success, kept, old, "") : kept,
                 where);
    return;
  }
  unsigned n = (unsigned)granules;
  uint8_t pattern[MAX_INLINE_GRANULES] = {0};
  LLVMValueRef value = NULL, copied_from = NULL;
  if (!is_pointer_type(type) && size % GRANULE == 0) {
    struct prov p = trace(S, val, 0, true);
    if (p.kind == PK_LOAD && p.identity && LLVMGetAlignment(p.src) >= GRANULE &&
        LLVMStoreSizeOfType(S->layout, LLVMTypeOf(p.src)) == size) {
      value = shadow_at_load(S, p.src, n, 0);
      copied_from = p.src;
    }
    else if (p.kind == PK_RAW || p.kind == PK_MASK || p.kind == PK_NONE)
      for (uint64_t g = 0; g < size / GRANULE; g++)
        pattern[g] = p.kind == PK_RAW    ? LEAKCC_SHADOW_RAW
                     : p.kind == PK_MASK ? LEAKCC_SHADOW_MASK
                                         : LEAKCC_SHADOW_DATA;
  }
  if (!value) {
    pointer_granules(S, type, 0, pattern, n);
    value = pattern_constant(S, pattern, n);
  }
  LLVMPositionBuilderBefore(S->builder, before);
  LLVMValueRef where = shadow_addr(S, addr, 0);
  if (success) {
    LLVMValueRef old = load_shadow(S, shadow_int(S, n), where);
    value = LLVMBuildSelect(S->builder, success, value, old, "");
  }
  if (copied_from) {
    copy_side_entries(S, value, n, addr, LLVMGetOperand(copied_from, 0), before);
    LLVMPositionBuilderBefore(S->builder, before);
  }
  store_shadow(S, value, where);
  if (!copied_from && !success)
    field_writes(S, before, addr, val, align);
}

/* Before an inline copy of N granules' shadow V from SRC to DST (before
 * BEFORE): if any of them is SIDE, the runtime copies the entries (and the
 * shadow, which the inline store then writes again: the source shadow is
 * read first, so an overlapping copy stays right). */
static void copy_side_entries(struct leakpass_stores *S, LLVMValueRef v,
                              unsigned n, LLVMValueRef dst, LLVMValueRef src,
                              LLVMValueRef before) {
  uint8_t side_bits[MAX_INLINE_GRANULES];
  memset(side_bits, LEAKCC_SHADOW_SIDE, n);
  LLVMValueRef any = LLVMBuildICmp(
      S->builder, LLVMIntNE,
      LLVMBuildAnd(S->builder, v, pattern_constant(S, side_bits, n), ""),
      LLVMConstInt(shadow_int(S, n), 0, 0), "");
  begin_if(S, any, before);
  LLVMValueRef args[3] = {dst, src, i64c(S, (uint64_t)n * GRANULE)};
  call_hook(S, H_COPY, args);
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
      copy_side_entries(S, v, (unsigned)(n / GRANULE), dst, src, call);
      LLVMPositionBuilderBefore(S->builder, call);
      store_shadow(S, v, shadow_addr(S, dst, 0));
      return;
    }
  }
  LLVMValueRef args[3] = {dst, src,
                          LLVMBuildZExtOrBitCast(S->builder, len, S->i64_ty, "")};
  call_hook(S, H_COPY, args);
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
  call_hook(S, H_CLEAR, args);
}

/* ------------------------------------------------------------- dispatch */

static bool default_address_space(LLVMValueRef ptr) {
  return LLVMGetPointerAddressSpace(LLVMTypeOf(ptr)) == 0;
}

/* libc functions that store no pointer through their pointer arguments
 * and keep none (sorted, bsearch): passing memory to them is no escape.
 * (Not strtol & co., which store an end pointer, nor mbsrtowcs.) */
static const char *const no_escape[] = {
    "abort", "access", "atof", "atoi", "atol", "atoll", "bcmp",
    "clock_gettime", "close", "dprintf", "exit", "fclose", "feof", "ferror",
    "fflush", "fgetc", "fileno", "fopen", "fprintf", "fputc", "fputs", "free",
    "fstat", "fwrite", "getc", "getenv", "gettimeofday", "isatty", "lstat",
    "mbrlen", "mbrtowc", "mbsinit", "mbstowcs", "mbtowc", "memchr", "memcmp",
    "memrchr", "mkdir", "open", "perror", "printf", "pthread_mutex_lock",
    "pthread_mutex_trylock", "pthread_mutex_unlock", "putc", "putchar", "puts",
    "rawmemchr", "remove", "rename", "rmdir", "snprintf", "sprintf", "stat",
    "stpcpy", "strcasecmp", "strcat", "strchr", "strchrnul", "strcmp",
    "strcoll", "strcpy", "strcspn", "strlen", "strncasecmp", "strncat",
    "strncmp", "strncpy", "strnlen", "strpbrk", "strrchr", "strspn", "strstr",
    "time", "unlink", "vfprintf", "vprintf", "vsnprintf", "vsprintf",
    "wcrtomb", "wcscmp", "wcslen", "wcsncmp", "wcstombs", "wctomb", "wmemchr",
    "wmemcmp", "write"};

static int compare_name(const void *key, const void *elt) {
  return strcmp(key, *(const char *const *)elt);
}

/* Whether a call of CALLEE (NULL: indirect) may run code that writes
 * memory without shadow. */
static bool may_escape(LLVMValueRef callee, const char *name) {
  if (!callee)
    return true;
  if (!LLVMIsDeclaration(callee) || LLVMGetIntrinsicID(callee) ||
      is_runtime_function(callee))
    return false;
  return !bsearch(name, no_escape, sizeof no_escape / sizeof *no_escape,
                  sizeof *no_escape, compare_name);
}

/* The module's "callee is known to be instrumented" byte for CALLEE. */
static LLVMValueRef known_byte(struct leakpass_stores *S, LLVMValueRef callee) {
  LLVMValueRef g = (LLVMValueRef)map_get(&S->known, callee);
  if (g)
    return g;
  g = LLVMAddGlobal(S->mod, S->i8_ty, "__leakcc_known");
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetInitializer(g, LLVMConstInt(S->i8_ty, 0, 0));
  map_put(&S->known, callee, (uintptr_t)g);
  return g;
}

/* Reports the pointer arguments of CALL (not stack slots or constants) to
 * __leakcc_escape unless the callee is known to be instrumented. */
static bool report_escapes(struct leakpass_stores *S, LLVMValueRef call,
                           LLVMValueRef callee) {
  LLVMValueRef ptrs[16];
  unsigned n = 0;
  for (unsigned i = 0, k = LLVMGetNumArgOperands(call); i < k && n < 16; i++) {
    LLVMValueRef a = LLVMGetOperand(call, i);
    if (LLVMGetTypeKind(LLVMTypeOf(a)) != LLVMPointerTypeKind ||
        LLVMIsAConstantPointerNull(a) || LLVMIsUndef(a) ||
        leakpass_stack_object(a) || LLVMIsAFunction(a))
      continue;
    ptrs[n++] = a;
  }
  if (!n)
    return false;
  LLVMBuilderRef b = S->builder;
  LLVMPositionBuilderBefore(b, call);
  LLVMValueRef target = callee ? callee : LLVMGetCalledValue(call);
  LLVMValueRef known;
  if (callee) {
    known = known_byte(S, callee);
    LLVMValueRef k = LLVMBuildLoad2(b, S->i8_ty, known, "");
    begin_if(S, LLVMBuildICmp(b, LLVMIntEQ, k, LLVMConstInt(S->i8_ty, 0, 0), ""),
             call);
  } else {
    /* An indirect call: the last callee found instrumented here. */
    known = LLVMAddGlobal(S->mod, S->ptr_ty, "__leakcc_last_callee");
    LLVMSetLinkage(known, LLVMPrivateLinkage);
    LLVMSetInitializer(known, LLVMConstNull(S->ptr_ty));
    LLVMValueRef last = LLVMBuildLoad2(b, S->ptr_ty, known, "");
    begin_if(S, LLVMBuildICmp(b, LLVMIntNE, last, target, ""), call);
  }
  for (unsigned i = 0; i < n; i++) {
    LLVMValueRef args[3] = {known, target, ptrs[i]};
    call_hook(S, callee ? H_ESCAPE : H_ESCAPE_INDIRECT, args);
  }
  return true;
}

/* The size of the struct a byval attribute A (or NULL) passes, else 0. */
static uint64_t byval_size(const struct leakpass_stores *S, LLVMAttributeRef a) {
  if (!a || !LLVMIsTypeAttribute(a))
    return 0;
  return LLVMStoreSizeOfType(S->layout, LLVMGetTypeAttributeValue(a));
}

/* At FN's entry: each byval parameter whose slot says where the caller's
 * struct came from gets that struct's shadow (abi.h). */
static bool receive_byval(struct leakpass_stores *S, LLVMValueRef fn) {
  bool changed = false;
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
  for (unsigned i = 0, n = LLVMCountParams(fn); i < n && i < LEAKCC_CHAN_ARGS; i++) {
    uint64_t size = byval_size(S, LLVMGetEnumAttributeAtIndex(fn, i + 1, S->byval_kind));
    if (!size)
      continue;
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    while (first && LLVMIsAAllocaInst(first))
      first = LLVMGetNextInstruction(first);
    LLVMBuilderRef b = S->builder;
    LLVMPositionBuilderBefore(b, first);
    LLVMValueRef value = LLVMBuildLoad2(b, S->i64_ty, chan_field(S, 1 + i, 0), "");
    LLVMValueRef kind = LLVMBuildLoad2(b, S->i64_ty, chan_field(S, 1 + i, 3), "");
    LLVMValueRef src = LLVMBuildLoad2(b, S->ptr_ty, chan_field(S, 1 + i, 1), "");
    LLVMValueRef ok = LLVMBuildAnd(
        b, LLVMBuildICmp(b, LLVMIntEQ, value, i64c(S, LEAKCC_CHAN_BYVAL ^ size), ""),
        LLVMBuildICmp(b, LLVMIntEQ, kind, i64c(S, LEAKCC_CHAN_BYVAL), ""), "");
    begin_if(S, ok, first);
    LLVMBuildStore(b, i64c(S, 0), chan_field(S, 1 + i, 0));
    LLVMValueRef args[3] = {LLVMGetParam(fn, i), src, i64c(S, size)};
    call_hook(S, H_COPY, args);
    changed = true;
  }
  return changed;
}

/* Before CALL, which may run code without shadow: the stack slots whose
 * address it gets lose their DATA bits, since the callee may store
 * pointers there (strtol's end pointer, an iterator, an sret temporary)
 * that instrumented code then copies out.  Inline for a small aligned
 * static slot, through the runtime otherwise. */
/* The size of stack slot SLOT in bytes (SIZE when it is static). */
static LLVMValueRef slot_bytes(struct leakpass_stores *S, LLVMValueRef slot,
                               uint64_t size) {
  if (size)
    return i64c(S, size);
  /* a dynamic alloca: count * element size */
  LLVMValueRef count = LLVMBuildZExtOrBitCast(S->builder, LLVMGetOperand(slot, 0),
                                              S->i64_ty, "");
  return LLVMBuildMul(S->builder, count,
                      i64c(S, LLVMABISizeOfType(S->layout, LLVMGetAllocatedType(slot))),
                      "");
}

static bool forget_slots(struct leakpass_stores *S, LLVMValueRef call) {
  LLVMBuilderRef b = S->builder;
  LLVMValueRef done[8];
  unsigned ndone = 0;
  for (unsigned i = 0, k = LLVMGetNumArgOperands(call); i < k; i++) {
    LLVMValueRef a = LLVMGetOperand(call, i);
    if (LLVMGetTypeKind(LLVMTypeOf(a)) != LLVMPointerTypeKind)
      continue;
    LLVMValueRef slot = leakpass_stack_object(a);
    unsigned j = 0;
    while (j < ndone && done[j] != slot)
      j++;
    if (!slot || j < ndone || writes_local_slot(S, slot))
      continue;
    if (ndone < sizeof done / sizeof *done)
      done[ndone++] = slot;
    uint64_t size = leakpass_alloca_size(slot);
    LLVMPositionBuilderBefore(b, call);
    LLVMValueRef args[2] = {slot, slot_bytes(S, slot, size)};
    if (size && size <= MAX_INLINE_GRANULES * GRANULE &&
        LLVMGetAlignment(slot) >= GRANULE) {
      unsigned n = (unsigned)((size + GRANULE - 1) / GRANULE);
      uint8_t keep[MAX_INLINE_GRANULES];
      memset(keep, (uint8_t)~LEAKCC_SHADOW_DATA, n);
      LLVMValueRef where = shadow_addr(S, slot, 0);
      LLVMValueRef old = load_shadow(S, shadow_int(S, n), where);
      store_shadow(S, LLVMBuildAnd(b, old, pattern_constant(S, keep, n), ""), where);
    } else {
      call_hook(S, H_UNKNOWN, args);
    }
    /* The callee may follow a pointer the slot holds and write there. */
    call_hook(S, H_SLOT_ESCAPE, args);
  }
  return ndone > 0;
}

/* Whether a call of CALLEE may reach a function that checks the caller
 * token (abi.h): anything but a function of this module that code outside
 * it cannot call. */
static bool may_check_token(LLVMValueRef callee) {
  return !callee || LLVMIsDeclaration(callee) ||
         leakpass_callable_from_outside(callee);
}

/* The caller token before CALL, whose result is a pointer.  A musttail
 * call returns its result to this function's caller: if that caller is not
 * instrumented, neither is the callee's (token 0). */
static void write_token(struct leakpass_stores *S, LLVMValueRef call) {
  LLVMBuilderRef b = S->builder;
  LLVMPositionBuilderBefore(b, call);
  LLVMValueRef token = as_i64(S, LLVMGetCalledValue(call));
  if (musttail(call) && S->outside_caller)
    token = LLVMBuildSelect(b, S->outside_caller, i64c(S, 0), token, "");
  LLVMBuildStore(b, token, chan_field(S, LEAKCC_CHAN_CALLEE, 0));
}

/* A call: provenance of its arguments into the channel, pointers handed to
 * possibly uninstrumented code, and memcpy/memmove/memset called by name. */
static bool instrument_call(struct leakpass_stores *S, LLVMValueRef call) {
  if (!channel_call(call) && !LLVMIsAInvokeInst(call))
    return false;
  LLVMValueRef callee = LLVMGetCalledValue(call);
  if (!LLVMIsAFunction(callee))
    callee = NULL;
  if (callee && (LLVMGetIntrinsicID(callee) || is_runtime_function(callee)))
    return false;
  size_t len = 0;
  const char *name = callee ? LLVMGetValueName2(callee, &len) : "";
  if (callee && LLVMIsDeclaration(callee) &&
      (!strcmp(name, "memcpy") || !strcmp(name, "memmove") ||
       !strcmp(name, "memset")) && LLVMGetNumArgOperands(call) == 3) {
    LLVMPositionBuilderBefore(S->builder, call);
    if (name[3] == 's')
      shadow_clear(S, call);
    else
      shadow_copy(S, call);
    return true;
  }
  bool changed = false;
  for (unsigned i = 0, k = LLVMGetNumArgOperands(call);
       i < k && i < LEAKCC_CHAN_ARGS; i++) {
    uint64_t size = byval_size(S, LLVMGetCallSiteEnumAttribute(call, i + 1, S->byval_kind));
    if (size && LLVMIsACallInst(call) && !musttail(call)) {
      /* The call sequence copies the struct without shadow (abi.h). */
      LLVMBuilderRef b = S->builder;
      LLVMPositionBuilderBefore(b, call);
      LLVMValueRef f[4] = {i64c(S, LEAKCC_CHAN_BYVAL ^ size), LLVMGetOperand(call, i),
                           LLVMConstNull(S->ptr_ty), i64c(S, LEAKCC_CHAN_BYVAL)};
      for (unsigned j = 0; j < 4; j++)
        LLVMBuildStore(b, f[j], chan_field(S, 1 + i, j));
      LLVMPositionBuilderBefore(b, LLVMGetNextInstruction(call));
      LLVMBuildStore(b, i64c(S, 0), chan_field(S, 1 + i, 0));
      changed = true;
      continue;
    }
    changed |= write_channel(S, call, 1 + i, LLVMGetOperand(call, i));
  }
  if (may_escape(callee, name)) {
    changed |= forget_slots(S, call);
    changed |= report_escapes(S, call, callee);
  }
  if (callee && LLVMIsDeclaration(callee) && !strcmp(name, "exit")) {
    LLVMPositionBuilderBefore(S->builder, call);
    call_hook(S, H_EXIT_FRAME, NULL);
    changed = true;
  }
  if (LLVMGetTypeKind(LLVMTypeOf(call)) == LLVMPointerTypeKind &&
      may_check_token(callee)) {
    write_token(S, call);
    changed = true;
  }
  return changed;
}

/* Inline asm, or an intrinsic that writes through its pointer arguments
 * (a masked store, a scatter, a target's store): what it wrote has no
 * shadow, so the memory it may have written loses its DATA bits (before
 * the call: the call itself writes no shadow): an asm's memory operand
 * (its type's size), else the whole block, global or stack window. */
static bool unknown_writes(struct leakpass_stores *S, LLVMValueRef call, bool is_asm) {
  bool changed = false;
  for (unsigned i = 0, k = LLVMGetNumArgOperands(call); i < k; i++) {
    LLVMValueRef a = LLVMGetOperand(call, i);
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMTypeRef pt = LLVMGetTypeKind(t) == LLVMVectorTypeKind ? LLVMGetElementType(t) : t;
    if (!is_pointer_type(t) || LLVMGetPointerAddressSpace(pt) != 0 ||
        LLVMIsAConstantPointerNull(a) || LLVMIsUndef(a) || LLVMIsAFunction(a))
      continue;
    uint64_t bytes = is_asm ? leakpass_asm_written_bytes(call, i) : UINT64_MAX;
    if (!bytes)
      continue;
    LLVMPositionBuilderBefore(S->builder, call);
    changed = true;
    if (bytes != UINT64_MAX && pt == t) {
      clear_unaligned(S, a, bytes, false);
      continue;
    }
    unsigned lanes = LLVMGetTypeKind(t) == LLVMVectorTypeKind ? LLVMGetVectorSize(t) : 0;
    for (unsigned l = 0; l < (lanes ? lanes : 1); l++) {
      LLVMValueRef p = lanes ? LLVMBuildExtractElement(
                                   S->builder, a,
                                   LLVMConstInt(LLVMInt32TypeInContext(S->ctx), l, 0), "")
                             : a;
      call_hook(S, H_UNKNOWN_WRITE, &p);
    }
  }
  return changed;
}

/* The shadow of the word an atomic exchange reads, taken before the
 * instruction's own shadow update (a use of the old value copies it). */
static void read_old_shadow(struct leakpass_stores *S, LLVMValueRef inst) {
  if (!LLVMGetFirstUse(inst) || map_get(&S->load_shadow, inst))
    return;
  LLVMPositionBuilderBefore(S->builder, inst);
  LLVMValueRef v = load_shadow(S, S->i8_ty, shadow_addr(S, LLVMGetOperand(inst, 0), 0));
  map_put(&S->load_shadow, inst, (uintptr_t)v);
}

/* At FN's entry, if it returns a pointer and code outside its module may
 * call it: reads and clears the caller token (abi.h).  Sets
 * S->outside_caller.  main: S->is_main. */
static void enter(struct leakpass_stores *S, LLVMValueRef fn) {
  size_t len = 0;
  const char *name = LLVMGetValueName2(fn, &len);
  S->is_main = len == 4 && !memcmp(name, "main", 4) &&
               LLVMGetLinkage(fn) == LLVMExternalLinkage;
  S->outside_caller = NULL;
  LLVMTypeRef ret = LLVMGetReturnType(LLVMGlobalGetValueType(fn));
  if (LLVMGetTypeKind(ret) != LLVMPointerTypeKind ||
      !leakpass_callable_from_outside(fn))
    return;
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  while (first && LLVMIsAAllocaInst(first))
    first = LLVMGetNextInstruction(first);
  LLVMBuilderRef b = S->builder;
  LLVMPositionBuilderBefore(b, first);
  LLVMValueRef token = chan_field(S, LEAKCC_CHAN_CALLEE, 0);
  LLVMValueRef got = LLVMBuildLoad2(b, S->i64_ty, token, "");
  LLVMBuildStore(b, i64c(S, 0), token);
  S->outside_caller = LLVMBuildICmp(b, LLVMIntNE, got, as_i64(S, fn), "");
}

/* Before RET: a pointer returned to a caller without shadow escapes (the
 * caller may link it anywhere: a library's allocator callback); main's
 * frame stops being live (the exit check's stack floor). */
static bool leave(struct leakpass_stores *S, LLVMValueRef ret) {
  LLVMBuilderRef b = S->builder;
  bool changed = false;
  if (S->is_main && S->ret_slot_id) {
    LLVMPositionBuilderBefore(b, ret);
    LLVMTypeRef over = S->ptr_ty;
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(S->mod, S->ret_slot_id, &over, 1);
    LLVMTypeRef fty = LLVMIntrinsicGetType(S->ctx, S->ret_slot_id, &over, 1);
    LLVMValueRef slot = LLVMBuildCall2(b, fty, fn, NULL, 0, "");
    call_hook(S, H_MAIN_RETURN, &slot);
    changed = true;
  }
  if (S->outside_caller && LLVMGetNumOperands(ret) == 1) {
    LLVMValueRef v = LLVMGetOperand(ret, 0);
    if (LLVMIsAConstantPointerNull(v) || LLVMIsUndef(v))
      return changed;
    LLVMPositionBuilderBefore(b, ret);
    LLVMValueRef cond = LLVMBuildAnd(
        b, S->outside_caller,
        LLVMBuildICmp(b, LLVMIntNE, v, LLVMConstNull(S->ptr_ty), ""), "");
    begin_if(S, cond, ret);
    LLVMValueRef null = LLVMConstNull(S->ptr_ty);
    LLVMValueRef args[3] = {null, null, v};
    call_hook(S, H_ESCAPE, args);
    changed = true;
  }
  return changed;
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
    read_old_shadow(S, inst);
    shadow_write(S, inst, addr, LLVMGetOperand(inst, 1), LLVMGetAlignment(inst),
                 NULL);
    return true;
  }
  case LLVMAtomicCmpXchg: {
    LLVMValueRef addr = LLVMGetOperand(inst, 0);
    if (!default_address_space(addr) || writes_local_slot(S, addr))
      return false;
    read_old_shadow(S, inst);
    LLVMValueRef next = LLVMGetNextInstruction(inst);
    LLVMPositionBuilderBefore(b, next);
    LLVMValueRef ok = LLVMBuildExtractValue(b, inst, 1, "");
    shadow_write(S, next, addr, LLVMGetOperand(inst, 2), LLVMGetAlignment(inst),
                 ok);
    return true;
  }
  case LLVMRet: {
    /* After a musttail call the callee has filled the slots itself (and
     * checked the caller token, which write_token passed on). */
    LLVMValueRef prev = LLVMGetPreviousInstruction(inst);
    bool changed = !(prev && musttail(prev)) && leave(S, inst);
    if (LLVMGetNumOperands(inst) != 1 || (prev && musttail(prev)))
      return changed;
    LLVMValueRef v = LLVMGetOperand(inst, 0);
    unsigned nf = struct_words(S, LLVMTypeOf(v));
    if (!nf)
      return write_channel(S, inst, 0, v) || changed;
    for (unsigned k = 0; k < nf; k++) {
      LLVMPositionBuilderBefore(b, inst);
      changed |= write_channel(S, inst, k ? LEAKCC_CHAN_RET2 : 0,
                               LLVMBuildExtractValue(b, v, k, ""));
    }
    return changed;
  }
  case LLVMCall:
  case LLVMInvoke: {
    LLVMValueRef callee = LLVMGetCalledValue(inst);
    if (LLVMIsAInlineAsm(callee))
      return unknown_writes(S, inst, true);
    unsigned id = callee && LLVMIsAFunction(callee) ? LLVMGetIntrinsicID(callee) : 0;
    if (!id)
      return instrument_call(S, inst);
    if (id == S->va_start_id) {
      LLVMPositionBuilderBefore(b, LLVMGetNextInstruction(inst));
      LLVMValueRef ap = LLVMGetOperand(inst, 0);
      call_hook(S, H_VA_START, &ap);
      return true;
    }
    if (id == S->va_end_id || id == S->va_copy_id) /* only the va_list */
      return false;
    if (id != S->memcpy_id && id != S->memcpy_inline_id && id != S->memmove_id &&
        id != S->memset_id && id != S->memset_inline_id)
      return leakpass_intrinsic_writes_args(inst) && unknown_writes(S, inst, false);
    if (!default_address_space(LLVMGetOperand(inst, 0)))
      return false;
    LLVMPositionBuilderBefore(b, inst);
    if (id == S->memcpy_id || id == S->memcpy_inline_id || id == S->memmove_id)
      shadow_copy(S, inst);
    else
      shadow_clear(S, inst);
    return true;
  }
  default:
    return false;
  }
}

static bool is_write(struct leakpass_stores *S, LLVMValueRef inst) {
  (void)S;
  switch (LLVMGetInstructionOpcode(inst)) {
  case LLVMStore:
  case LLVMAtomicRMW:
  case LLVMAtomicCmpXchg:
  case LLVMRet:
  case LLVMCall:
  case LLVMInvoke:
    return true;
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
  bool changed = receive_byval(S, fn);
  enter(S, fn);
  changed |= S->outside_caller != NULL;
  for (size_t i = 0; i < n && !S->message; i++)
    changed |= instrument(S, writes[i]);
  S->outside_caller = NULL;
  S->is_main = false;
  free(writes);
  map_clear(&S->slots);
  map_clear(&S->load_shadow);
  for (size_t i = 0; i < S->chan_reads.cap; i++)
    if (S->chan_reads.keys[i])
      free((void *)S->chan_reads.vals[i]);
  map_clear(&S->chan_reads);
  for (size_t i = 0; i < S->phis.cap; i++)
    if (S->phis.keys[i] && S->phis.vals[i] != (uintptr_t)&phi_in_progress)
      free((void *)S->phis.vals[i]);
  map_clear(&S->phis);
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

struct leakpass_stores *
leakpass_stores_begin(LLVMModuleRef M,
                      LLVMValueRef (*site)(void *ctx, LLVMValueRef inst),
                      void *ctx) {
  struct leakpass_stores *S = calloc(1, sizeof *S);
  if (!S)
    return NULL;
  const char *sites = getenv("LEAKCC_STORE_SITES");
  S->store_sites = site && sites && !strcmp(sites, "1");
  S->site = site;
  S->site_ctx = ctx;
  S->mod = M;
  S->ctx = LLVMGetModuleContext(M);
  S->layout = LLVMGetModuleDataLayout(M);
  S->builder = LLVMCreateBuilderInContext(S->ctx);
  S->ptr_ty = LLVMPointerTypeInContext(S->ctx, 0);
  S->i8_ty = LLVMInt8TypeInContext(S->ctx);
  S->i64_ty = LLVMInt64TypeInContext(S->ctx);
  S->void_ty = LLVMVoidTypeInContext(S->ctx);
  S->byval_kind = LLVMGetEnumAttributeKindForName("byval", 5);
  S->memcpy_id = intrinsic_id("llvm.memcpy");
  S->memcpy_inline_id = intrinsic_id("llvm.memcpy.inline");
  S->memmove_id = intrinsic_id("llvm.memmove");
  S->memset_id = intrinsic_id("llvm.memset");
  S->memset_inline_id = intrinsic_id("llvm.memset.inline");
  S->va_start_id = intrinsic_id("llvm.va_start");
  S->va_end_id = intrinsic_id("llvm.va_end");
  S->va_copy_id = intrinsic_id("llvm.va_copy");
  S->ret_slot_id = intrinsic_id("llvm.addressofreturnaddress");
  return S;
}

void leakpass_stores_end(struct leakpass_stores *S) {
  if (!S)
    return;
  map_free(&S->slots);
  map_free(&S->load_shadow);
  map_free(&S->chan_reads);
  map_free(&S->known);
  map_free(&S->phis);
  LLVMDisposeBuilder(S->builder);
  free(S->message);
  free(S);
}
