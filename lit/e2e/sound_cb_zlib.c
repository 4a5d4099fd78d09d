// Sound precision (issue 9, mechanism 4): blocks handed to uninstrumented
// code through allocator callbacks.  zlib (the system libz, built without
// leakcc) allocates its deflate state, window and hash tables through the
// program's zalloc callback, so they are blocks of instrumented code, and
// links them with its own stores: deflate_state's pointers are written by
// zlib, and the z_stream's `state` field too.  Two deflate streams stay open
// until exit, one in a global z_stream and one in a heap struct: every block
// keep_zalloc returned is live, and no report may mention keep_zalloc.  A
// 99-byte header buffer leaks.  Every build must also get the Inputs/sound.h
// decoys right (keep 120, report 136), which conservative marking gets wrong.
// REQUIRES: zlib
// RUN: %leakcc -O0 %s -lz -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -lz -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -lz -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -lz -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -lz -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -lz -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct compressor {
  z_stream strm;
  unsigned char out[256];
};

z_stream g_strm;
struct compressor *volatile comp;
unsigned char g_out[256];
volatile unsigned long nallocs;
char *volatile header;

static voidpf keep_zalloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  nallocs++;
  return malloc((size_t)items * size);
}

static void keep_zfree(voidpf opaque, voidpf p) {
  (void)opaque;
  free(p);
}

static const char text[] = "the quick brown fox jumps over the lazy dog; "
                           "the quick brown fox jumps over the lazy dog";

__attribute__((noinline)) static void start(z_stream *s, unsigned char *out,
                                            size_t outlen, int level) {
  memset(s, 0, sizeof *s);
  s->zalloc = keep_zalloc;
  s->zfree = keep_zfree;
  if (deflateInit(s, level) != Z_OK)
    abort();
  s->next_in = (Bytef *)text;
  s->avail_in = sizeof text;
  s->next_out = out;
  s->avail_out = (uInt)outlen;
  if (deflate(s, Z_NO_FLUSH) != Z_OK) /* the stream stays open */
    abort();
}

__attribute__((noinline)) static void build(void) {
  start(&g_strm, g_out, sizeof g_out, 6);
  struct compressor *c = malloc(sizeof *c);
  start(&c->strm, c->out, sizeof c->out, 9);
  comp = c;
  header = malloc(99);
  memset(header, 'h', 99);
  header = NULL; /* the leak */
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "open streams: %lu + %lu bytes in, %lu allocations\n",
          g_strm.total_in, comp->strm.total_in, nallocs);
}

int main(void) {
  sound_decoys();
  sound_print();
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: open streams: 89 + 89 bytes in, 10 allocations
// PRECISE-NOT: keep_zalloc
// PRECISE-NOT: leak of 120 byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 99 byte(s) in 1 object(s)
// PRECISE-NOT: keep_zalloc
// PRECISE-NOT: leak of 120 byte
// PRECISE: SUMMARY: leakcc: 235 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: open streams: 89 + 89 bytes in, 10 allocations
// CONS-NOT: keep_zalloc
// CONS-NOT: leak of 136 byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 99 byte(s) in 1 object(s)
// CONS-NOT: keep_zalloc
// CONS-NOT: leak of 136 byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 219 byte(s) leaked in 2 allocation(s).
