/*
 * The root set (lk.h, roots.c section), as LSan defines it:
 *
 *   use_globals       writable PT_LOAD segments of every loaded module
 *                     (dl_iterate_phdr), except the runtime's own state in
 *                     section leakcc_state (see scan_segment).
 *   use_stacks        [sp - 128, stack_hi) of every stopped thread (128: the
 *                     x86-64 red zone); the whole stack when sp lies outside
 *                     it (alternate signal stack, swapcontext) or is unknown
 *                     (a thread that could not be stopped), then only its
 *                     mapped readable parts: the main thread's stack bounds
 *                     span the whole rlimit, most of it never mapped.
 *   use_registers     the general registers saved when the thread stopped.
 *   use_tls           static TLS and the thread descriptor (which holds the
 *                     pthread_setspecific slots and the DTV pointer).
 *   use_root_regions  __lsan_register_root_region ranges, only the parts
 *                     mapped readable (read from /proc/self/maps per check).
 *
 * Every range handed to the scanner is readable, so the marker never faults.
 * Instrumented modules registered by __leakcc_register_module are recorded
 * for the precise marker (issue 3); today their globals are scanned as part
 * of their module's writable segments.
 *
 * Concurrency: the mutators and lk_for_each_root are serialised by the
 * caller (interface.c's check lock, held across a leak check), so a stopped
 * thread never holds a lock the marker needs.
 */
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk.h"

#define RED_ZONE 128

typedef void (*scan_fn)(uintptr_t lo, uintptr_t hi, const char *what,
                        void *arg);

/* A registered root region; registering the same range twice needs two
 * unregistrations, as in LSan. */
typedef struct region {
  uintptr_t lo, hi;
  size_t count;
} region;

/* All module state (lk_ialloc memory, grown by doubling). */
static struct {
  region *regions;
  size_t nregions, regions_cap;
  const struct __leakcc_module **modules;
  size_t nmodules, modules_cap;
} roots;

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

void lk_modules_register(const struct __leakcc_module *m) {
  roots.modules = lk_igrow(roots.modules, roots.nmodules,
                           &roots.modules_cap, sizeof *roots.modules);
  roots.modules[roots.nmodules++] = m;
  if (lk_flags.verbosity >= 2)
    lk_printf("leakcc: registered module %s (%u globals)\n",
              m->name ? m->name : "<unnamed>", m->num_globals);
}

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

/* Calls visit for every readable mapping in /proc/self/maps.  Reads with a
 * fixed buffer and no allocation (the world is stopped).  A line longer than
 * the buffer (a long path) is parsed from its start and its tail skipped. */
static void for_each_readable_mapping(void (*visit)(uintptr_t lo, uintptr_t hi,
                                                    void *arg),
                                      void *arg) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    lk_warn("cannot read /proc/self/maps; root regions are not scanned");
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
  scan_fn scan;
  void *arg;
};

static void scan_regions_in_mapping(uintptr_t lo, uintptr_t hi, void *arg) {
  struct scan_ctx *c = arg;
  for (size_t i = 0; i < roots.nregions; i++) {
    uintptr_t b = roots.regions[i].lo > lo ? roots.regions[i].lo : lo;
    uintptr_t e = roots.regions[i].hi < hi ? roots.regions[i].hi : hi;
    if (b < e)
      c->scan(b, e, "root region", c->arg);
  }
}

/* ------------------------------------------------------------- globals */

/* Runtime state whose words may equal user block addresses (region bases,
 * heap bounds) lives in section LK_STATE_SECTION ("leakcc_state") and is
 * not a root, as LSan excludes its allocator's globals.  The linker defines
 * these per module; they are absent (NULL) if no file uses the section. */
extern char __start_leakcc_state[] __attribute__((weak, visibility("hidden")));
extern char __stop_leakcc_state[] __attribute__((weak, visibility("hidden")));

/* Scans [lo, hi) minus the runtime's own state. */
static void scan_segment(struct scan_ctx *c, uintptr_t lo, uintptr_t hi) {
  uintptr_t xlo = (uintptr_t)__start_leakcc_state;
  uintptr_t xhi = (uintptr_t)__stop_leakcc_state;
  if (xlo < xhi && xlo < hi && xhi > lo) {
    if (lo < xlo)
      c->scan(lo, xlo, "globals", c->arg);
    if (xhi < hi)
      c->scan(xhi, hi, "globals", c->arg);
    return;
  }
  c->scan(lo, hi, "globals", c->arg);
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
    w->c->scan(b, e, "stack", w->c->arg);
}

static void scan_thread(lk_thread *t, void *arg) {
  struct scan_ctx *c = arg;
  if (lk_flags.use_stacks && t->stack_hi) {
    if (t->sp >= t->stack_lo && t->sp < t->stack_hi) {
      uintptr_t lo = t->sp - t->stack_lo > RED_ZONE ? t->sp - RED_ZONE
                                                    : t->stack_lo;
      c->scan(lo, t->stack_hi, "stack", c->arg);
    } else {
      struct whole_stack w = {c, t->stack_lo, t->stack_hi};
      for_each_readable_mapping(scan_stack_in_mapping, &w);
    }
  }
  if (lk_flags.use_registers && t->nregs)
    c->scan((uintptr_t)t->regs, (uintptr_t)(t->regs + t->nregs), "registers",
            c->arg);
  if (lk_flags.use_tls && t->tls_hi)
    c->scan(t->tls_lo, t->tls_hi, "tls", c->arg);
}

void lk_for_each_root(scan_fn scan, void *arg) {
  struct scan_ctx c = {scan, arg};
  if (lk_flags.verbosity >= 1)
    lk_printf("leakcc: scanning roots (%zu root region(s), %zu instrumented "
              "module(s))\n",
              roots.nregions, roots.nmodules);
  if (lk_flags.use_globals)
    dl_iterate_phdr(scan_module, &c);
  lk_for_each_thread(scan_thread, &c);
  if (lk_flags.use_root_regions && roots.nregions)
    for_each_readable_mapping(scan_regions_in_mapping, &c);
}
