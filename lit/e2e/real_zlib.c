// Sound precision (issue 9, mechanism 8): the system zlib, built without
// leakcc, used as programs use it.  compress2 and uncompress write into
// buffers from malloc (a 1013-byte compressBound(1000) buffer and a
// 1024-byte one) and store the lengths through pointers to fields of a heap
// struct; an inflate stream with zlib's default allocators, in its own heap
// struct, is fed half of the compressed data and stays open until exit (its
// state and window are zlib's blocks, linked from the z_stream by zlib's
// stores).  All of that is live.  A second compressed copy, in a 513-byte
// compressBound(500) buffer, is dropped: the leak.  Every build must also
// get the Inputs/sound.h decoys right (keep 120, report 136), which
// conservative marking gets wrong.
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

struct archive {
  Bytef *packed; /* compressBound(1000) bytes */
  uLongf packed_len;
  Bytef *unpacked; /* 1024 bytes */
  uLongf unpacked_len;
  struct reader *reader;
};

struct reader {
  z_stream strm;
  Bytef out[64];
};

struct archive *volatile archive;
Bytef *volatile lost;

static Bytef text[1000];

__attribute__((noinline)) static void make_text(void) {
  for (size_t i = 0; i < sizeof text; i++)
    text[i] = "abcdefghij"[(i * 7 + i / 13) % 10];
}

__attribute__((noinline)) static void build(void) {
  struct archive *a = calloc(1, sizeof *a);
  a->packed_len = compressBound(sizeof text);
  a->packed = malloc(a->packed_len);
  if (compress2(a->packed, &a->packed_len, text, sizeof text, 9) != Z_OK)
    abort();
  a->unpacked = malloc(1024);
  a->unpacked_len = 1024;
  if (uncompress(a->unpacked, &a->unpacked_len, a->packed, a->packed_len) !=
      Z_OK)
    abort();
  struct reader *r = calloc(1, sizeof *r);
  if (inflateInit(&r->strm) != Z_OK)
    abort();
  r->strm.next_in = a->packed;
  r->strm.avail_in = (uInt)(a->packed_len / 2);
  r->strm.next_out = r->out;
  r->strm.avail_out = sizeof r->out;
  if (inflate(&r->strm, Z_NO_FLUSH) != Z_OK) /* stays open */
    abort();
  a->reader = r;
  uLongf n = compressBound(500);
  lost = malloc(n); /* 513 bytes */
  if (compress(lost, &n, text, 500) != Z_OK)
    abort();
  lost = NULL; /* the leak */
  archive = a;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%lu -> %s -> %lu bytes, %s; reader %s\n",
          (unsigned long)sizeof text,
          archive->packed_len < 200 ? "small" : "large",
          (unsigned long)archive->unpacked_len,
          memcmp(archive->unpacked, text, sizeof text) ? "differs" : "same",
          archive->reader->strm.total_out ? "started" : "idle");
}

int main(void) {
  sound_decoys();
  sound_print();
  make_text();
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: 1000 -> small -> 1000 bytes, same; reader started
// PRECISE-NOT: leak of {{1013|1024|120}} byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 513 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{1013|1024|120}} byte
// PRECISE: SUMMARY: leakcc: 649 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: 1000 -> small -> 1000 bytes, same; reader started
// CONS-NOT: leak of {{1013|1024|136}} byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 513 byte(s) in 1 object(s)
// CONS-NOT: leak of {{1013|1024|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 633 byte(s) leaked in 2 allocation(s).
