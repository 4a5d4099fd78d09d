/*
 * The root set (lk.h, roots.c section), as LSan defines it:
 *
 *   use_globals       writable PT_LOAD segments of every loaded module
 *                     (dl_iterate_phdr), except the runtime's own state in
 *                     section leakcc_state (see scan_plain); the globals of
 *                     instrumented modules are handed over separately as
 *                     precise ranges (below).
 *   use_stacks        [sp - 128, stack_hi) of every stopped thread (128: the
 *                     x86-64 red zone); of the thread running the check,
 *                     [its live floor, stack_hi): the frames of the program
 *                     code that called exit or the check, none of main's
 *                     once main has returned (threads.c, interface.c),
 *                     never the runtime's own; the whole stack when sp lies outside
 *                     it (alternate signal stack, swapcontext) or is unknown
 *                     (a thread that could not be stopped), then only its
 *                     mapped readable parts: the main thread's stack bounds
 *                     span the whole rlimit, most of it never mapped.  When
 *                     sp lies in the thread's alternate signal stack (a
 *                     handler runs there), also [sp - 128, its top).
 *   use_registers     the general registers saved when the thread stopped.
 *   use_tls           static TLS and the thread descriptor (which holds the
 *                     pthread_setspecific slots and the DTV pointer), minus
 *                     the provenance channel (see scan_tls).
 *   use_root_regions  __lsan_register_root_region ranges, only the parts
 *                     mapped readable (read from /proc/self/maps per check).
 *   interceptors      lk_intercept_roots (intercept.c): kernel-held
 *                     references, anonymous mmap regions.
 *
 * Every range handed to the scanner is readable, so the marker never faults.
 *
 * Instrumented globals.  __leakcc_register_module lists a module's defined
 * globals; their stores keep shadow, so they are handed to the scanner with
 * precise=true and cut out of the conservative scan of their segment.  A
 * global is kept only if it lies in a writable segment of the object (the
 * executable or shared library) that holds the module's descriptor: a
 * definition that another object interposes, or that a copy relocation
 * moved, is written by code we know nothing about.  A global handed to code
 * that may not be instrumented (lk_globals_escape, from __leakcc_escape) is
 * scanned conservatively from then on.
 *
 * Unloading: an object is identified by its load base and the contents of
 * its first registered descriptor (read-only data of the object, relocated
 * pointers included).  At each check, and before each registration, an
 * object whose descriptor no longer lies unchanged in a loaded object with
 * that base has been dlclosed: its ranges stop being precise at once (they
 * are not even in a loaded segment any more), and the next registration
 * deletes them and forgets its functions (escape.c), so that a module later
 * loaded at the same addresses starts afresh.
 *
 * Concurrency: the mutators and lk_for_each_root are serialised by the
 * caller (interface.c's check lock, held across a leak check and around
 * lk_modules_register), so a stopped thread never holds a lock the marker
 * needs.  lk_globals_escape runs in any thread: it takes roots.lock, which
 * lk_modules_register also takes while it changes the range array; the
 * check reads the array without it (a stopped thread may hold it, but only
 * to read it or to flip a range's conservative flag).
 */
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk.h"

#define GRANULE ((uintptr_t)1 << LEAKCC_SHADOW_SHIFT)
#define MAX_WRITABLE 8 /* writable PT_LOAD segments of one object we use */

/* A registered root region; registering the same range twice needs two
 * unregistrations, as in LSan. */
typedef struct region {
  uintptr_t lo, hi;
  size_t count;
} region;

/* An object (the executable or a shared library) holding instrumented
 * modules: its identity (see "Unloading" above) and its span. */
typedef struct object {
  uintptr_t base;                       /* dlpi_addr */
  uintptr_t lo, hi;                     /* span of its PT_LOAD segments */
  const struct __leakcc_module *probe;  /* its first registered descriptor */
  struct __leakcc_module snap;          /* *probe at registration */
  bool seen;                            /* found loaded by this scan */
  bool dead;                            /* unloaded (sticky) */
  bool purged;                          /* its ranges and functions dropped */
} object;

/* A registered global, widened to whole granules and clipped to its
 * segment.  The array is sorted and disjoint: ranges that overlap (the
 * same global listed by several modules of one object, as C++ inline
 * variables are) are merged. */
typedef struct global {
  uintptr_t lo, hi;
  uint32_t object;    /* index into roots.objects */
  bool conservative;  /* escaped (atomic: set by lk_globals_escape) */
} global;

/* All module state, in lk_ialloc memory.  lock guards the range array
 * (see "Concurrency" above); bounds_lo/hi enclose every range and are read
 * without it, as a filter. */
static struct {
  region *regions;                 /* grown by doubling */
  size_t nregions, regions_cap;
  object *objects;                 /* grown by doubling; never shrinks */
  size_t nobjects, objects_cap;
  global *globals;                 /* rebuilt by each registration */
  size_t nglobals, globals_cap;
  uintptr_t bounds_lo, bounds_hi;
  size_t nmodules;
  pthread_mutex_t lock;
} roots = {.lock = PTHREAD_MUTEX_INITIALIZER};

void lk_roots_lock(void) { pthread_mutex_lock(&roots.lock); }
void lk_roots_unlock(void) { pthread_mutex_unlock(&roots.lock); }

/* ------------------------------------------------------------- regions */

void lk_register_root_region(const void *p, size_t size) {
  uintptr_t lo = (uintptr_t)p, hi = lo + size;
  for (size_t i = 0; i < roots.nregions; i++)
    if (roots.regions[i].lo == lo && roots.regions[i].hi == hi) {
      roots.regions[i].count++;
      return;
    }
  roots.regions = lk_igrow(roots.regions, roots.nregions,
                           &roots.regions_cap, sizeof(region));
  roots.regions[roots.nregions++] = (region){lo, hi, 1};
}

bool lk_unregister_root_region(const void *p, size_t size) {
  uintptr_t lo = (uintptr_t)p, hi = lo + size;
  for (size_t i = 0; i < roots.nregions; i++) {
    region *r = &roots.regions[i];
    if (r->lo != lo || r->hi != hi)
      continue;
    if (--r->count == 0)
      *r = roots.regions[--roots.nregions];
    return true;
  }
  return false;
}

/* ------------------------------------------------- instrumented modules */

static bool in_segment(const ElfW(Phdr) *ph, uintptr_t base, uintptr_t lo,
                       uintptr_t hi) {
  uintptr_t s = base + ph->p_vaddr;
  return ph->p_type == PT_LOAD && lo >= s && hi <= s + ph->p_memsz && lo <= hi;
}

/* dl_iterate_phdr callback: sets `seen` on every live object whose
 * descriptor lies, unchanged, in a readable segment of this object. */
static int see_objects(struct dl_phdr_info *info, size_t size, void *arg) {
  for (size_t i = 0; i < roots.nobjects; i++) {
    object *o = &roots.objects[i];
    if (o->dead || o->base != info->dlpi_addr)
      continue;
    uintptr_t p = (uintptr_t)o->probe;
    for (int j = 0; j < info->dlpi_phnum; j++) {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[j];
      if ((ph->p_flags & PF_R) &&
          in_segment(ph, info->dlpi_addr, p, p + sizeof o->snap)) {
        o->seen = !memcmp(o->probe, &o->snap, sizeof o->snap);
        break;
      }
    }
  }
  return 0;
}

/* Marks the objects no longer loaded dead.  No lock, no allocation: also
 * runs with the world stopped. */
static void update_liveness(void) {
  for (size_t i = 0; i < roots.nobjects; i++)
    roots.objects[i].seen = false;
  dl_iterate_phdr(see_objects, NULL);
  for (size_t i = 0; i < roots.nobjects; i++)
    if (!roots.objects[i].seen)
      roots.objects[i].dead = true;
}

static bool object_dead(uint32_t i) { return roots.objects[i].dead; }

static void update_bounds(void) {
  uintptr_t lo = 0, hi = 0;
  if (roots.nglobals) {
    lo = roots.globals[0].lo;
    hi = roots.globals[roots.nglobals - 1].hi;
  }
  __atomic_store_n(&roots.bounds_lo, lo, __ATOMIC_RELAXED);
  __atomic_store_n(&roots.bounds_hi, hi, __ATOMIC_RELAXED);
}

/* Caller holds roots.lock.  Drops the ranges and functions of objects
 * unloaded since the last registration. */
static void purge_unloaded(void) {
  update_liveness();
  bool any = false;
  for (size_t i = 0; i < roots.nobjects; i++) {
    object *o = &roots.objects[i];
    if (o->dead && !o->purged) {
      o->purged = any = true;
      lk_escape_forget(o->lo, o->hi);
    }
  }
  if (!any)
    return;
  size_t n = 0;
  for (size_t i = 0; i < roots.nglobals; i++)
    if (!object_dead(roots.globals[i].object))
      roots.globals[n++] = roots.globals[i];
  roots.nglobals = n;
  update_bounds();
}

/* The loaded object holding a module's descriptor. */
typedef struct located {
  uintptr_t addr; /* in: the descriptor */
  bool found;
  uintptr_t base, lo, hi;
  unsigned nseg;  /* writable segments, at most MAX_WRITABLE */
  struct {
    uintptr_t lo, hi;
  } seg[MAX_WRITABLE];
} located;

static int locate(struct dl_phdr_info *info, size_t size, void *arg) {
  located *l = arg;
  bool holds = false;
  for (int i = 0; i < info->dlpi_phnum; i++)
    holds |= in_segment(&info->dlpi_phdr[i], info->dlpi_addr, l->addr,
                        l->addr + 1);
  if (!holds)
    return 0;
  l->found = true;
  l->base = info->dlpi_addr;
  l->lo = UINTPTR_MAX;
  l->hi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD)
      continue;
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
    l->lo = lo < l->lo ? lo : l->lo;
    l->hi = hi > l->hi ? hi : l->hi;
    if ((ph->p_flags & PF_W) && l->nseg < MAX_WRITABLE) {
      l->seg[l->nseg].lo = lo;
      l->seg[l->nseg++].hi = hi;
    }
  }
  return 1;
}

/* Index of the live object at l, added if new.  Caller holds roots.lock. */
static uint32_t object_at(const located *l, const struct __leakcc_module *m) {
  for (size_t i = 0; i < roots.nobjects; i++) {
    const object *o = &roots.objects[i];
    if (!o->dead && o->base == l->base && o->lo == l->lo && o->hi == l->hi)
      return (uint32_t)i;
  }
  roots.objects = lk_igrow(roots.objects, roots.nobjects,
                           &roots.objects_cap, sizeof *roots.objects);
  roots.objects[roots.nobjects] = (object){
      .base = l->base, .lo = l->lo, .hi = l->hi, .probe = m, .snap = *m};
  return (uint32_t)roots.nobjects++;
}

static void sift_down(global *a, size_t i, size_t n) {
  for (size_t c; (c = 2 * i + 1) < n; i = c) {
    if (c + 1 < n && a[c + 1].lo > a[c].lo)
      c++;
    if (a[i].lo >= a[c].lo)
      return;
    global t = a[i];
    a[i] = a[c];
    a[c] = t;
  }
}

/* Heap sort by lo (no libc qsort: it may call malloc). */
static void sort_globals(global *a, size_t n) {
  for (size_t i = n / 2; i-- > 0;)
    sift_down(a, i, n);
  for (size_t end = n; end-- > 1;) {
    global t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift_down(a, 0, end);
  }
}

/* Appends g to the sorted array a[0..*n), merging it into the last range
 * when they overlap. */
static void append_merged(global *a, size_t *n, global g) {
  global *last = *n ? &a[*n - 1] : NULL;
  if (last && g.lo < last->hi) {
    last->hi = g.hi > last->hi ? g.hi : last->hi;
    last->conservative |= g.conservative;
    return;
  }
  a[(*n)++] = g;
}

/* Caller holds roots.lock.  Adds m's globals that lie in a writable segment
 * of l to the range array; returns how many.  Out of memory it adds none:
 * they are then scanned conservatively with the rest of their segment. */
static size_t add_globals(const struct __leakcc_module *m, const located *l,
                          uint32_t object) {
  size_t k = 0, bytes = m->num_globals * sizeof(global);
  if (!bytes)
    return 0;
  global *batch = lk_ialloc_try(bytes);
  if (!batch)
    goto no_memory;
  for (uint32_t i = 0; i < m->num_globals; i++) {
    uintptr_t lo = (uintptr_t)m->globals[i].addr;
    uintptr_t hi = lo + m->globals[i].size;
    for (unsigned s = 0; s < l->nseg; s++) {
      if (lo < l->seg[s].lo || hi > l->seg[s].hi || hi <= lo)
        continue;
      lo &= ~(GRANULE - 1);
      hi = (hi + GRANULE - 1) & ~(GRANULE - 1);
      batch[k++] = (global){lo > l->seg[s].lo ? lo : l->seg[s].lo,
                            hi < l->seg[s].hi ? hi : l->seg[s].hi, object,
                            false};
      break;
    }
  }
  sort_globals(batch, k);
  size_t n = 0, cap = roots.nglobals + k;
  global *merged = cap ? lk_ialloc_try(cap * sizeof *merged) : NULL;
  if (cap && !merged) {
    lk_ifree(batch, bytes);
    goto no_memory;
  }
  for (size_t i = 0, j = 0; i < roots.nglobals || j < k;) {
    bool old = j == k || (i < roots.nglobals &&
                          roots.globals[i].lo <= batch[j].lo);
    append_merged(merged, &n, old ? roots.globals[i++] : batch[j++]);
  }
  lk_ifree(batch, bytes);
  if (roots.globals)
    lk_ifree(roots.globals, roots.globals_cap * sizeof *roots.globals);
  roots.globals = merged;
  roots.globals_cap = cap;
  roots.nglobals = n;
  update_bounds();
  return k;
no_memory:
  lk_warn("out of memory for the list of instrumented globals; those of a "
          "module are scanned conservatively");
  return 0;
}

void lk_modules_register(const struct __leakcc_module *m) {
  pthread_mutex_lock(&roots.lock);
  purge_unloaded();
  located l = {.addr = (uintptr_t)m};
  dl_iterate_phdr(locate, &l);
  size_t precise = 0;
  if (l.found)
    precise = add_globals(m, &l, object_at(&l, m));
  roots.nmodules++;
  pthread_mutex_unlock(&roots.lock);
  lk_escape_add_functions(m);
  const char *name = m->name ? m->name : "<unnamed>";
  if (!l.found && lk_flags.verbosity >= 1)
    lk_printf("leakcc: module %s is in no loaded object; its globals are "
              "scanned conservatively\n",
              name);
  if (lk_flags.verbosity >= 2)
    lk_printf("leakcc: registered module %s (%u globals, %zu precise; %llu "
              "functions)\n",
              name, m->num_globals, precise,
              (unsigned long long)m->num_functions);
}

/* Index of the first range that ends after p.  Caller holds roots.lock, or
 * the world is stopped. */
static size_t first_after(uintptr_t p) {
  size_t lo = 0, hi = roots.nglobals;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (roots.globals[mid].hi <= p)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The range holding p, or NULL.  Locking as for first_after. */
static global *global_at(uintptr_t p) {
  size_t i = first_after(p);
  return i < roots.nglobals && roots.globals[i].lo <= p ? &roots.globals[i]
                                                        : NULL;
}

bool lk_globals_range(uintptr_t p, uintptr_t *lo_out, uintptr_t *hi_out) {
  uintptr_t lo = __atomic_load_n(&roots.bounds_lo, __ATOMIC_RELAXED);
  uintptr_t hi = __atomic_load_n(&roots.bounds_hi, __ATOMIC_RELAXED);
  if (p - lo >= hi - lo)
    return false;
  pthread_mutex_lock(&roots.lock);
  const global *g = global_at(p);
  if (g) {
    *lo_out = g->lo;
    *hi_out = g->hi;
  }
  pthread_mutex_unlock(&roots.lock);
  return g != NULL;
}

bool lk_globals_escape(uintptr_t p, uintptr_t *lo_out, uintptr_t *hi_out) {
  uintptr_t lo = __atomic_load_n(&roots.bounds_lo, __ATOMIC_RELAXED);
  uintptr_t hi = __atomic_load_n(&roots.bounds_hi, __ATOMIC_RELAXED);
  if (p - lo >= hi - lo)
    return false;
  pthread_mutex_lock(&roots.lock);
  global *g = global_at(p);
  bool first = g && !__atomic_load_n(&g->conservative, __ATOMIC_RELAXED);
  if (first)
    __atomic_store_n(&g->conservative, true, __ATOMIC_RELAXED);
  uintptr_t glo = g ? g->lo : 0, ghi = g ? g->hi : 0;
  pthread_mutex_unlock(&roots.lock);
  if (first && lk_flags.verbosity >= 2)
    lk_printf("leakcc: global [%p, %p) escapes to code that may not be "
              "instrumented; scanning it conservatively\n",
              (void *)glo, (void *)ghi);
  *lo_out = glo;
  *hi_out = ghi;
  return g != NULL;
}

/* ------------------------------------------------------ /proc/self/maps */

/* Parses "lo-hi perms ..." and calls visit if the mapping is readable. */
static void parse_mapping(const char *line,
                          void (*visit)(uintptr_t lo, uintptr_t hi, void *arg),
                          void *arg) {
  char *end;
  uintptr_t lo = strtoul(line, &end, 16);
  uintptr_t hi = strtoul(end + 1, &end, 16);
  if (end[0] == ' ' && end[1] == 'r')
    visit(lo, hi, arg);
}

void lk_for_each_readable_mapping(void (*visit)(uintptr_t lo, uintptr_t hi,
                                                 void *arg),
                                   void *arg, const char *unscanned) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    lk_warn("cannot read /proc/self/maps; %s are not scanned", unscanned);
    return;
  }
  char buf[4096];
  size_t have = 0;
  bool skipping = false;
  ssize_t got;
  while ((got = read(fd, buf + have, sizeof buf - 1 - have)) > 0) {
    have += (size_t)got;
    buf[have] = '\0';
    char *line = buf, *nl;
    while ((nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
      if (!skipping)
        parse_mapping(line, visit, arg);
      skipping = false;
      line = nl + 1;
    }
    have -= (size_t)(line - buf);
    memmove(buf, line, have);
    if (have == sizeof buf - 1) {
      if (!skipping)
        parse_mapping(buf, visit, arg);
      skipping = true;
      have = 0;
    }
  }
  close(fd);
}

struct scan_ctx {
  lk_root_fn scan;
  void *arg;
  /* The provenance channel's distance below each thread's tls_hi, or 0
   * (see scan_tls). */
  uintptr_t chan_below_hi;
};

static void scan_regions_in_mapping(uintptr_t lo, uintptr_t hi, void *arg) {
  struct scan_ctx *c = arg;
  for (size_t i = 0; i < roots.nregions; i++) {
    uintptr_t b = roots.regions[i].lo > lo ? roots.regions[i].lo : lo;
    uintptr_t e = roots.regions[i].hi < hi ? roots.regions[i].hi : hi;
    if (b < e)
      c->scan(b, e, "root region", false, c->arg);
  }
}

/* ------------------------------------------------------------- globals */

/* Runtime state whose words may equal user block addresses (region bases,
 * heap bounds) lives in section LK_STATE_SECTION ("leakcc_state") and is
 * not a root, as LSan excludes its allocator's globals.  The linker defines
 * these per module; they are absent (NULL) if no file uses the section. */
extern char __start_leakcc_state[] __attribute__((weak, visibility("hidden")));
extern char __stop_leakcc_state[] __attribute__((weak, visibility("hidden")));

/* Scans [lo, hi) conservatively, minus the runtime's own state. */
static void scan_plain(struct scan_ctx *c, uintptr_t lo, uintptr_t hi) {
  uintptr_t xlo = (uintptr_t)__start_leakcc_state;
  uintptr_t xhi = (uintptr_t)__stop_leakcc_state;
  if (lo >= hi)
    return;
  if (xlo < xhi && xlo < hi && xhi > lo) {
    if (lo < xlo)
      c->scan(lo, xlo, "globals", false, c->arg);
    if (xhi < hi)
      c->scan(xhi, hi, "globals", false, c->arg);
    return;
  }
  c->scan(lo, hi, "globals", false, c->arg);
}

static bool scanned_precisely(const global *g) {
  return !object_dead(g->object) &&
         !__atomic_load_n(&g->conservative, __ATOMIC_RELAXED);
}

/* A writable segment: the precise ranges inside it (a run of adjacent ones
 * in one call), the rest conservatively.  Ranges of dead objects and
 * escaped ones are part of the conservative rest. */
static void scan_segment(struct scan_ctx *c, uintptr_t lo, uintptr_t hi) {
  uintptr_t done = lo;
  size_t i = first_after(lo);
  while (i < roots.nglobals && roots.globals[i].lo < hi) {
    if (!scanned_precisely(&roots.globals[i])) {
      i++;
      continue;
    }
    uintptr_t b = roots.globals[i].lo > lo ? roots.globals[i].lo : lo, e = b;
    for (; i < roots.nglobals && roots.globals[i].lo <= e &&
           roots.globals[i].lo < hi && scanned_precisely(&roots.globals[i]);
         i++)
      e = roots.globals[i].hi < hi ? roots.globals[i].hi : hi;
    scan_plain(c, done, b);
    c->scan(b, e, "instrumented globals", true, c->arg);
    done = e;
  }
  scan_plain(c, done, hi);
}

static int scan_module(struct dl_phdr_info *info, size_t size, void *arg) {
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
      continue;
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    scan_segment(arg, lo, lo + ph->p_memsz);
  }
  return 0;
}

/* ------------------------------------------------------------- threads */

/* A whole stack, clipped to readable mappings. */
struct whole_stack {
  struct scan_ctx *c;
  uintptr_t lo, hi;
};

static void scan_stack_in_mapping(uintptr_t lo, uintptr_t hi, void *arg) {
  struct whole_stack *w = arg;
  uintptr_t b = w->lo > lo ? w->lo : lo;
  uintptr_t e = w->hi < hi ? w->hi : hi;
  if (b < e)
    w->c->scan(b, e, "stack", false, w->c->arg);
}

/* The provenance channel (abi.h, side.c) is not a root: while a call uses
 * a slot, the value it carries is also in the caller's registers or stack;
 * afterwards the slot is stale, and its bases would keep blocks alive (or
 * hide every leak a value once passed through a call refers to).  It is
 * initial-exec TLS, so it lies at the same distance from every thread's
 * tls_hi (the thread pointer plus the descriptor size). */

static uintptr_t chan_below_hi(void) {
  const lk_thread *self = lk_current_thread();
  uintptr_t lo = (uintptr_t)__leakcc_chan, hi = lo + sizeof __leakcc_chan;
  if (!self || lo < self->tls_lo || hi > self->tls_hi)
    return 0;
  return self->tls_hi - lo;
}

/* Static TLS and the thread descriptor, minus the provenance channel. */
static void scan_tls(struct scan_ctx *c, const lk_thread *t) {
  if (!c->chan_below_hi) {
    c->scan(t->tls_lo, t->tls_hi, "tls", false, c->arg);
    return;
  }
  uintptr_t lo = t->tls_hi - c->chan_below_hi;
  c->scan(t->tls_lo, lo, "tls", false, c->arg);
  c->scan(lo + sizeof __leakcc_chan, t->tls_hi, "tls", false, c->arg);
}

/* The live part of the stack [lo, hi) that t's sp lies in: from sp, or
 * from sp - LK_RED_ZONE unless sp_exact. */
static void scan_from_sp(struct scan_ctx *c, const lk_thread *t, uintptr_t lo,
                         uintptr_t hi) {
  uintptr_t from = t->sp_exact                ? t->sp
                   : t->sp - lo > LK_RED_ZONE ? t->sp - LK_RED_ZONE
                                              : lo;
  c->scan(from, hi, "stack", false, c->arg);
}

static void scan_thread(lk_thread *t, void *arg) {
  struct scan_ctx *c = arg;
  if (lk_flags.use_stacks && t->stack_hi) {
    if (t->sp >= t->stack_lo && t->sp <= t->stack_hi) {
      scan_from_sp(c, t, t->stack_lo, t->stack_hi);
    } else {
      /* A signal handler on the alternate stack: its frames there, and
       * the thread's stack below the interrupted code, whose sp we do not
       * know. */
      if (t->alt_hi && t->sp >= t->alt_lo && t->sp <= t->alt_hi)
        scan_from_sp(c, t, t->alt_lo, t->alt_hi);
      struct whole_stack w = {c, t->stack_lo, t->stack_hi};
      lk_for_each_readable_mapping(scan_stack_in_mapping, &w, "stacks");
    }
  }
  if (lk_flags.use_registers && t->nregs)
    c->scan((uintptr_t)t->regs, (uintptr_t)(t->regs + t->nregs), "registers",
            false, c->arg);
  if (lk_flags.use_tls && t->tls_hi)
    scan_tls(c, t);
}

void lk_for_each_root(lk_root_fn scan, void *arg, bool precise) {
  struct scan_ctx c = {scan, arg, chan_below_hi()};
  if (lk_flags.verbosity >= 1)
    lk_printf("leakcc: scanning roots (%zu root region(s), %zu instrumented "
              "module(s))\n",
              roots.nregions, roots.nmodules);
  if (lk_flags.use_globals) {
    update_liveness();
    dl_iterate_phdr(scan_module, &c);
  }
  lk_for_each_thread(scan_thread, &c);
  if (lk_flags.use_root_regions && roots.nregions)
    lk_for_each_readable_mapping(scan_regions_in_mapping, &c, "root regions");
  /* References only interceptors know of (the kernel's, mmap regions) are
   * precise mode's: conservative marking stays LSan's. */
  if (precise)
    lk_intercept_roots(scan, arg);
}
