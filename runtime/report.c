/*
 * Leak reports in LeakSanitizer's exact text (lsan_common.cpp), with
 * "LeakSanitizer" replaced by "leakcc":
 *
 *   <blank>
 *   =================================================================
 *   ==PID==ERROR: leakcc: detected memory leaks
 *   <blank>
 *   [The N top leak(s):]                        max_leaks < records
 *   Direct leak of 40 byte(s) in 1 object(s) allocated from:
 *       #0 0x55d0c1a2b3c4 in make_node /src/t.c:12:15
 *       #1 0x7f0000271c9  (/lib/x86_64-linux-gnu/libc.so.6+0x271c9)
 *   <blank>
 *   [Objects leaked above:                      report_objects=1
 *    0xADDR (N bytes)
 *    <blank>]
 *   [Omitting N more leak(s).]
 *   [Suppressions used: table]                  print_suppressions=1
 *   SUMMARY: leakcc: 40 byte(s) leaked in 1 allocation(s).
 *
 * A check is split in two so that nothing here runs while the world is
 * stopped except a copy: lk_report_collect() snapshots the leaked blocks
 * (no lock, no loader call, memory straight from mmap), and everything that
 * may take a libc lock -- symbolizing, dl_iterate_phdr, llvm-symbolizer --
 * runs in lk_report_leaks() once the threads are resumed, as LSan does.
 */
#include "lk.h"

#include <link.h>
#include <string.h>
#include <unistd.h>

typedef struct leaked_block {
  uintptr_t addr;
  size_t size;
  uint32_t stack_id;
  bool direct;
} leaked_block;

/* One line of the report: the leaked blocks sharing a stack and a kind. */
typedef struct leak_record {
  uint32_t stack_id;
  bool direct;
  bool suppressed;
  size_t first;           /* index of its first block: a stable tie-break */
  size_t total_size, count;
} leak_record;

/* All state of this file.  blocks/records live for one check; suppressed
 * stack ids persist across checks (LSan keeps them too). */
static struct {
  leaked_block *blocks;   /* from lk_mmap: usable while the world is stopped */
  size_t nblocks, blocks_cap;
  leak_record *records;   /* from lk_ialloc */
  size_t nrecords, records_cap;
  bool aggregated;        /* records reflect blocks and suppressions */
  uint32_t *suppressed;   /* sorted stack ids, from lk_ialloc */
  size_t nsuppressed, suppressed_cap;
  /* Leaked blocks that could not be listed (no memory for the tables):
   * counted in the summary and the status, unsuppressed, not printed. */
  size_t unlisted, unlisted_bytes;
} rep;

/* ------------------------------------------------------- unloaded sites */

/* The pass's site descriptors and the strings they point to are static data
 * of the instrumented module.  After the program dlcloses that module they
 * are unmapped (or reused by the next module), so a site is used only while
 * it and its strings lie in a loaded module; otherwise its frame is printed
 * from the return address alone, as LSan prints code of unloaded modules. */
static int in_module_cb(struct dl_phdr_info *info, size_t size, void *arg) {
  uintptr_t p = *(uintptr_t *)arg;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && p >= lo && p < lo + ph->p_memsz)
      return 1;
  }
  return 0;
}

static bool in_loaded_module(const void *p) {
  uintptr_t addr = (uintptr_t)p;
  return dl_iterate_phdr(in_module_cb, &addr) != 0;
}

static const struct __leakcc_site *live_site(const struct __leakcc_site *s) {
  if (!s || !in_loaded_module(s) ||
      (s->file && !in_loaded_module(s->file)) ||
      (s->function && !in_loaded_module(s->function)))
    return NULL;
  return s;
}

/* Room for a copy of a depot stack (lk_stack ends in a flexible array). */
typedef union stack_buf {
  lk_stack s;
  unsigned char bytes[sizeof(lk_stack) + LK_MAX_FRAMES * sizeof(uintptr_t)];
} stack_buf;

/* The depot's stack, or a copy without its site when the site's module has
 * been unloaded. */
static const lk_stack *usable_stack(uint32_t id, stack_buf *buf) {
  const lk_stack *s = lk_stack_get(id);
  if (!s || !s->site || live_site(s->site))
    return s;
  uint32_t n = s->nframes < LK_MAX_FRAMES ? s->nframes : LK_MAX_FRAMES;
  buf->s.site = NULL;
  buf->s.nframes = n;
  buf->s.from_loader = s->from_loader;
  memcpy(buf->s.frames, s->frames, n * sizeof *s->frames);
  return &buf->s;
}

/* ------------------------------------------------------- stack printing */

static void print_location(const char *file, unsigned line, unsigned col) {
  lk_printf("%s", file);
  if (line > 0)
    lk_printf(col > 0 ? ":%u:%u" : ":%u", line, col);
}

/* LSan's default frame format "    #%n %p %F %L". */
static void print_frame(unsigned no, uintptr_t pc, const char *function,
                        const char *file, unsigned line, unsigned col,
                        const char *module, uintptr_t module_offset) {
  lk_printf("    #%u 0x%zx ", no, (size_t)pc);
  if (function)
    lk_printf("in %s", function);
  lk_printf(" ");
  if (file)
    print_location(file, line, col);
  else if (module)
    lk_printf("(%s+0x%zx)", module, (size_t)module_offset);
  else
    lk_printf("(<unknown module>)");
  lk_printf("\n");
}

void lk_print_stack(const lk_stack *s) {
  const struct __leakcc_site *site = s ? live_site(s->site) : NULL;
  if (!s || (s->nframes == 0 && !site)) {
    lk_printf("    <empty stack>\n\n");
    return;
  }
  unsigned no = 0;
  if (site && s->nframes == 0) {
    print_frame(no++, 0, site->function, site->file, site->line, site->column,
                NULL, 0);
  }
  lk_frame_info f[LK_MAX_FRAMES];
  for (uint32_t i = 0; i < s->nframes && s->frames[i]; i++) {
    /* A return address: print and symbolize the call instruction. */
    uintptr_t pc = s->frames[i] - 1;
    unsigned n = lk_symbolize(pc, f, LK_MAX_FRAMES);
    unsigned k = 0;
    if (i == 0 && site && (site->function || site->file)) {
      /* The pass's site is exact for the innermost frame; when the call was
       * inlined, the symbolizer's outer frames name the functions it was
       * inlined into, which the site alone would drop. */
      print_frame(no++, pc, site->function, site->file, site->line,
                  site->column, NULL, 0);
      k = 1;
    }
    for (; k < n; k++)
      print_frame(no++, pc, f[k].function, f[k].file, f[k].line, f[k].column,
                  f[k].module, f[k].module_offset);
  }
  lk_printf("\n");
}

/* ------------------------------------------------------------ collection */

static void collect_cb(void *block, lk_meta *m, void *arg) {
  if (m->state != LK_ALLOCATED ||
      (m->tag != LK_TAG_UNMARKED && m->tag != LK_TAG_INDIRECT))
    return;
  if (rep.nblocks == rep.blocks_cap) {
    size_t cap = rep.blocks_cap ? rep.blocks_cap * 2 : 4096;
    leaked_block *b = lk_mmap_try(cap * sizeof *b);
    if (!b) { /* out of memory: counted, not listed */
      rep.unlisted++;
      rep.unlisted_bytes += m->size;
      return;
    }
    if (rep.blocks) {
      memcpy(b, rep.blocks, rep.nblocks * sizeof *b);
      lk_munmap(rep.blocks, rep.blocks_cap * sizeof *b);
    }
    rep.blocks = b;
    rep.blocks_cap = cap;
  }
  rep.blocks[rep.nblocks++] = (leaked_block){
      .addr = (uintptr_t)block, .size = m->size, .stack_id = m->stack_id,
      .direct = m->tag == LK_TAG_UNMARKED};
}

static void release_collection(void) {
  if (rep.blocks)
    lk_munmap(rep.blocks, rep.blocks_cap * sizeof *rep.blocks);
  if (rep.records)
    lk_ifree(rep.records, rep.records_cap * sizeof *rep.records);
  rep.blocks = NULL;
  rep.records = NULL;
  rep.nblocks = rep.blocks_cap = rep.nrecords = rep.records_cap = 0;
  rep.unlisted = rep.unlisted_bytes = 0;
  rep.aggregated = false;
}

void lk_report_collect(void) {
  release_collection();
  lk_for_each_block(collect_cb, NULL);
}

/* ----------------------------------------------------------- aggregation */

/* Records by (stack id, kind), in order of first appearance. */
static void aggregate(void) {
  size_t slots = 16;
  while (slots < rep.nblocks * 2)
    slots *= 2;
  size_t *table = lk_ialloc_try(slots * sizeof *table); /* record index + 1 */
  rep.records_cap = rep.nblocks ? rep.nblocks : 1;
  rep.records = table ? lk_ialloc_try(rep.records_cap * sizeof *rep.records)
                      : NULL;
  if (!rep.records) { /* out of memory: every block counted, none listed */
    lk_ifree(table, slots * sizeof *table);
    rep.records_cap = 0;
    for (size_t i = 0; i < rep.nblocks; i++) {
      rep.unlisted++;
      rep.unlisted_bytes += rep.blocks[i].size;
    }
    return;
  }
  for (size_t i = 0; i < rep.nblocks; i++) {
    const leaked_block *b = &rep.blocks[i];
    uint64_t key = (uint64_t)b->stack_id << 1 | b->direct;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (slots - 1);
    leak_record *r = NULL;
    for (; table[h]; h = (h + 1) & (slots - 1)) {
      leak_record *c = &rep.records[table[h] - 1];
      if (c->stack_id == b->stack_id && c->direct == b->direct) {
        r = c;
        break;
      }
    }
    if (!r) {
      r = &rep.records[rep.nrecords++];
      *r = (leak_record){.stack_id = b->stack_id, .direct = b->direct,
                         .first = i};
      table[h] = rep.nrecords;
    }
    r->total_size += b->size;
    r->count++;
  }
  lk_ifree(table, slots * sizeof *table);
}

/* ---------------------------------------------------------- suppressions */

bool lk_stack_suppressed(uint32_t stack_id) {
  size_t lo = 0, hi = rep.nsuppressed;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (rep.suppressed[mid] < stack_id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < rep.nsuppressed && rep.suppressed[lo] == stack_id;
}

static void remember_suppressed(uint32_t stack_id) {
  if (lk_stack_suppressed(stack_id))
    return;
  rep.suppressed = lk_igrow(rep.suppressed, rep.nsuppressed,
                            &rep.suppressed_cap, sizeof *rep.suppressed);
  size_t i = rep.nsuppressed++;
  for (; i > 0 && rep.suppressed[i - 1] > stack_id; i--)
    rep.suppressed[i] = rep.suppressed[i - 1];
  rep.suppressed[i] = stack_id;
}

bool lk_report_suppress(void) {
  if (rep.aggregated)
    return false;
  rep.aggregated = true;
  aggregate();
  lk_suppressions_init();
  bool new_stacks = false, indirect_left = false;
  for (size_t i = 0; i < rep.nrecords; i++) {
    leak_record *r = &rep.records[i];
    stack_buf buf;
    lk_suppression *s = lk_suppression_match(usable_stack(r->stack_id, &buf));
    if (s) {
      r->suppressed = true;
      s->hit_count += r->count;
      s->hit_bytes += r->total_size;
      new_stacks |= !lk_stack_suppressed(r->stack_id);
      remember_suppressed(r->stack_id);
    } else if (!r->direct) {
      indirect_left = true;
    }
  }
  return new_stacks && indirect_left;
}

/* --------------------------------------------------------------- output */

/* LSan's order: direct before indirect, then larger total first. */
static bool record_before(const leak_record *a, const leak_record *b) {
  if (a->direct != b->direct)
    return a->direct;
  if (a->total_size != b->total_size)
    return a->total_size > b->total_size;
  return a->first < b->first;
}

/* Shell sort: no malloc (qsort may call it), and the order is total. */
static void sort_records(void) {
  static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
    size_t gap = gaps[g];
    for (size_t i = gap; i < rep.nrecords; i++) {
      leak_record tmp = rep.records[i];
      size_t j = i;
      for (; j >= gap && record_before(&tmp, &rep.records[j - gap]); j -= gap)
        rep.records[j] = rep.records[j - gap];
      rep.records[j] = tmp;
    }
  }
}

static void print_record(const leak_record *r) {
  lk_printf("%s leak of %zu byte(s) in %zu object(s) allocated from:\n",
            r->direct ? "Direct" : "Indirect", r->total_size, r->count);
  lk_print_stack(lk_stack_get(r->stack_id));
  if (!lk_flags.report_objects)
    return;
  lk_printf("Objects leaked above:\n");
  for (size_t i = r->first; i < rep.nblocks; i++) {
    const leaked_block *b = &rep.blocks[i];
    if (b->stack_id == r->stack_id && b->direct == r->direct)
      lk_printf("%p (%zu bytes)\n", (void *)b->addr, b->size);
  }
  lk_printf("\n");
}

size_t lk_report_leaks(void) {
  lk_report_suppress();
  size_t unsuppressed = 0, bytes = 0, blocks = 0;
  for (size_t i = 0; i < rep.nrecords; i++) {
    if (rep.records[i].suppressed)
      continue;
    unsuppressed++;
    bytes += rep.records[i].total_size;
    blocks += rep.records[i].count;
  }
  if (unsuppressed || rep.unlisted) {
    lk_printf("\n=================================================================\n");
    lk_printf("==%d==ERROR: leakcc: detected memory leaks\n", (int)getpid());
    lk_printf("\n");
    size_t max = lk_flags.max_leaks > 0 ? (size_t)lk_flags.max_leaks : 0;
    if (max > 0 && max < unsuppressed)
      lk_printf("The %zu top leak(s):\n", max);
    sort_records();
    size_t printed = 0;
    for (size_t i = 0; i < rep.nrecords && (max == 0 || printed < max); i++) {
      if (rep.records[i].suppressed)
        continue;
      print_record(&rep.records[i]);
      printed++;
    }
    if (printed < unsuppressed)
      lk_printf("Omitting %zu more leak(s).\n", unsuppressed - printed);
    if (rep.unlisted)
      lk_warn("out of memory for the leak report: %zu more leaked block(s) "
              "(%zu bytes) are not listed (nor matched against "
              "suppressions)\n", rep.unlisted, rep.unlisted_bytes);
  }
  if (lk_flags.print_suppressions)
    lk_suppressions_print_used();
  bytes += rep.unlisted_bytes;
  blocks += rep.unlisted;
  if (unsuppressed || rep.unlisted)
    lk_printf("SUMMARY: leakcc: %zu byte(s) leaked in %zu allocation(s).\n",
              bytes, blocks);
  release_collection();
  lk_symbolize_reset();
  return blocks;
}
