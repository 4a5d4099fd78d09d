#!/usr/bin/env python3
"""leakgen: writes random C and C++ programs whose leaks are known by
construction (issue 9, the generative differential test).

    leakgen.py SEED OUTDIR      writes OUTDIR/prog.c (or prog.cpp), lglib.c
                                (a helper library to build with plain clang,
                                not leakcc) and truth.json

Every tracked block is a distinct allocation with a distinct size.  The
program prints `LGBLK id address size` when it allocates (or reallocates) a
tracked block, so reports made with report_objects=1 can be matched to the
blocks by address.  A block is *live* when the program can still reach it at
exit from a global, through the chain of encodings the generator chose (raw,
tagged, NaN-boxed, XORed, offsets, split halves, ...), and *leaked*
otherwise; leaked blocks are never stored, or their only reference is
overwritten, removed from its container or lies in a freed block or in
another leaked block.  Some leaked blocks leave a false pointer behind (a
stale copy of their address in a recycled chunk, or an integer equal to
their address computed by multiplication and division).

With LG_CHECK set in the environment the program walks everything it can
reach from its globals with its own decoders, prints `LGLIVE id` for each
block it finds, and the driver (run.py) checks that this is exactly the live
set of truth.json (the generator's ground truth against the plain build).

Only the Python standard library is used; the same seed always gives the
same program.
"""
import json
import os
import random
import sys
import zlib

NS = 6                    # slots per tracked block
SLOT0 = 16                # offset of slot 0 in a block
PO = SLOT0 + 32 * NS      # payload offset (strings for strtol & co.)
NROOT = 10                # global root slots

WORD_ENCS = ['raw', 'lowtag', 'hightag', 'nanbox', 'xorkey', 'mangle']
# out_*: written by a function the program calls with the slot's address
# (the plain library, pthread_join, strtol, strtok_r, getline).
OUT_ENCS = ['out_lib', 'out_join', 'out_strtol', 'out_strtok', 'out_getline']
SLOT_ENCS = WORD_ENCS + ['atomic', 'asm', 'xorself', 'off32', 'selfrel',
                         'packed', 'split', 'bitfield', 'vector', 'memcpy',
                         'libstore'] + OUT_ENCS
ENC_D = {'out_strtol': 'strtol', 'out_strtok': 'strtok', 'out_getline': 'payload'}
# Sources that allocate straight into the holder's slot (no separate store).
SLOT_SRCS = ['pm_slot', 'getline_slot', 'libout_alloc_slot']
SINKS = ['inline'] * 5 + ['helper', 'helper', 'va', 'thread', 'libcb', 'sret', 'byval']
# What hands a block (or its holder) to code built without leakcc.
ESCAPING_PATHS = {'libout', 'libout_heap', 'thread'}
ESCAPING_D = {'strtol', 'strtod', 'strtok'}
ESCAPING_ENCS = set(OUT_ENCS) | {'libstore'}
ESCAPING_SRCS = {'libout_alloc', 'libout_alloc_slot', 'getline_slot'}
POSDEP = {'xorself', 'selfrel'}         # position-dependent: no relocation
MASKISH = {'lowtag', 'hightag', 'nanbox', 'bitfield'}
STRING_D = {
    # kind: (string written at PO, chars consumed before the pointer)
    'strtol': ('  4711zz', 6),
    'strtod': ('  2.5e3zz', 7),
    'strtok': ('ab cd ef', 3),
    'strchr': ('lg:xyz', 2),
}

LIB_C = r'''/* leakgen helper library: built with plain clang, never with leakcc.
 * It stores its callers' pointers without shadow (out-parameters, a box it
 * allocates itself and fills from callbacks, an insertion sort). */
#include <stdlib.h>
#include <string.h>

struct lib_box {
  unsigned char hdr[16]; /* left to the caller */
  void *items[8];
};

void lib_out(void *in, void **out) { *out = in; }

void lib_alloc_out(size_t n, void **out) { *out = malloc(n); }

struct lib_box *lib_box_new(size_t n) {
  struct lib_box *b = malloc(n);
  memset(b, 0, n);
  return b;
}

void lib_box_fill(struct lib_box *b, int i, void *(*make)(void *, int),
                  void *ctx) {
  b->items[i] = make(ctx, i);
}

void lib_box_set(struct lib_box *b, int i, void *p) { b->items[i] = p; }

void *lib_box_get(struct lib_box *b, int i) { return b->items[i]; }

void lib_sort(void **a, int n, int (*cmp)(const void *, const void *)) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && cmp(&a[j - 1], &a[j]) > 0; j--) {
      void *t = a[j];
      a[j] = a[j - 1];
      a[j - 1] = t;
    }
}

void lib_store_at(void *base, size_t off, void *p) {
  memcpy((char *)base + off, &p, sizeof p);
}

void lib_call(void (*fn)(void *, void *), void *ctx, void *p) { fn(ctx, p); }

/* The same through a pointer to the caller's pointer to the box: the
 * library writes into memory it was never handed directly. */
void lib_box_fill_via(struct lib_box **ref, int i, void *(*make)(void *, int),
                      void *ctx) {
  (*ref)->items[i] = make(ctx, i);
}

void lib_box_set_via(struct lib_box **ref, int i, void *p) {
  (*ref)->items[i] = p;
}
'''

PRELUDE = r'''#define _GNU_SOURCE 1
#include <pthread.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
%(cxx_includes)s
#define LG_NOINLINE __attribute__((noinline))
#define LG_MAGIC 0x4c47u

struct lg_bf { uint64_t ptr : 48; uint64_t tag : 16; };
struct lg_bf2 { uint64_t tag : 16; uint64_t ptr : 48; };
struct __attribute__((packed, may_alias)) lg_pk { void *p; };
typedef uint64_t lg_v2 __attribute__((vector_size(16)));

/* A 32-byte slot: where one reference is kept, encoded in one of many ways. */
typedef union lg_slot {
  uint64_t w[4];
  uint32_t h[8];
  void *p[4];
  unsigned char b[32];
  double d[4];
  struct lg_bf bf[4];
  struct lg_bf2 bf2[4];
  lg_v2 v[2];
} __attribute__((aligned(16))) lg_slot;

/* Every tracked block starts like this; its payload follows the slots. */
struct lg_blk {
  uint32_t magic, id;
  uint64_t pad;
  lg_slot s[%(ns)d];
};
#define LG_PO %(po)d

%(extern_c_open)s
struct lib_box;
void lib_out(void *in, void **out);
void lib_alloc_out(size_t n, void **out);
struct lib_box *lib_box_new(size_t n);
void lib_box_fill(struct lib_box *b, int i, void *(*make)(void *, int), void *ctx);
void lib_box_set(struct lib_box *b, int i, void *p);
void *lib_box_get(struct lib_box *b, int i);
void lib_sort(void **a, int n, int (*cmp)(const void *, const void *));
void lib_store_at(void *base, size_t off, void *p);
void lib_call(void (*fn)(void *, void *), void *ctx, void *p);
void lib_box_fill_via(struct lib_box **ref, int i, void *(*make)(void *, int), void *ctx);
void lib_box_set_via(struct lib_box **ref, int i, void *p);
%(extern_c_close)s

lg_slot lg_root[%(nroot)d];        /* the roots: every live block hangs from here */
struct lg_blk *lg_base;        /* heap base of 32-bit offsets */
void *volatile lg_hand;        /* thread hand-off */
volatile int lg_one = 1;
volatile uint64_t lg_zero = 0;
volatile uint64_t lg_k3 = 3;
volatile uint64_t lg_tagv = 0x5c;
volatile uint64_t lg_keyv = 0xa5c3e1f00d15ea5eull;
static const char lg_line[] = "lg line\n";
static char lg_strbuf[4096];

LG_NOINLINE static void lg_fail(const char *what, int id) {
  printf("LGERR %%s %%d\n", what, id);
  fflush(stdout);
}
LG_NOINLINE static void lg_note(int id, const void *p, size_t n) {
  printf("LGBLK %%d %%p %%zu\n", id, p, n);
}
LG_NOINLINE static struct lg_blk *lg_stamp(void *m, int id, size_t n) {
  struct lg_blk *b = (struct lg_blk *)m;
  if (!b) { lg_fail("alloc", id); exit(3); }
  b->magic = LG_MAGIC;
  b->id = (uint32_t)id;
  lg_note(id, m, n);
  return b;
}
LG_NOINLINE static void lg_seen(const void *p, int id) {
  const struct lg_blk *b = (const struct lg_blk *)p;
  if (!b || b->magic != LG_MAGIC || b->id != (uint32_t)id)
    lg_fail("seen", id);
  else
    printf("LGLIVE %%d\n", id);
}
LG_NOINLINE static struct lg_blk *lg_seen_any(const void *p) {
  const struct lg_blk *b = (const struct lg_blk *)p;
  if (!b || b->magic != LG_MAGIC) { lg_fail("seen_any", 0); return 0; }
  printf("LGLIVE %%u\n", b->id);
  return (struct lg_blk *)p;
}
LG_NOINLINE static void lg_recycled(int id, int yes) {
  printf("LGNOTE recycled %%d %%d\n", id, yes);
}
LG_NOINLINE static void *lg_ident(void *p) { return p; }
struct lg_big { uint64_t tag; void *p; uint64_t a, b; };
LG_NOINLINE static struct lg_big lg_mkbig(void *p, uint64_t t) {
  struct lg_big r;
  r.tag = t; r.p = p; r.a = t * 3; r.b = ~t;
  return r;
}
struct lg_pair { uint64_t t; void *p; };
LG_NOINLINE static struct lg_pair lg_mkpair(void *p, uint64_t t) {
  struct lg_pair r;
  r.t = t; r.p = p;
  return r;
}
LG_NOINLINE static uint64_t lg_mul(uint64_t a, uint64_t k) { return a * k; }
LG_NOINLINE static uint64_t lg_div(uint64_t a, uint64_t k) { return a / k; }
static void *lg_thr_ident(void *a) { return a; }
static inline uint64_t lg_rotl(uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }
static inline uint64_t lg_rotr(uint64_t v, int r) { return (v >> r) | (v << (64 - r)); }
static inline char *lg_u2p(uint64_t v) { return (char *)(uintptr_t)v; }
static inline uint64_t lg_p2u(const void *p) { return (uint64_t)(uintptr_t)p; }
LG_NOINLINE static const char *lg_str(size_t n) {
  memset(lg_strbuf, 'a', n);
  lg_strbuf[n] = 0;
  return lg_strbuf;
}
LG_NOINLINE static int lg_cmp(const void *a, const void *b) {
  const struct lg_blk *x = *(struct lg_blk *const *)a;
  const struct lg_blk *y = *(struct lg_blk *const *)b;
  return (int)y->id - (int)x->id; /* descending ids */
}
/* Overwrites the dead frames below the caller (stacks are scanned
 * conservatively by every checker). */
LG_NOINLINE static void lg_scrub(void) {
  char buf[65536];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}
LG_NOINLINE static void lg_exit2(void) { fflush(stdout); exit(0); }
LG_NOINLINE static void lg_exit1(void) { lg_exit2(); }

/* XOR doubly linked list: hdr->p[0] head, hdr->p[1] tail, each node keeps
 * prev ^ next in s[0].w[0]. */
LG_NOINLINE static struct lg_blk *lg_xl_step(struct lg_blk *from, struct lg_blk *cur) {
  return (struct lg_blk *)(uintptr_t)(cur->s[0].w[0] ^ lg_p2u(from));
}
LG_NOINLINE static void lg_xl_append(lg_slot *hdr, struct lg_blk *n) {
  struct lg_blk *tail = (struct lg_blk *)hdr->p[1];
  n->s[0].w[0] = lg_p2u(tail);
  if (tail)
    tail->s[0].w[0] = lg_p2u(lg_xl_step(0, tail)) ^ lg_p2u(n);
  else
    hdr->p[0] = n;
  hdr->p[1] = n;
}
LG_NOINLINE static void lg_xl_unlink(lg_slot *hdr, uint32_t id) {
  struct lg_blk *prev = 0, *cur = (struct lg_blk *)hdr->p[0];
  while (cur && cur->id != id) {
    struct lg_blk *next = lg_xl_step(prev, cur);
    prev = cur;
    cur = next;
  }
  if (!cur) { lg_fail("xl_unlink", (int)id); return; }
  struct lg_blk *next = lg_xl_step(prev, cur);
  if (prev)
    prev->s[0].w[0] = lg_p2u(lg_xl_step(cur, prev)) ^ lg_p2u(next);
  else
    hdr->p[0] = next;
  if (next)
    next->s[0].w[0] = lg_p2u(prev) ^ lg_p2u(lg_xl_step(cur, next));
  else
    hdr->p[1] = prev;
}
LG_NOINLINE static void lg_arr_drop(struct lg_blk *a, int n, uint32_t id) {
  for (int k = 0; k < n; k++) {
    struct lg_blk *e = (struct lg_blk *)a->s[k / 4].p[k %% 4];
    if (e && e->id == id) { a->s[k / 4].p[k %% 4] = 0; return; }
  }
  lg_fail("arr_drop", (int)id);
}
'''

CXX_INCLUDES = '''#include <map>
#include <memory>
#include <new>
#include <vector>
struct lg_freer { void operator()(struct lg_blk *) const {} };
'''


def hx(v):
    return '0x%xull' % v


class Slot:
    """A 32-byte slot: in the root array, in a tracked block or in a temp."""

    def __init__(self, owner, j):
        self.owner = owner  # ('root', i) | Blk | Temp
        self.j = j

    def expr(self, var_of):
        """C expression of type lg_slot * (var_of maps owners to C names)."""
        if isinstance(self.owner, tuple):
            return '(&lg_root[%d])' % self.owner[1]
        if isinstance(self.owner, Temp):
            return '(&%s[%d])' % (self.owner.name, self.j)
        return '(&%s->s[%d])' % (var_of(self.owner), self.j)

    def desc(self):
        if isinstance(self.owner, tuple):
            return 'root[%d]' % self.owner[1]
        if isinstance(self.owner, Temp):
            return '%s[%d]' % (self.owner.name, self.j)
        return 'b%d.s[%d]' % (self.owner.id, self.j)


class Temp:
    """An untracked holder block that the program frees."""

    def __init__(self, name):
        self.name = name


class Ctr:
    """A container: XOR list, C++ vector/map/unique_ptr box.  Its header or
    object pointer lives raw in `slot`."""

    def __init__(self, kind, idx, slot):
        self.kind, self.idx, self.slot = kind, idx, slot
        self.name = 'c_%s%d' % (kind, idx)
        self.n = 0        # elements put so far
        self.enc = 'raw'  # vector<uint64_t> element encoding
        self.encp = {}
        self.live = True


class Blk:
    def __init__(self, bid, size):
        self.id = bid
        self.size = size
        self.fate = None          # 'live' | 'leak'
        self.src = 'malloc'
        self.hold = None          # ('slot', Slot) | ('ctr', Ctr, k) | ('arr', Blk, k) | ('box', Blk, k)
        self.enc = None
        self.encp = {}
        self.dk = '0'             # interior kind
        self.d = 0
        self.path = []
        self.sink = 'inline'
        self.reloc = None
        self.kill = None          # how its holder link is cut
        self.free_slots = list(range(NS))
        self.role = 'plain'       # 'plain' | 'arr' | 'box' | 'xlnode' | 'stalec'
        self.string = None
        self.realloc = None       # new size
        self.fp = None            # false pointer left behind: 'stale' | 'muldiv'
        self.noinit = False       # allocated with malloc, never memset
        self.items = []           # arr / box: children
        self.kill_after_sort = False
        self.thread_ok = True

    def desc(self):
        h = self.hold
        if h is None:
            where = 'dropped'
        elif h[0] == 'base':
            where = 'lg_base'
        elif h[0] == 'slot':
            where = h[1].desc()
        elif h[0] == 'ctr':
            where = '%s[%d]' % (h[1].name, h[2])
        else:
            where = 'b%d.%s[%d]' % (h[1].id, h[0], h[2])
        parts = ['src=%s' % self.src]
        if self.path:
            parts.append('path=%s' % ','.join(self.path))
        if self.dk != '0':
            parts.append('d=%s(%d)' % (self.dk, self.d))
        if self.enc:
            parts.append('enc=%s' % self.enc)
        if self.sink != 'inline':
            parts.append('sink=%s' % self.sink)
        if self.reloc:
            parts.append('reloc=%s/%s' % self.reloc)
        if self.realloc:
            parts.append('realloc->%d' % self.realloc)
        if self.role != 'plain':
            parts.append('role=%s' % self.role)
        parts.append('in=%s' % where)
        if self.kill:
            parts.append('kill=%s' % self.kill)
        if self.fp:
            parts.append('falseptr=%s' % self.fp)
        return ' '.join(parts)


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.R = random.Random(seed)
        R = self.R
        self.cxx = R.random() < 0.3
        self.blocks = []
        self.used_sizes = set()
        self.funcs = []           # C function definitions
        self.build = []           # statements of lg_build
        self.locals = []          # declarations of lg_build
        self.ctrs = []
        self.temps = []
        self.root_free = list(range(NROOT))
        R.shuffle(self.root_free)
        self.pending = []         # (kind, obj) events to run later
        self.arrays = []
        self.boxes = []
        self.exit_nested = R.random() < 0.3
        self.use_off32 = R.random() < 0.35
        self.base = None
        # Half the programs never hand their blocks to code built without
        # leakcc (nor let it allocate them): every block stays precisely
        # scanned.  The others use every feature.
        self.pure = R.random() < 0.5

    # ---------------------------------------------------------------- sizes
    def size(self, lo, hi, odd=True):
        R = self.R
        for _ in range(1000):
            s = R.randrange(lo, hi)
            if odd:
                s |= 1
            if lo <= s < hi and s not in self.used_sizes:
                self.used_sizes.add(s)
                return s
        raise RuntimeError('no size left')

    def new_blk(self, off32=False):
        bid = len(self.blocks) + 1
        size = self.size(520, 576, odd=False) if off32 else self.size(601, 2001)
        b = Blk(bid, size)
        self.blocks.append(b)
        self.locals.append('struct lg_blk *b%d = 0;' % bid)
        return b

    def fn(self, text):
        self.funcs.append(text)

    # ---------------------------------------------------------- encodings
    def pick_enc(self, b, allowed=None):
        R = self.R
        encs = list(allowed or SLOT_ENCS)
        if not self.use_off32 or b.size >= 576 or b.src in ('thread_ret', 'thread_glob') \
                or 'thread' in b.path or b.sink == 'thread':
            encs = [e for e in encs if e != 'off32']
        if b.sink in ('sret', 'byval'):
            encs = [e for e in encs if e not in POSDEP]
        if self.pure:
            encs = [e for e in encs if e not in ESCAPING_ENCS]
        return R.choice(encs)

    def enc_params(self, enc):
        R = self.R
        p = {'i': R.randrange(4)}
        if enc == 'raw':
            p['style'] = R.choice(['ptr', 'int'])
        elif enc == 'lowtag':
            p['t'] = R.randrange(1, 8)
        elif enc == 'hightag':
            p['shift'] = R.choice([48, 56])
            p['k'] = R.randrange(1, 256 if p['shift'] == 56 else 65536)
            p['rt'] = R.random() < 0.4
        elif enc == 'nanbox':
            p['box'] = R.choice([0xfff8000000000000, 0xfffc000000000000, 0xfff9000000000000])
            p['dbl'] = R.random() < 0.4
        elif enc in ('xorkey', 'mangle'):
            p['key'] = R.getrandbits(64) | (1 << 63) | (1 << 62)
            p['rt'] = R.random() < 0.3
            p['rot'] = R.choice([11, 17, 29])
        elif enc == 'off32':
            p['j'] = R.randrange(8)
        elif enc == 'packed':
            p['o'] = R.choice([1, 2, 3, 4, 5, 6, 7, 9, 13, 19, 23])
        elif enc == 'split':
            a, c = R.sample(range(8), 2)
            p['lo'], p['hi'] = a, c
            p['hifirst'] = R.random() < 0.5
        elif enc == 'bitfield':
            p['layout'] = R.choice(['bf', 'bf2'])
            p['tag'] = R.choice([0, 0, R.randrange(1, 65536)])
            p['tagfirst'] = R.random() < 0.5
        elif enc == 'vector':
            p['half'] = R.randrange(2)
            p['lane'] = R.randrange(2)
            p['other'] = R.choice([0, 0x1234, 0xdeadbeef])
        elif enc == 'memcpy':
            p['o'] = R.choice([0, 8, 16, 24, 1, 3, 5, 12, 21])
            p['viabuf'] = R.random() < 0.5
            p['o1'] = R.randrange(8)
        elif enc == 'libstore':
            p['o'] = R.choice([0, 8, 16, 24])
        return p

    def word_value(self, enc, p, q):
        """uint64_t expression encoding char *q in one word."""
        if enc == 'raw':
            return 'lg_p2u(%s)' % q
        if enc == 'lowtag':
            return '(lg_p2u(%s) | %du)' % (q, p['t'])
        if enc == 'hightag':
            k = 'lg_tagv' if p.get('rt') else '%du' % p['k']
            return '(((uint64_t)%s << %d) | lg_p2u(%s))' % (k, p['shift'], q)
        if enc == 'nanbox':
            return '(%s | lg_p2u(%s))' % (hx(p['box']), q)
        if enc == 'xorkey':
            k = 'lg_keyv' if p.get('rt') else hx(p['key'])
            return '(lg_p2u(%s) ^ %s)' % (q, k)
        if enc == 'mangle':
            k = 'lg_keyv' if p.get('rt') else hx(p['key'])
            return 'lg_rotl(lg_p2u(%s) ^ %s, %d)' % (q, k, p['rot'])
        raise ValueError(enc)

    def word_decode(self, enc, p, v):
        """char * expression decoding the uint64_t expression v."""
        if enc == 'raw':
            return 'lg_u2p(%s)' % v
        if enc == 'lowtag':
            return 'lg_u2p(%s & ~(uint64_t)7)' % v
        if enc in ('hightag', 'nanbox'):
            return 'lg_u2p(%s & 0x0000ffffffffffffull)' % v
        if enc == 'xorkey':
            k = 'lg_keyv' if p.get('rt') else hx(p['key'])
            return 'lg_u2p(%s ^ %s)' % (v, k)
        if enc == 'mangle':
            k = 'lg_keyv' if p.get('rt') else hx(p['key'])
            return 'lg_u2p(lg_rotr(%s, %d) ^ %s)' % (v, p['rot'], k)
        raise ValueError(enc)

    def enc_store(self, enc, p, s, q, bid):
        """C statements storing char *q into lg_slot *s."""
        i = p['i']
        if enc == 'raw':
            if p['style'] == 'ptr':
                return ['%s->p[%d] = %s;' % (s, i, q)]
            return ['%s->w[%d] = lg_p2u(%s);' % (s, i, q)]
        if enc == 'nanbox' and p['dbl']:
            return ['{ union { uint64_t u; double f; } c_; c_.u = %s; %s->d[%d] = c_.f; }'
                    % (self.word_value(enc, p, q), s, i)]
        if enc in WORD_ENCS:
            return ['%s->w[%d] = %s;' % (s, i, self.word_value(enc, p, q))]
        if enc == 'atomic':
            return ['__atomic_store_n(&%s->w[%d], lg_p2u(%s), __ATOMIC_RELEASE);' % (s, i, q)]
        if enc == 'asm':
            return ['__asm__ volatile("movq %%1, %%0" : "=m"(%s->w[%d]) : "r"(lg_p2u(%s)));'
                    % (s, i, q)]
        if enc == 'xorself':
            return ['%s->w[%d] = lg_p2u(%s) ^ lg_p2u(&%s->w[%d]);' % (s, i, q, s, i)]
        if enc == 'selfrel':
            return ['%s->w[%d] = (uint64_t)((intptr_t)lg_p2u(%s) - (intptr_t)lg_p2u(&%s->w[%d]));'
                    % (s, i, q, s, i)]
        if enc == 'off32':
            j = p['j']
            return ['%s->h[%d] = (uint32_t)(int32_t)((intptr_t)lg_p2u(%s) - (intptr_t)lg_p2u(lg_base));'
                    % (s, j, q),
                    'if ((char *)lg_base + (int32_t)%s->h[%d] != %s) lg_fail("off32", %d);'
                    % (s, j, q, bid)]
        if enc == 'packed':
            return ['((struct lg_pk *)(%s->b + %d))->p = %s;' % (s, p['o'], q)]
        if enc == 'split':
            lo = '%s->h[%d] = (uint32_t)lg_p2u(%s);' % (s, p['lo'], q)
            hi = '%s->h[%d] = (uint32_t)(lg_p2u(%s) >> 32);' % (s, p['hi'], q)
            return [hi, lo] if p['hifirst'] else [lo, hi]
        if enc == 'bitfield':
            f = '%s->%s[%d]' % (s, p['layout'], i)
            a = '%s.ptr = lg_p2u(%s);' % (f, q)
            t = '%s.tag = %du;' % (f, p['tag'])
            return [t, a] if p['tagfirst'] else [a, t]
        if enc == 'vector':
            lanes = ['lg_p2u(%s)' % q, hx(p['other'])]
            if p['lane']:
                lanes.reverse()
            return ['{ lg_v2 v_ = {%s, %s}; %s->v[%d] = v_; }' % (lanes[0], lanes[1], s, p['half'])]
        if enc == 'memcpy':
            if p['viabuf']:
                return ['{ char *q_ = %s; unsigned char buf_[16]; memcpy(buf_ + %d, &q_, 8); '
                        'memcpy(%s->b + %d, buf_ + %d, 8); }' % (q, p['o1'], s, p['o'], p['o1'])]
            return ['{ char *q_ = %s; memcpy(%s->b + %d, &q_, 8); }' % (q, s, p['o'])]
        if enc == 'libstore':
            return ['lib_store_at(%s, %d, %s);' % (s, p['o'], q)]
        if enc == 'out_lib':
            return ['lib_out(%s, &%s->p[%d]);' % (q, s, i)]
        if enc == 'out_join':
            return ['{ pthread_t t_; if (pthread_create(&t_, 0, lg_thr_ident, %s)) abort(); '
                    'pthread_join(t_, &%s->p[%d]); }' % (q, s, i)]
        if enc == 'out_strtol':
            return ['if (strtol(%s + LG_PO, (char **)&%s->p[%d], 10) != 4711) lg_fail("strtol", %d);'
                    % (q, s, i, bid)]
        if enc == 'out_strtok':
            return ['if (!strtok_r(%s + LG_PO, " ", (char **)&%s->p[%d])) lg_fail("strtok", %d);'
                    % (q, s, i, bid)]
        if enc == 'out_getline':
            return ['%s->p[%d] = %s + LG_PO;' % (s, i, q),
                    '{ FILE *f_ = fmemopen((void *)lg_line, sizeof lg_line - 1, "r"); size_t n_ = 64;',
                    '  if (getline((char **)&%s->p[%d], &n_, f_) != 8) lg_fail("getline", %d);' % (s, i, bid),
                    '  fclose(f_); }']
        raise ValueError(enc)

    def enc_load(self, enc, p, s):
        """char * expression decoding lg_slot *s."""
        i = p['i']
        if enc == 'raw':
            return '(char *)%s->p[%d]' % (s, i) if p['style'] == 'ptr' else 'lg_u2p(%s->w[%d])' % (s, i)
        if enc == 'nanbox' and p['dbl']:
            return 'lg_u2p(({ union { uint64_t u; double f; } c_; c_.f = %s->d[%d]; c_.u; }) & 0x0000ffffffffffffull)' % (s, i)
        if enc in WORD_ENCS:
            return self.word_decode(enc, p, '%s->w[%d]' % (s, i))
        if enc in ('atomic', 'asm'):
            return 'lg_u2p(%s->w[%d])' % (s, i)
        if enc == 'xorself':
            return 'lg_u2p(%s->w[%d] ^ lg_p2u(&%s->w[%d]))' % (s, i, s, i)
        if enc == 'selfrel':
            return '((char *)&%s->w[%d] + (intptr_t)%s->w[%d])' % (s, i, s, i)
        if enc == 'off32':
            return '((char *)lg_base + (int32_t)%s->h[%d])' % (s, p['j'])
        if enc == 'packed':
            return '(char *)((struct lg_pk *)(%s->b + %d))->p' % (s, p['o'])
        if enc == 'split':
            return 'lg_u2p(((uint64_t)%s->h[%d] << 32) | %s->h[%d])' % (s, p['hi'], s, p['lo'])
        if enc == 'bitfield':
            return 'lg_u2p(%s->%s[%d].ptr)' % (s, p['layout'], i)
        if enc == 'vector':
            return 'lg_u2p(%s->v[%d][%d])' % (s, p['half'], p['lane'])
        if enc == 'memcpy':
            return '({ char *q_; memcpy(&q_, %s->b + %d, 8); q_; })' % (s, p['o'])
        if enc == 'libstore':
            return '(char *)%s->p[%d]' % (s, p['o'] // 8)
        if enc in OUT_ENCS or enc == 'out_alloc':
            return '(char *)%s->p[%d]' % (s, i)
        raise ValueError(enc)

    # ------------------------------------------------------- interior offset
    def pick_d(self, b, enc):
        R = self.R
        if enc in ENC_D:
            dk = ENC_D[enc]
            if dk == 'payload':
                return dk, PO
            b.string = STRING_D[dk][0]
            return dk, PO + STRING_D[dk][1]
        if enc == 'out_alloc':
            return '0', 0
        kinds = ['0'] * 6 + ['field'] * 2 + ['mid', 'end', 'below'] + list(STRING_D) * 1
        if enc == 'lowtag':
            kinds = ['0', '0', 'field']
        elif enc in MASKISH or enc == 'vector':
            kinds = [k for k in kinds if k != 'below']
            if enc == 'bitfield':
                kinds = [k for k in kinds if k != 'end']
        if b.noinit or b.role in ('box',) or b.src in SLOT_SRCS:
            kinds = [k for k in kinds if k not in STRING_D]
        if self.pure:
            kinds = [k for k in kinds if k not in ESCAPING_D]
        dk = R.choice(kinds)
        if dk == '0':
            d = 0
        elif dk == 'field':
            d = SLOT0 + 8 * R.randrange(4 * NS)
        elif dk == 'mid':
            d = R.randrange(1, b.size)
        elif dk == 'end':
            d = b.size
        elif dk == 'below':
            d = -1
        else:
            b.string = STRING_D[dk][0]
            d = PO + STRING_D[dk][1]
        return dk, d

    def d_code(self, b):
        """Statements turning q (the block) into q + d."""
        dk = b.dk
        if dk == '0' or b.enc in ENC_D:
            return []
        if dk in ('field', 'mid', 'end'):
            return ['q = q + %d;' % b.d]
        if dk == 'below':
            return ['q = q - 1;']
        if dk == 'strtol':
            return ['{ char *e_ = 0; if (strtol(q + LG_PO, &e_, 10) != 4711) lg_fail("strtol", %d); q = e_; }' % b.id]
        if dk == 'strtod':
            return ['{ char *e_ = 0; if (strtod(q + LG_PO, &e_) != 2500.0) lg_fail("strtod", %d); q = e_; }' % b.id]
        if dk == 'strtok':
            return ['{ char *sv_ = 0; if (!strtok_r(q + LG_PO, " ", &sv_)) lg_fail("strtok", %d); q = sv_; }' % b.id]
        if dk == 'strchr':
            return ['q = strchr(q + LG_PO, \':\');']
        raise ValueError(dk)

    # ------------------------------------------------------------ transports
    def pick_path(self, b):
        R = self.R
        opts = ['ident', 'asmid', 'sret', 'pair', 'libout', 'libout_heap', 'cell',
                'global', 'memcpy', 'select', 'int', 'thread']
        if self.pure:
            opts = [o for o in opts if o not in ESCAPING_PATHS]
        n = R.choice([0, 0, 1, 1, 2, 3])
        return [R.choice(opts) for _ in range(n)]

    def path_code(self, b):
        out = []
        for t in b.path:
            if t == 'ident':
                out.append('q = (char *)lg_ident(q);')
            elif t == 'asmid':
                out.append('__asm__ volatile("" : "+r"(q));')
            elif t == 'sret':
                out.append('{ struct lg_big r_ = lg_mkbig(q, %d); q = (char *)r_.p; }' % b.id)
            elif t == 'pair':
                out.append('{ struct lg_pair r_ = lg_mkpair(q, %d); q = (char *)r_.p; }' % b.id)
            elif t == 'libout':
                out.append('{ void *o_ = 0; lib_out(q, &o_); q = (char *)o_; }')
            elif t == 'libout_heap':
                out.append('{ lg_slot *c_ = (lg_slot *)malloc(64); lib_out(q, &c_->p[1]); '
                           'q = (char *)c_->p[1]; free(c_); }')
            elif t == 'cell':
                out.append('{ lg_slot *c_ = (lg_slot *)malloc(48); c_->p[0] = q; '
                           '__asm__ volatile("" : : "r"(c_) : "memory"); q = (char *)c_->p[0]; free(c_); }')
            elif t == 'global':
                out.append('lg_hand = q; q = (char *)lg_hand; lg_hand = 0;')
            elif t == 'memcpy':
                out.append('{ unsigned char t_[16]; memcpy(t_ + 3, &q, 8); '
                           '__asm__ volatile("" : : "r"(t_) : "memory"); memcpy(&q, t_ + 3, 8); }')
            elif t == 'select':
                out.append('q = lg_one ? q : (char *)0;')
            elif t == 'int':
                out.append('{ uint64_t u_ = lg_p2u(q) + lg_zero; q = lg_u2p(u_); }')
            elif t == 'thread':
                out.append('{ pthread_t t_; void *r_ = 0; if (pthread_create(&t_, 0, lg_thr_ident, q)) abort(); '
                           'pthread_join(t_, &r_); q = (char *)r_; }')
        return out

    # --------------------------------------------------------------- sources
    def pick_src(self, b):
        R = self.R
        opts = ['malloc'] * 4 + ['calloc', 'realloc0', 'aligned_alloc', 'posix_memalign',
                                 'posix_memalign_heap', 'memalign', 'strdup', 'thread_ret',
                                 'thread_glob', 'libout_alloc', 'getline', 'getline_heap']
        if b.hold and b.hold[0] == 'slot' and not b.kill_after_sort:
            opts += SLOT_SRCS
        if self.pure:
            opts = [o for o in opts if o not in ESCAPING_SRCS]
        if self.cxx:
            opts += ['new', 'opnew', 'new_nothrow']
        return R.choice(opts)

    def alloc_code(self, b):
        """Body of lg_createN: allocates the block into char *m."""
        n, bid, src = b.size, b.id, b.src
        if src == 'malloc':
            return ['char *m = (char *)malloc(%d);' % n]
        if src == 'calloc':
            return ['char *m = (char *)calloc(1, %d);' % n]
        if src == 'realloc0':
            return ['char *m = (char *)realloc(0, %d);' % n]
        if src == 'aligned_alloc':
            return ['char *m = (char *)aligned_alloc(64, %d);' % n]
        if src == 'memalign':
            return ['char *m = (char *)memalign(32, %d);' % n]
        if src == 'posix_memalign':
            return ['void *v_ = 0;', 'if (posix_memalign(&v_, 32, %d)) lg_fail("pm", %d);' % (n, bid),
                    'char *m = (char *)v_;']
        if src == 'posix_memalign_heap':
            return ['lg_slot *c_ = (lg_slot *)calloc(1, 64);',
                    'if (posix_memalign(&c_->p[2], 64, %d)) lg_fail("pm", %d);' % (n, bid),
                    'char *m = (char *)c_->p[2];', 'free(c_);']
        if src == 'strdup':
            return ['char *m = strdup(lg_str(%d));' % (n - 1)]
        if src == 'libout_alloc':
            return ['void *v_ = 0;', 'lib_alloc_out(%d, &v_);' % n, 'char *m = (char *)v_;']
        if src == 'getline':
            return ['FILE *f_ = fmemopen((void *)lg_line, sizeof lg_line - 1, "r");',
                    'char *m = (char *)malloc(%d);' % n, 'size_t n_ = %d;' % n,
                    'if (getline(&m, &n_, f_) != 8) lg_fail("getline", %d);' % bid,
                    'fclose(f_);']
        if src == 'getline_heap':
            return ['FILE *f_ = fmemopen((void *)lg_line, sizeof lg_line - 1, "r");',
                    'lg_slot *c_ = (lg_slot *)calloc(1, 64);',
                    'c_->p[1] = malloc(%d);' % n, 'size_t n_ = %d;' % n,
                    'if (getline((char **)&c_->p[1], &n_, f_) != 8) lg_fail("getline", %d);' % bid,
                    'fclose(f_);', 'char *m = (char *)c_->p[1];', 'free(c_);']
        if src == 'new':
            return ['char *m = new char[%d];' % n]
        if src == 'opnew':
            return ['char *m = (char *)::operator new(%d);' % n]
        if src == 'new_nothrow':
            return ['char *m = new (std::nothrow) char[%d];' % n]
        raise ValueError(src)

    def emit_create(self, b):
        """Emits lg_createN (and its thread) and the build statement."""
        name = 'lg_create%d' % b.id
        inner = 'lg_alloc%d' % b.id
        stmts = []
        if b.src not in ('thread_ret', 'thread_glob'):
            body = self.alloc_code(b)
        else:
            real = self.R.choice(['malloc', 'calloc'] + ([] if self.pure else ['libout_alloc']))
            saved = b.src
            b.src = real
            body = self.alloc_code(b)
            b.src = saved
            b.src_inner = real
        stmts += body
        stmts.append('struct lg_blk *b = lg_stamp(m, %d, %d);' % (b.id, b.size))
        if b.string:
            stmts.append('strcpy((char *)b + LG_PO, "%s");' % b.string)
        stmts.append('return b;')
        if b.src in ('thread_ret', 'thread_glob'):
            self.fn('LG_NOINLINE static struct lg_blk *%s(void) {\n  %s\n}\n' % (inner, '\n  '.join(stmts)))
            if b.src == 'thread_ret':
                self.fn('static void *lg_thr%d(void *a) { (void)a; return %s(); }\n' % (b.id, inner))
                self.fn('LG_NOINLINE static struct lg_blk *%s(void) {\n'
                        '  pthread_t t; void *r = 0;\n'
                        '  if (pthread_create(&t, 0, lg_thr%d, 0)) abort();\n'
                        '  pthread_join(t, &r);\n'
                        '  return (struct lg_blk *)r;\n}\n' % (name, b.id))
            else:
                self.fn('static void *lg_thr%d(void *a) { (void)a; lg_hand = %s(); return 0; }\n' % (b.id, inner))
                self.fn('LG_NOINLINE static struct lg_blk *%s(void) {\n'
                        '  pthread_t t;\n'
                        '  if (pthread_create(&t, 0, lg_thr%d, 0)) abort();\n'
                        '  pthread_join(t, 0);\n'
                        '  struct lg_blk *b = (struct lg_blk *)lg_hand;\n'
                        '  lg_hand = 0;\n'
                        '  return b;\n}\n' % (name, b.id))
        else:
            self.fn('LG_NOINLINE static struct lg_blk *%s(void) {\n  %s\n}\n' % (name, '\n  '.join(stmts)))
        self.build.append('b%d = %s();' % (b.id, name))

    # ------------------------------------------------------------- attaching
    def store_fn_body(self, b, s='s', q='q'):
        """Encoding statements (with an optional relocation through a scratch
        slot) storing q into s."""
        out = []
        if b.reloc:
            scratch, how = b.reloc
            if scratch == 'stack':
                out.append('lg_slot x_; memset(&x_, 0, sizeof x_);')
                sx = '(&x_)'
            elif scratch == 'heap':
                out.append('lg_slot *x_ = (lg_slot *)calloc(1, sizeof(lg_slot));')
                sx = 'x_'
            else:
                out.append('lg_slot *x_ = &lg_root[%d];' % self.scratch_root)
                sx = 'x_'
            out += self.enc_store(b.enc, b.encp, sx, q, b.id)
            if how == 'assign':
                out.append('*%s = *%s;' % (s, sx))
            elif how == 'memcpy':
                out.append('memcpy(%s, %s, sizeof(lg_slot));' % (s, sx))
            elif how == 'memmove':
                out.append('memmove(%s, %s, sizeof(lg_slot));' % (s, sx))
            else:
                out.append('for (int k_ = 0; k_ < 4; k_++) %s->w[k_] = %s->w[k_];' % (s, sx))
            if scratch == 'heap':
                out.append('free(x_);')
            else:
                out.append('memset(%s, 0, sizeof(lg_slot));' % sx)
        else:
            out += self.enc_store(b.enc, b.encp, s, q, b.id)
        return out

    def emit_attach_slot(self, b, slot, svar):
        """lg_attachN(lg_slot *s, struct lg_blk *b): path, interior, sink."""
        name = 'lg_attach%d' % b.id
        body = ['char *q = (char *)b;'] + self.path_code(b) + self.d_code(b)
        store = self.store_fn_body(b)
        if b.sink == 'inline':
            body += store
        elif b.sink == 'helper':
            self.fn('LG_NOINLINE static void lg_put%d(lg_slot *s, char *q) {\n  %s\n}\n'
                    % (b.id, '\n  '.join(store)))
            body.append('lg_put%d(s, q);' % b.id)
        elif b.sink == 'va':
            pad = self.R.randrange(6)
            self.fn('LG_NOINLINE static void lg_va%d(int n, ...) {\n'
                    '  va_list ap;\n  va_start(ap, n);\n'
                    '  for (int k_ = 0; k_ < n - 2; k_++) (void)va_arg(ap, long);\n'
                    '  lg_slot *s = va_arg(ap, lg_slot *);\n'
                    '  char *q = va_arg(ap, char *);\n'
                    '  va_end(ap);\n  %s\n}\n' % (b.id, '\n  '.join(store)))
            args = ''.join('%dL, ' % (k + 1) for k in range(pad))
            body.append('lg_va%d(%d, %ss, q);' % (b.id, pad + 2, args))
        elif b.sink == 'thread':
            self.fn('struct lg_targ%d { lg_slot *s; char *q; };\n'
                    'static void *lg_tput%d(void *a) {\n'
                    '  lg_slot *s = ((struct lg_targ%d *)a)->s;\n'
                    '  char *q = ((struct lg_targ%d *)a)->q;\n'
                    '  %s\n  return 0;\n}\n' % (b.id, b.id, b.id, b.id, '\n  '.join(store)))
            body.append('struct lg_targ%d a_; a_.s = s; a_.q = q;' % b.id)
            body.append('pthread_t t_; if (pthread_create(&t_, 0, lg_tput%d, &a_)) abort(); pthread_join(t_, 0);'
                        % b.id)
        elif b.sink == 'libcb':
            # The plain library calls back with the pointer.
            self.fn('static void lg_cbput%d(void *ctx, void *p) {\n'
                    '  lg_slot *s = (lg_slot *)ctx;\n  char *q = (char *)p;\n  %s\n}\n'
                    % (b.id, '\n  '.join(store)))
            body.append('lib_call(lg_cbput%d, s, q);' % b.id)
        elif b.sink == 'sret':
            # The slot is built in a struct returned by value (sret).
            self.fn('LG_NOINLINE static lg_slot lg_mk%d(char *q) {\n'
                    '  lg_slot r_;\n  memset(&r_, 0, sizeof r_);\n  lg_slot *s = &r_;\n  %s\n'
                    '  return r_;\n}\n' % (b.id, '\n  '.join(store)))
            body.append('*s = lg_mk%d(q);' % b.id)
        elif b.sink == 'byval':
            # The slot is built here and passed by value to the function
            # that stores it.
            self.fn('LG_NOINLINE static void lg_st%d(lg_slot *s, lg_slot v) {\n  *s = v;\n}\n' % b.id)
            body.append('{ lg_slot v_; memset(&v_, 0, sizeof v_); lg_slot *d_ = s; { lg_slot *s = &v_;')
            body += ['  ' + x for x in store]
            body.append('} lg_st%d(d_, v_); }' % b.id)
        self.fn('LG_NOINLINE static void %s(lg_slot *s, struct lg_blk *b) {\n  %s\n}\n'
                % (name, '\n  '.join(body)))
        self.build.append('%s(%s, b%d);' % (name, svar, b.id))

    def slot_var(self, slot):
        return slot.expr(lambda o: 'b%d' % o.id)

    def attach(self, b):
        """Emits the store of b into its holder."""
        h = b.hold
        if h is None:
            return
        if h[0] == 'slot':
            self.emit_attach_slot(b, h[1], self.slot_var(h[1]))
        elif h[0] == 'ctr':
            c, k = h[1], h[2]
            pre = ['char *q = (char *)b;'] + self.path_code(b)
            if c.kind == 'xl':
                pre.append('lg_xl_append(s, (struct lg_blk *)q);')
                sig = 'lg_slot *s'
                arg = self.slot_var(c.slot)
            elif c.kind == 'vec':
                pre.append('v->push_back(%s);' % self.word_value(c.enc, c.encp, 'q'))
                sig = 'std::vector<uint64_t> *v'
                arg = c.name
            elif c.kind == 'map':
                pre.append('(*m)[%d] = q;' % b.id)
                sig = 'std::map<int, char *> *m'
                arg = c.name
            elif c.kind == 'uptr':
                pre.append('u->at(%d).reset((struct lg_blk *)q);' % k)
                sig = 'std::vector<std::unique_ptr<struct lg_blk, lg_freer> > *u'
                arg = c.name
            self.fn('LG_NOINLINE static void lg_attach%d(%s, struct lg_blk *b) {\n  %s\n}\n'
                    % (b.id, sig, '\n  '.join(pre)))
            self.build.append('lg_attach%d(%s, b%d);' % (b.id, arg, b.id))
        elif h[0] == 'arr':
            a, k = h[1], h[2]
            pre = ['char *q = (char *)b;'] + self.path_code(b)
            pre.append('a->s[%d].p[%d] = q;' % (k // 4, k % 4))
            self.fn('LG_NOINLINE static void lg_attach%d(struct lg_blk *a, struct lg_blk *b) {\n  %s\n}\n'
                    % (b.id, '\n  '.join(pre)))
            self.build.append('lg_attach%d(b%d, b%d);' % (b.id, a.id, b.id))
        elif h[0] == 'box':
            a, k = h[1], h[2]
            if b.src == 'callback':
                return  # created and stored by lib_box_fill
            pre = ['char *q = (char *)b;'] + self.path_code(b)
            if a.src == 'our_box_via':
                pre.append('{ struct lib_box *r_ = (struct lib_box *)a; lib_box_set_via(&r_, %d, q); }' % k)
            else:
                pre.append('lib_box_set((struct lib_box *)a, %d, q);' % k)
            self.fn('LG_NOINLINE static void lg_attach%d(struct lg_blk *a, struct lg_blk *b) {\n  %s\n}\n'
                    % (b.id, '\n  '.join(pre)))
            self.build.append('lg_attach%d(b%d, b%d);' % (b.id, a.id, b.id))

    # ----------------------------------------------------------------- kills
    def emit_kill(self, b):
        h = b.hold
        R = self.R
        if h[0] == 'slot':
            slot = h[1]
            if isinstance(slot.owner, Temp):
                b.kill = 'free_holder'
                self.build.append('free(%s); %s = 0;' % (slot.owner.name, slot.owner.name))
                return
            how = R.choice(['memset', 'zero', 'garbage'])
            b.kill = 'overwrite_' + how
            name = 'lg_kill%d' % b.id
            if how == 'memset':
                body = 'memset(s, 0, sizeof *s);'
            elif how == 'zero':
                body = 'for (int k_ = 0; k_ < 4; k_++) s->w[k_] = 0;'
            else:
                body = 'memset(s, 0, sizeof *s);\n  s->w[%d] = %s;' % (R.randrange(4), hx(R.getrandbits(31)))
            self.fn('LG_NOINLINE static void %s(lg_slot *s) {\n  %s\n}\n' % (name, body))
            self.build.append('%s(%s);' % (name, self.slot_var(slot)))
            # The slot can be used again.
            self.release_slot(slot)
        elif h[0] == 'ctr':
            c, k = h[1], h[2]
            if c.kind == 'xl':
                b.kill = 'xl_unlink'
                self.build.append('lg_xl_unlink(%s, %d);' % (self.slot_var(c.slot), b.id))
            elif c.kind == 'vec':
                b.kill = 'vec_clear_elem'
                self.build.append('(*%s)[%d] = 0;' % (c.name, k))
            elif c.kind == 'map':
                b.kill = 'map_erase'
                self.build.append('%s->erase(%d);' % (c.name, b.id))
            elif c.kind == 'uptr':
                b.kill = 'uptr_release'
                self.build.append('(void)%s->at(%d).release();' % (c.name, k))
        elif h[0] == 'arr':
            b.kill = 'arr_drop'
            # run after the sort
            self.build.append('lg_arr_drop(b%d, %d, %d);' % (h[1].id, 4 * NS, b.id))
        elif h[0] == 'box':
            b.kill = 'box_clear'
            if h[1].src == 'our_box_via':
                self.build.append('{ struct lib_box *r_ = (struct lib_box *)b%d; lib_box_set_via(&r_, %d, 0); }'
                                  % (h[1].id, h[2]))
            else:
                self.build.append('lib_box_set((struct lib_box *)b%d, %d, 0);' % (h[1].id, h[2]))

    def release_slot(self, slot):
        o = slot.owner
        if isinstance(o, tuple):
            self.root_free.append(o[1])
        elif isinstance(o, Blk):
            o.free_slots.append(slot.j)

    # --------------------------------------------------------------- holders
    def live_owners(self):
        return [b for b in self.blocks if b.fate == 'live' and b.role in ('plain', 'xlnode', 'stalec')
                and b.free_slots and self.depth(b) < 5 and not getattr(b, 'killpending', False)]

    def depth(self, b):
        d = 0
        while d < 50 and b is not None and b.hold and b.hold[0] == 'slot' and isinstance(b.hold[1].owner, Blk):
            b = b.hold[1].owner
            d += 1
        return d

    def take_slot(self, owner):
        if owner == 'root':
            return Slot(('root', self.root_free.pop()), 0)
        j = self.R.choice(owner.free_slots)
        owner.free_slots.remove(j)
        return Slot(owner, j)

    def pick_live_slot(self, posdep_ok=True):
        cands = ['root'] * (2 if self.root_free else 0)
        cands += [b for b in self.live_owners() if posdep_ok or not b.realloc]
        if not cands:
            return None
        return self.take_slot(self.R.choice(cands))

    # ----------------------------------------------------------------- plan
    def setup_containers(self):
        R = self.R
        kinds = []
        if R.random() < 0.3:
            kinds.append('xl')
        if self.cxx:
            for k in ('vec', 'map', 'uptr'):
                if R.random() < 0.5:
                    kinds.append(k)
        for i, k in enumerate(kinds):
            slot = self.pick_live_slot()
            c = Ctr(k, i, slot)
            self.ctrs.append(c)
            if k == 'xl':
                # the header (head, tail) lives in the slot itself
                self.build.append('memset(%s, 0, sizeof(lg_slot));' % self.slot_var(slot))
                continue
            if k == 'vec':
                c.enc = R.choice(WORD_ENCS)
                c.encp = self.enc_params(c.enc)
                c.encp['dbl'] = False
                typ = 'std::vector<uint64_t>'
            elif k == 'map':
                typ = 'std::map<int, char *>'
            else:
                typ = 'std::vector<std::unique_ptr<struct lg_blk, lg_freer> >'
            self.locals.append('%s *%s = 0;' % (typ, c.name))
            self.build.append('%s = new %s();' % (c.name, typ))
            if k == 'uptr':
                self.build.append('%s->resize(8);' % c.name)
            self.build.append('%s->p[0] = %s;' % (self.slot_var(slot), c.name))

    def plan(self):
        R = self.R
        self.scratch_root = self.root_free.pop()
        if self.use_off32:
            b = self.new_blk(off32=True)
            b.fate = 'live'
            b.role = 'base'
            b.free_slots = []
            b.src = 'malloc'
            self.emit_create(b)
            self.build.append('lg_base = b%d;' % b.id)
            self.base = b
            b.hold = ('base',)
        self.setup_containers()
        n_live = R.randint(4, 9)
        n_leak = R.randint(3, 7)
        todo = ['live'] * n_live + ['leak'] * n_leak
        if R.random() < 0.35:
            todo.append('arr')
        if R.random() < 0.35 and not self.pure:
            todo.append('box')
        R.shuffle(todo)
        for t in todo:
            if t == 'live':
                self.make_block('live')
            elif t == 'leak':
                self.make_block('leak')
            elif t == 'arr':
                self.make_array()
            elif t == 'box':
                self.make_box()
            self.run_pending(R.randrange(3))
        self.run_pending(10 ** 6)
        for a in self.arrays:
            if a.nitems:
                self.build.append('%s(b%d->s, %d, sizeof(void *), lg_cmp);'
                                  % ('qsort' if a.sort == 'qsort' else 'lib_sort_wrap', a.id, a.nitems))
            for it in a.items:
                if it.fate == 'leak' and it.hold[0] == 'arr' and it.kill_after_sort:
                    self.emit_kill(it)
        self.compute_fates()

    def run_pending(self, n):
        R = self.R
        for _ in range(n):
            if not self.pending:
                return
            ev = self.pending.pop(R.randrange(len(self.pending)))
            kind, b = ev
            if kind == 'kill':
                self.emit_kill(b)
            elif kind == 'realloc_attach':
                self.do_realloc(b)
                self.attach(b)

    def do_realloc(self, b):
        ns = self.size(2001, 3001)
        b.realloc = ns
        self.fn('LG_NOINLINE static struct lg_blk *lg_grow%d(struct lg_blk *b) {\n'
                '  char *m = (char *)realloc(b, %d);\n'
                '  if (!m) abort();\n'
                '  lg_note(%d, m, %d);\n'
                '  return (struct lg_blk *)m;\n}\n' % (b.id, ns, b.id, ns))
        self.build.append('b%d = lg_grow%d(b%d);' % (b.id, b.id, b.id))
        b.size = ns
        if b.dk == 'end':
            b.d = ns

    def choose_holder(self, b, fate):
        """Returns (hold, kill?)"""
        R = self.R
        if fate == 'live':
            opts = ['slot'] * 6
            opts += ['ctr'] * (2 * len([c for c in self.ctrs if self.ctr_room(c)]))
            opts += ['arr'] * (2 * len([a for a in self.arrays if a.fate == 'live' and a.nitems < 4 * NS and not a.sorted]))
            opts += ['box'] * (2 * len([a for a in self.boxes if a.fate == 'live' and a.nitems < 8]))
            mech = R.choice(opts)
            return self.holder_of(mech, b, live=True), None
        mech = R.choice(['drop', 'overwrite', 'overwrite', 'freetemp', 'indirect', 'indirect', 'container'])
        if mech == 'indirect':
            owners = [x for x in self.blocks if x.fate == 'leak' and x.role in ('plain', 'xlnode') and x.free_slots]
            owners += [x for x in self.blocks if getattr(x, 'killpending', False) and x.role == 'plain' and x.free_slots]
            if owners:
                o = R.choice(owners)
                return ('slot', self.take_slot(o)), None
            mech = 'overwrite'
        if mech == 'container':
            opts = [('ctr', c) for c in self.ctrs if self.ctr_room(c)]
            opts += [('arr', a) for a in self.arrays if a.fate == 'live' and a.nitems < 4 * NS and not a.sorted]
            opts += [('box', a) for a in self.boxes if a.fate == 'live' and a.nitems < 8]
            if opts:
                kind, o = R.choice(opts)
                return self.holder_of(kind, b, live=True, obj=o), 'kill'
            mech = 'overwrite'
        if mech == 'overwrite':
            slot = self.pick_live_slot()
            if slot is None:
                return None, None
            return ('slot', slot), 'kill'
        if mech == 'freetemp':
            t = Temp('t%d' % (len(self.temps) + 1))
            self.temps.append(t)
            self.locals.append('lg_slot *%s = 0;' % t.name)
            self.build.append('%s = (lg_slot *)calloc(3, sizeof(lg_slot));' % t.name)
            return ('slot', Slot(t, R.randrange(3))), 'kill'
        return None, None

    def ctr_room(self, c):
        return c.n < 8

    def holder_of(self, mech, b, live, obj=None):
        R = self.R
        if mech == 'slot':
            slot = self.pick_live_slot()
            if slot is None:
                return None
            return ('slot', slot)
        if mech == 'ctr':
            c = obj or R.choice([c for c in self.ctrs if self.ctr_room(c)])
            k = c.n
            c.n += 1
            return ('ctr', c, k)
        if mech == 'arr':
            a = obj or R.choice([a for a in self.arrays if a.fate == 'live' and a.nitems < 4 * NS and not a.sorted])
            k = a.nitems
            a.nitems += 1
            a.items.append(b)
            return ('arr', a, k)
        if mech == 'box':
            a = obj or R.choice([a for a in self.boxes if a.fate == 'live' and a.nitems < 8])
            k = a.nitems
            a.nitems += 1
            a.items.append(b)
            return ('box', a, k)

    def make_block(self, fate, forced_hold=None):
        R = self.R
        want_off32 = self.use_off32 and R.random() < 0.35
        b = self.new_blk(off32=want_off32)
        hold, kill = self.choose_holder(b, fate)
        b.fate = fate
        if hold is None and fate == 'live':
            # no room left anywhere: the block is dropped (a leak)
            b.fate = fate = 'leak'
            kill = None
        b.hold = hold
        # Source
        if hold and hold[0] == 'box' and R.random() < 0.7:
            b.src = 'callback'
        else:
            b.src = self.pick_src(b)
        if b.src == 'aligned_alloc':
            # C11 (and LSan) want a multiple of the alignment.
            for _ in range(1000):
                n = 64 * R.randrange(10, 32)
                if n not in self.used_sizes:
                    break
            self.used_sizes.add(n)
            b.size = n
        b.noinit = False
        # Realloc'd container (live blocks held in slots only)
        realloc = (hold is not None and kill is None and hold[0] == 'slot' and not isinstance(hold[1].owner, Temp)
                   and b.size >= 576 and R.random() < 0.15 and b.src not in ('aligned_alloc', 'memalign',
                   'posix_memalign', 'posix_memalign_heap', 'new', 'opnew', 'new_nothrow', 'thread_ret',
                   'thread_glob', 'getline', 'getline_heap', 'strdup', 'libout_alloc'))
        # Encoding, interior, path, sink
        if b.src in SLOT_SRCS:
            realloc = False
            b.enc = 'out_alloc'
            b.encp = {'i': R.randrange(4)}
        elif hold and hold[0] == 'slot':
            b.path = self.pick_path(b)
            b.sink = R.choice([k for k in SINKS if not (self.pure and k == 'libcb')])
            allowed = SLOT_ENCS
            if isinstance(hold[1].owner, Blk) and getattr(hold[1].owner, 'will_realloc', False):
                allowed = [e for e in SLOT_ENCS if e not in POSDEP]
            b.enc = self.pick_enc(b, allowed)
            b.encp = self.enc_params(b.enc)
            b.dk, b.d = self.pick_d(b, b.enc)
            if b.enc not in POSDEP and R.random() < 0.2:
                b.reloc = (R.choice(['stack', 'heap', 'global']), R.choice(['assign', 'memcpy', 'memmove', 'words']))
        elif hold:
            b.path = self.pick_path(b) if b.src != 'callback' else []
            if hold[0] == 'ctr' and hold[1].kind == 'vec':
                b.enc = hold[1].enc
                b.encp = hold[1].encp
        if hold and hold[0] == 'ctr' and hold[1].kind == 'xl':
            b.role = 'xlnode'
            b.free_slots = [j for j in b.free_slots if j != 0]
        # Create
        if b.src == 'callback':
            self.emit_callback_item(b)
        elif b.src in SLOT_SRCS:
            self.emit_create_in_slot(b)
        else:
            self.emit_create(b)
        if realloc:
            b.will_realloc = True
            b.killpending = False
            self.pending.append(('realloc_attach', b))
        elif b.src not in SLOT_SRCS:
            self.attach(b)
        if kill:
            b.killpending = True
            if hold[0] == 'arr':
                b.kill_after_sort = True
            else:
                self.pending.append(('kill', b))
        # False pointers left behind by leaked blocks
        if fate == 'leak' and R.random() < 0.4:
            self.false_pointer(b)
        return b

    def false_pointer(self, x, kind=None):
        R = self.R
        kind = kind or R.choice(['stale', 'muldiv'])
        if kind == 'muldiv':
            owners = [o for o in self.live_owners()] + (['root'] if self.root_free else [])
            if not owners:
                return
            slot = self.take_slot(R.choice(owners))
            x.fp = 'muldiv'
            x.fp_slot = slot
            i = R.randrange(4)
            if R.random() < 0.5:
                body = 's->w[%d] = lg_div(lg_mul(lg_p2u(x), lg_k3), lg_k3);' % i
            else:
                body = 'uint64_t k_ = lg_k3;\n  s->w[%d] = (lg_p2u(x) * k_) / k_;' % i
            self.fn('LG_NOINLINE static void lg_plant%d(lg_slot *s, struct lg_blk *x) {\n  %s\n}\n'
                    % (x.id, body))
            self.build.append('lg_plant%d(%s, b%d);' % (x.id, self.slot_var(slot), x.id))
        else:
            # A new live block recycles a freed chunk that held x's address.
            c = self.new_blk()
            c.role = 'stalec'
            c.src = 'malloc'
            c.noinit = True
            c.free_slots = [j for j in c.free_slots if j != NS - 1]
            x.fp = 'stale(b%d)' % c.id
            x.fp_blk = c
            word = (SLOT0 + 32 * (NS - 1) + 8) // 8
            self.fn('LG_NOINLINE static struct lg_blk *lg_create%d(struct lg_blk *x) {\n'
                    '  uint64_t *t = (uint64_t *)malloc(%d);\n'
                    '  t[%d] = lg_p2u(x);\n'
                    '  __asm__ volatile("" : : "r"(t) : "memory");\n'
                    '  uintptr_t old = (uintptr_t)t;\n'
                    '  free(t);\n'
                    '  char *m = (char *)malloc(%d);\n'
                    '  lg_recycled(%d, (uintptr_t)m == old);\n'
                    '  return lg_stamp(m, %d, %d);\n}\n'
                    % (c.id, c.size, word, c.size, c.id, c.id, c.size))
            self.build.append('b%d = lg_create%d(b%d);' % (c.id, c.id, x.id))
            hold = self.holder_of('slot', c, True)
            c.fate = 'live'
            c.hold = hold
            if hold is None:
                c.fate = 'leak'
                return
            self.stalec_shape(c)
            self.attach(c)

    def stalec_shape(self, c):
        """How the block that recycles a stale chunk is kept."""
        c.path = self.pick_path(c)
        c.enc = self.pick_enc(c, [e for e in SLOT_ENCS if e != 'off32' and e not in ENC_D])
        c.encp = self.enc_params(c.enc)
        c.dk, c.d = self.pick_d(c, c.enc)

    def holder_shape(self, b):
        """How an array or a box is itself kept."""
        b.path = self.pick_path(b)
        b.enc = self.pick_enc(b, [e for e in SLOT_ENCS if e != 'off32'])
        b.encp = self.enc_params(b.enc)
        b.dk, b.d = self.pick_d(b, b.enc)

    def make_array(self):
        b = self.new_blk()
        b.fate = 'live'
        b.role = 'arr'
        b.free_slots = []
        b.nitems = 0
        b.sorted = False
        b.sort = self.R.choice(['qsort', 'lib_sort'])
        b.src = self.R.choice(['malloc', 'calloc'])
        hold = self.holder_of('slot', b, True)
        if hold is None:
            b.fate = 'leak'
        b.hold = hold
        self.holder_shape(b)
        self.emit_create(b)
        self.build.append('memset(b%d->s, 0, sizeof b%d->s);' % (b.id, b.id))
        self.attach(b)
        self.arrays.append(b)

    def make_box(self):
        b = self.new_blk()
        b.fate = 'live'
        b.role = 'box'
        b.free_slots = []
        b.nitems = 0
        b.src = self.R.choice(['lib_box', 'lib_box', 'our_box', 'our_box_via'])
        hold = self.holder_of('slot', b, True)
        if hold is None:
            b.fate = 'leak'
        b.hold = hold
        self.holder_shape(b)
        if b.src == 'lib_box':
            alloc = 'void *m = lib_box_new(%d);' % b.size
        else:  # allocated here (instrumented), filled by the library
            alloc = 'void *m = malloc(%d);\n  memset(m, 0, %d);' % (b.size, b.size)
        if b.string:
            alloc += '\n  strcpy((char *)m + LG_PO, "%s");' % b.string
        self.fn('LG_NOINLINE static struct lg_blk *lg_create%d(void) {\n'
                '  %s\n'
                '  return lg_stamp(m, %d, %d);\n}\n' % (b.id, alloc, b.id, b.size))
        self.build.append('b%d = lg_create%d();' % (b.id, b.id))
        self.attach(b)
        self.boxes.append(b)

    def emit_create_in_slot(self, b):
        """The allocator (or getline, or the plain library) writes the new
        block's address straight into its holder's slot."""
        n, bid, i = b.size, b.id, b.encp['i']
        if b.src == 'pm_slot':
            body = ['if (posix_memalign(&s->p[%d], 32, %d)) lg_fail("pm", %d);' % (i, n, bid)]
        elif b.src == 'libout_alloc_slot':
            body = ['lib_alloc_out(%d, &s->p[%d]);' % (n, i)]
        else:
            body = ['FILE *f_ = fmemopen((void *)lg_line, sizeof lg_line - 1, "r");',
                    's->p[%d] = malloc(%d);' % (i, n), 'size_t n_ = %d;' % n,
                    'if (getline((char **)&s->p[%d], &n_, f_) != 8) lg_fail("getline", %d);' % (i, bid),
                    'fclose(f_);']
        body.append('return lg_stamp(s->p[%d], %d, %d);' % (i, bid, n))
        self.fn('LG_NOINLINE static struct lg_blk *lg_create%d(lg_slot *s) {\n  %s\n}\n'
                % (bid, '\n  '.join(body)))
        self.build.append('b%d = lg_create%d(%s);' % (bid, bid, self.slot_var(b.hold[1])))

    def emit_callback_item(self, b):
        """The plain library calls lg_cbN, which allocates b; the library
        stores it into its box."""
        box, k = b.hold[1], b.hold[2]
        b.src = 'callback'
        inner = self.R.choice(['malloc', 'calloc'])
        b.src_inner = inner
        saved = b.src
        b.src = inner
        body = self.alloc_code(b)
        b.src = saved
        self.fn('static void *lg_cb%d(void *ctx, int i) {\n  (void)ctx; (void)i;\n  %s\n'
                '  return lg_stamp(m, %d, %d);\n}\n' % (b.id, '\n  '.join(body), b.id, b.size))
        if box.src == 'our_box_via':
            self.build.append('{ struct lib_box *r_ = (struct lib_box *)b%d; lib_box_fill_via(&r_, %d, lg_cb%d, 0); }'
                              % (box.id, k, b.id))
        else:
            self.build.append('lib_box_fill((struct lib_box *)b%d, %d, lg_cb%d, 0);' % (box.id, k, b.id))
        self.build.append('b%d = (struct lg_blk *)lib_box_get((struct lib_box *)b%d, %d);' % (b.id, box.id, k))

    # ----------------------------------------------------------------- fates
    def compute_fates(self):
        def live(b, seen=()):
            if b.role == 'base':
                return True
            h = b.hold
            if h is None or b.kill:
                return False
            if h[0] == 'slot':
                o = h[1].owner
                if isinstance(o, tuple):
                    return True
                if isinstance(o, Temp):
                    return False
                if o in seen:
                    return False
                return live(o, seen + (b,))
            if h[0] == 'ctr':
                return self.ctr_live(h[1], seen + (b,))
            return live(h[1], seen + (b,))
        for b in self.blocks:
            f = 'live' if live(b) else 'leak'
            if f != b.fate:
                raise RuntimeError('seed %d: b%d intended %s but is %s' % (self.seed, b.id, b.fate, f))

    def ctr_live(self, c, seen):
        o = c.slot.owner
        if isinstance(o, tuple):
            return True
        if isinstance(o, Temp) or o in seen:
            return False
        return self.blk_live(o)

    def blk_live(self, b):
        return b.fate == 'live' and not b.kill

    # ----------------------------------------------------------------- check
    def emit_check(self):
        """lg_check(): walks everything reachable from the roots."""
        out = []
        decl = ['struct lg_blk *c%d = 0;' % b.id for b in self.blocks if b.fate == 'live']
        done = set()

        def cvar(o):
            return 'c%d' % o.id

        def visit_slot_children(owner):
            # blocks held in slots of owner (owner: ('root',) or Blk)
            for b in self.blocks:
                if b.fate != 'live' or b.id in done or not b.hold or b.hold[0] != 'slot':
                    continue
                o = b.hold[1].owner
                mine = (owner == 'root' and isinstance(o, tuple)) or (o is owner)
                if not mine:
                    continue
                s = b.hold[1].expr(cvar)
                val = self.enc_load(b.enc, b.encp, s)
                if b.d:
                    out.append('c%d = (struct lg_blk *)(%s - (%d));' % (b.id, val, b.d))
                else:
                    out.append('c%d = (struct lg_blk *)(%s);' % (b.id, val))
                out.append('lg_seen(c%d, %d);' % (b.id, b.id))
                done.add(b.id)
                visit(b)
            for c in self.ctrs:
                o = c.slot.owner
                mine = (owner == 'root' and isinstance(o, tuple)) or (o is owner)
                if mine:
                    visit_ctr(c)

        def assign_by_id(members, pvar):
            for m in members:
                if m.fate == 'live':
                    out.append('  if (%s && %s->id == %d) c%d = %s;' % (pvar, pvar, m.id, m.id, pvar))

        def visit_ctr(c):
            members = [b for b in self.blocks if b.hold and b.hold[0] == 'ctr' and b.hold[1] is c]
            s = c.slot.expr(cvar)
            if c.kind == 'xl':
                out.append('{ struct lg_blk *p_ = 0, *n_;')
                out.append('  for (struct lg_blk *e_ = (struct lg_blk *)(%s)->p[0]; e_; p_ = e_, e_ = n_) {' % s)
                out.append('  n_ = lg_xl_step(p_, e_);')
                out.append('  struct lg_blk *x_ = lg_seen_any(e_);')
                assign_by_id(members, 'x_')
                out.append('} }')
            elif c.kind == 'vec':
                out.append('{ std::vector<uint64_t> *v_ = (std::vector<uint64_t> *)(%s)->p[0];' % s)
                out.append('  for (size_t k_ = 0; k_ < v_->size(); k_++) { if (!(*v_)[k_]) continue;')
                out.append('  struct lg_blk *x_ = lg_seen_any(%s);' % self.word_decode(c.enc, c.encp, '(*v_)[k_]'))
                assign_by_id(members, 'x_')
                out.append('} }')
            elif c.kind == 'map':
                out.append('{ std::map<int, char *> *m_ = (std::map<int, char *> *)(%s)->p[0];' % s)
                out.append('  for (auto &kv_ : *m_) { struct lg_blk *x_ = lg_seen_any(kv_.second);')
                assign_by_id(members, 'x_')
                out.append('} }')
            elif c.kind == 'uptr':
                out.append('{ auto *u_ = (std::vector<std::unique_ptr<struct lg_blk, lg_freer> > *)(%s)->p[0];' % s)
                out.append('  for (size_t k_ = 0; k_ < u_->size(); k_++) { if (!(*u_)[k_]) continue;')
                out.append('  struct lg_blk *x_ = lg_seen_any((*u_)[k_].get());')
                assign_by_id(members, 'x_')
                out.append('} }')
            for m in members:
                if m.fate == 'live':
                    done.add(m.id)
                    visit(m)

        def visit(b):
            if b.role == 'arr':
                out.append('for (int k_ = 0; k_ < %d; k_++) { struct lg_blk *e_ = (struct lg_blk *)c%d->s[k_ / 4].p[k_ %% 4];'
                           % (4 * NS, b.id))
                out.append('  if (!e_) continue; struct lg_blk *x_ = lg_seen_any(e_);')
                assign_by_id(b.items, 'x_')
                out.append('}')
                for m in b.items:
                    if m.fate == 'live':
                        done.add(m.id)
                        visit(m)
                return
            if b.role == 'box':
                for m in b.items:
                    if m.fate == 'live':
                        out.append('c%d = (struct lg_blk *)lib_box_get((struct lib_box *)c%d, %d);'
                                   % (m.id, b.id, m.hold[2]))
                        out.append('lg_seen(c%d, %d);' % (m.id, m.id))
                        done.add(m.id)
                        visit(m)
                return
            visit_slot_children(b)

        if self.base:
            out.append('c%d = lg_base; lg_seen(c%d, %d);' % (self.base.id, self.base.id, self.base.id))
            done.add(self.base.id)
        visit_slot_children('root')
        missing = [b.id for b in self.blocks if b.fate == 'live' and b.id not in done]
        if missing:
            raise RuntimeError('seed %d: live blocks not walked: %s' % (self.seed, missing))
        self.fn('LG_NOINLINE static void lg_check(void) {\n  %s\n  %s\n}\n'
                % ('\n  '.join(decl), '\n  '.join(out)))

    # ------------------------------------------------------------------ emit
    def emit(self):
        self.plan()
        self.emit_check()
        if any(a.sort == 'lib_sort' for a in self.arrays):
            self.funcs.insert(0, 'LG_NOINLINE static void lib_sort_wrap(lg_slot *s, int n, size_t sz, '
                              'int (*cmp)(const void *, const void *)) {\n  (void)sz;\n'
                              '  lib_sort((void **)s, n, cmp);\n}\n')
        live = [b.id for b in self.blocks if b.fate == 'live']
        leak = [b.id for b in self.blocks if b.fate == 'leak']
        head = ['/* leakgen seed %d (%s, %s): generated by test/gen/leakgen.py.'
                % (self.seed, 'C++' if self.cxx else 'C',
                   'no escapes' if self.pure else 'with escapes'),
                ' * Build with lglib.c compiled by plain clang.  Ground truth:',
                ' *   live at exit: %s' % (' '.join(map(str, live)) or '-'),
                ' *   leaked:       %s' % (' '.join(map(str, leak)) or '-')]
        for b in self.blocks:
            head.append(' *   b%d %s %d bytes: %s' % (b.id, b.fate, b.size, b.desc()))
        head.append(' */')
        pre = PRELUDE % {
            'cxx_includes': CXX_INCLUDES if self.cxx else '',
            'ns': NS, 'po': PO, 'nroot': NROOT,
            'extern_c_open': 'extern "C" {' if self.cxx else '',
            'extern_c_close': '}' if self.cxx else '',
        }
        main = ['int main(void) {',
                '  printf("LGSEED %d\\n", %d);' % (self.seed, self.seed),
                '  lg_build();',
                '  if (getenv("LG_CHECK"))',
                '    lg_check();',
                '  lg_scrub();',
                '  printf("LGDONE\\n");',
                '  fflush(stdout); /* LSan exits from its atexit check without flushing */']
        if self.exit_nested:
            main.append('  lg_exit1();')
        main += ['  return 0;', '}']
        build = ('LG_NOINLINE static void lg_build(void) {\n  %s\n  %s\n}\n'
                 % ('\n  '.join(self.locals), '\n  '.join(self.build)))
        src = '\n'.join(head) + '\n' + pre + '\n' + '\n'.join(self.funcs) + '\n' + build + '\n' + '\n'.join(main) + '\n'
        esc = self.escapes()

        def cons_of(o):
            if o is None or isinstance(o, Temp):
                return None
            if o == 'root' or isinstance(o, tuple):
                return esc.get('root') and 'root array ' + esc['root']
            return esc.get(o.id) and 'b%d %s' % (o.id, esc[o.id])

        def holder_obj(b):
            h = b.hold
            if not h or h[0] == 'base':
                return None
            if h[0] == 'slot':
                return h[1].owner
            if h[0] == 'ctr':
                return h[1].slot.owner
            return h[1]

        def fp_obj(b):
            if b.fp == 'muldiv':
                return b.fp_slot.owner
            if b.fp:
                return b.fp_blk
            return None

        truth = {
            'seed': self.seed,
            'lang': 'c++' if self.cxx else 'c',
            'exit': 'nested_exit' if self.exit_nested else 'return',
            'style': 'pure' if self.pure else 'mixed',
            'blocks': [{'id': b.id, 'size': b.size, 'fate': b.fate, 'desc': b.desc(),
                        'enc': b.enc, 'src': b.src, 'path': b.path, 'dk': b.dk, 'sink': b.sink,
                        'reloc': list(b.reloc) if b.reloc else None, 'role': b.role,
                        'kill': b.kill, 'fp': b.fp,
                        'hold': (None if not b.hold else b.hold[0] if b.hold[0] != 'ctr' else 'ctr:' + b.hold[1].kind),
                        'holder_owner': self.owner_kind(b), 'parent': self.parent_id(b),
                        'cons_self': cons_of(b), 'cons_holder': cons_of(holder_obj(b)),
                        'cons_fp': cons_of(fp_obj(b)),
                        'fp_holder': getattr(fp_obj(b), 'id', None),
                        'holder_src': getattr(holder_obj(b), 'src', None)}
                       for b in self.blocks],
        }
        return src, truth

    def parent_id(self, b):
        """The tracked block that holds b's reference (directly or through a
        container whose header it holds), or None for roots."""
        h = b.hold
        if not h or h[0] == 'base':
            return None
        if h[0] == 'slot':
            o = h[1].owner
            return o.id if isinstance(o, Blk) else None
        if h[0] == 'ctr':
            o = h[1].slot.owner
            return o.id if isinstance(o, Blk) else None
        return h[1].id

    def escapes(self):
        """Which blocks (and whether the root array) leakcc scans
        conservatively at exit because code built without leakcc allocated
        them or was passed a pointer into them (an escape, which lasts).
        For the report only: it mirrors the pass's rules (pass/stores.c,
        may_escape) as far as the generator knows them."""
        esc = {}

        def mark(owner, why):
            if owner is None:
                return
            key = 'root' if owner == 'root' or isinstance(owner, tuple) else \
                None if isinstance(owner, Temp) else owner.id
            if key is not None:
                esc.setdefault(key, why)

        def slot_owner(b):
            if not b.hold or b.hold[0] != 'slot':
                return None
            return b.hold[1].owner

        for b in self.blocks:
            inner = getattr(b, 'src_inner', None)
            if b.src in ('libout_alloc', 'libout_alloc_slot', 'lib_box') or inner == 'libout_alloc':
                mark(b, 'allocated by the plain library')
            for t in b.path:
                if t in ('libout', 'libout_heap'):
                    mark(b, 'passed to lib_out')
                elif t == 'thread':
                    mark(b, 'passed to pthread_create')
            if b.dk in ('strtol', 'strtod', 'strtok'):
                mark(b, 'passed to %s' % b.dk)
            # where the store itself writes: the final slot, a scratch slot
            # (reloc) or a local (sret, byval)
            if b.sink in ('sret', 'byval'):
                target = None
            elif b.reloc and b.reloc[0] == 'global':
                target = 'root'
            elif b.reloc:
                target = None
            else:
                target = slot_owner(b)
            if b.enc in OUT_ENCS or b.enc == 'libstore':
                mark(b, 'passed to %s' % b.enc)
                mark(target, 'its address passed to %s (storing b%d)' % (b.enc, b.id))
            if b.sink == 'libcb':
                mark(b, 'passed to lib_call')
                mark(slot_owner(b), 'its address passed to lib_call (storing b%d)' % b.id)
            if b.src in ('getline_slot', 'libout_alloc_slot'):
                mark(slot_owner(b), 'its address passed to %s (storing b%d)' % (b.src, b.id))
            if b.hold and b.hold[0] == 'box':
                if b.hold[1].src != 'our_box_via':
                    mark(b.hold[1], 'passed to lib_box_*')
                if b.src != 'callback':
                    mark(b, 'passed to lib_box_set')
            if b.role == 'arr' and b.nitems:
                mark(b, 'passed to %s' % b.sort)
        return esc

    def owner_kind(self, b):
        h = b.hold
        if not h or h[0] != 'slot':
            return None
        o = h[1].owner
        if isinstance(o, tuple):
            return 'root'
        if isinstance(o, Temp):
            return 'temp'
        return 'block'


class Probe(Gen):
    """A small program for one combination of features: a live block and a
    leaked block built the same way (run.py --probe).  SPEC is a comma
    separated list of key=value: src, path (+ separated), d, enc, sink,
    reloc (scratch/how), hold (root, block, temp, xl, arr, box, vec, map,
    uptr), sort (qsort, lib_sort), fp (stale, muldiv), realloc (1), exit
    (nested), lang (c, c++)."""

    def __init__(self, spec):
        Gen.__init__(self, zlib.crc32(spec.encode()))
        self.spec = dict(kv.split('=', 1) for kv in spec.split(',') if kv)
        sp = self.spec
        self.name = spec
        self.cxx = sp.get('lang') == 'c++' or sp.get('src') in ('new', 'opnew', 'new_nothrow') \
            or sp.get('hold') in ('vec', 'map', 'uptr')
        self.exit_nested = sp.get('exit') == 'nested'
        self.use_off32 = sp.get('enc') == 'off32'
        self.pure = True  # only the features the spec names

    def holder_shape(self, b):
        # Arrays, boxes and recycling blocks: a raw pointer in a root slot.
        b.path, b.enc, b.encp, b.dk, b.d = [], 'raw', {'i': 0, 'style': 'ptr'}, '0', 0

    stalec_shape = holder_shape

    def shape(self, b, live):
        sp = self.spec
        R = self.R
        b.path = [t for t in sp.get('path', '').split('+') if t]
        b.sink = sp.get('sink', 'inline')
        if b.hold and b.hold[0] == 'slot':
            b.enc = sp.get('enc', 'raw')
            b.encp = self.enc_params(b.enc)
            dk = sp.get('d', '0')
            b.dk = dk
            if b.src in SLOT_SRCS:
                b.enc, b.dk, b.d = 'out_alloc', '0', 0
                b.path, b.sink = [], 'inline'
            elif b.enc in ENC_D:
                b.dk, b.d = self.pick_d(b, b.enc)
            elif dk == '0':
                b.d = 0
            elif dk == 'field':
                b.d = SLOT0 + 8 * 5
            elif dk == 'mid':
                b.d = b.size // 2 + 1
            elif dk == 'end':
                b.d = b.size
            elif dk == 'below':
                b.d = -1
            else:
                b.string = STRING_D[dk][0]
                b.d = PO + STRING_D[dk][1]
            if 'reloc' in sp:
                b.reloc = tuple(sp['reloc'].split('/'))
        elif b.hold and b.hold[0] == 'ctr' and b.hold[1].kind == 'vec':
            b.enc = b.hold[1].enc
            b.encp = b.hold[1].encp

    def one(self, live, parent):
        sp = self.spec
        b = self.new_blk(off32=self.use_off32)
        b.fate = 'live' if live else 'leak'
        hold = sp.get('hold', 'root')
        if hold in ('root', 'block'):
            b.hold = ('slot', self.take_slot(parent if hold == 'block' else 'root'))
        elif hold == 'temp':
            if live:
                b.hold = ('slot', self.take_slot('root'))
            else:
                t = Temp('t%d' % (len(self.temps) + 1))
                self.temps.append(t)
                self.locals.append('lg_slot *%s = 0;' % t.name)
                self.build.append('%s = (lg_slot *)calloc(3, sizeof(lg_slot));' % t.name)
                b.hold = ('slot', Slot(t, 1))
        elif hold in ('xl', 'vec', 'map', 'uptr'):
            b.hold = self.holder_of('ctr', b, True, obj=parent)
        else:
            b.hold = self.holder_of(hold, b, True, obj=parent)
        b.src = sp.get('src', 'malloc')
        if b.hold[0] == 'box' and b.src == 'callback':
            pass
        elif b.src == 'callback':
            b.src = 'malloc'
        if b.src == 'aligned_alloc':
            b.size = 64 * (12 + b.id)
        if b.hold[0] == 'ctr' and b.hold[1].kind == 'xl':
            b.role = 'xlnode'
            b.free_slots = [j for j in b.free_slots if j != 0]
        self.shape(b, live)
        if b.src == 'callback':
            self.emit_callback_item(b)
        elif b.src in SLOT_SRCS:
            self.emit_create_in_slot(b)
        else:
            self.emit_create(b)
        if sp.get('realloc') and b.hold[0] == 'slot':
            self.do_realloc(b)
        if b.src not in SLOT_SRCS:
            self.attach(b)
        if not live:
            if b.hold[0] == 'arr':
                b.kill_after_sort = True
            else:
                self.emit_kill(b)
            fp = sp.get('fp')
            if fp == 'muldiv':
                i = 1
                owner = parent if isinstance(parent, Blk) and parent.role == 'plain' else 'root'
                slot = self.take_slot(owner)
                b.fp = 'muldiv'
                b.fp_slot = slot
                self.fn('LG_NOINLINE static void lg_plant%d(lg_slot *s, struct lg_blk *x) {\n'
                        '  s->w[%d] = lg_div(lg_mul(lg_p2u(x), lg_k3), lg_k3);\n}\n' % (b.id, i))
                self.build.append('lg_plant%d(%s, b%d);' % (b.id, self.slot_var(slot), b.id))
            elif fp == 'stale':
                self.false_pointer(b, 'stale')
        return b

    def plan(self):
        sp = self.spec
        self.scratch_root = self.root_free.pop()
        if self.use_off32:
            b = self.new_blk(off32=True)
            b.fate = 'live'
            b.role = 'base'
            b.free_slots = []
            self.emit_create(b)
            self.build.append('lg_base = b%d;' % b.id)
            self.base = b
            b.hold = ('base',)
        hold = sp.get('hold', 'root')
        parent = None
        if hold == 'block':
            parent = self.new_blk()
            parent.fate = 'live'
            parent.hold = ('slot', self.take_slot('root'))
            parent.enc, parent.encp = 'raw', {'i': 0, 'style': 'ptr'}
            self.emit_create(parent)
            self.attach(parent)
        elif hold in ('xl', 'vec', 'map', 'uptr'):
            self.setup_one_container(hold)
            parent = self.ctrs[0]
        elif hold == 'arr':
            self.make_array()
            parent = self.arrays[0]
            if 'sort' in sp:
                parent.sort = sp['sort']
        elif hold == 'box':
            orig = self.R.choice
            want = {'ours': 'our_box', 'lib': 'lib_box', 'via': 'our_box_via'}[sp.get('box', 'lib')]
            self.R.choice = lambda seq: want if 'our_box' in seq else orig(seq)
            try:
                self.make_box()
            finally:
                self.R.choice = orig
            parent = self.boxes[0]
        self.one(True, parent)
        self.one(False, parent)
        for a in self.arrays:
            self.build.append('%s(b%d->s, %d, sizeof(void *), lg_cmp);'
                              % ('qsort' if a.sort == 'qsort' else 'lib_sort_wrap', a.id, a.nitems))
            for it in a.items:
                if it.fate == 'leak':
                    self.emit_kill(it)
        self.compute_fates()

    def setup_one_container(self, k):
        slot = self.take_slot('root')
        c = Ctr(k, 0, slot)
        self.ctrs.append(c)
        if k == 'xl':
            self.build.append('memset(%s, 0, sizeof(lg_slot));' % self.slot_var(slot))
            return
        if k == 'vec':
            c.enc = self.spec.get('enc', 'raw')
            c.encp = self.enc_params(c.enc)
            c.encp['dbl'] = False
            typ = 'std::vector<uint64_t>'
        elif k == 'map':
            typ = 'std::map<int, char *>'
        else:
            typ = 'std::vector<std::unique_ptr<struct lg_blk, lg_freer> >'
        self.locals.append('%s *%s = 0;' % (typ, c.name))
        self.build.append('%s = new %s();' % (c.name, typ))
        if k == 'uptr':
            self.build.append('%s->resize(8);' % c.name)
        self.build.append('%s->p[0] = %s;' % (self.slot_var(slot), c.name))


def generate(seed):
    g = Gen(seed)
    src, truth = g.emit()
    return src, truth, g.cxx


def write(seed, outdir):
    """seed: an int (a random program) or a probe SPEC string."""
    if isinstance(seed, str):
        g = Probe(seed)
        src, truth = g.emit()
        cxx = g.cxx
        truth['probe'] = seed
    else:
        src, truth, cxx = generate(seed)
    os.makedirs(outdir, exist_ok=True)
    name = 'prog.cpp' if cxx else 'prog.c'
    with open(os.path.join(outdir, name), 'w') as f:
        f.write(src)
    with open(os.path.join(outdir, 'lglib.c'), 'w') as f:
        f.write(LIB_C)
    with open(os.path.join(outdir, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=1)
    return name, truth


def main(argv):
    if len(argv) == 4 and argv[1] == '--probe':
        name, truth = write(argv[2], argv[3])
        print(os.path.join(argv[3], name))
        return 0
    if len(argv) != 3:
        sys.stderr.write('usage: leakgen.py SEED OUTDIR | leakgen.py --probe SPEC OUTDIR\n')
        return 2
    name, truth = write(int(argv[1]), argv[2])
    print(os.path.join(argv[2], name))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
