// Sound precision (issue 9, mechanism 4): blocks handed to uninstrumented
// code through allocator callbacks.  expat (the system libexpat, built
// without leakcc) allocates its parser, buffers, DTD and hash tables through
// the program's memory suite (XML_ParserCreate_MM), so they are blocks of
// instrumented code, and links them with its own stores.  The parser stays
// in a global, mid-document (XML_Parse with isFinal 0), until exit: every
// block keep_malloc or keep_realloc returned is live, and no report may
// mention them.  A 99-byte buffer leaks.  Every build must also get the
// Inputs/sound.h decoys right (keep 120, report 136), which conservative
// marking gets wrong.
// REQUIRES: expat
// RUN: %leakcc -O0 %s -lexpat -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s -lexpat -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s -lexpat -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s -lexpat -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s -lexpat -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s -lexpat -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

XML_Parser volatile parser;
volatile unsigned long nallocs, depth, elements;
char *volatile scratch;

static void *keep_malloc(size_t n) {
  nallocs++;
  return malloc(n);
}

static void *keep_realloc(void *p, size_t n) {
  nallocs++;
  return realloc(p, n);
}

static void keep_free(void *p) { free(p); }

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  (void)ud, (void)name, (void)atts;
  depth++;
  elements++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  (void)ud, (void)name;
  depth--;
}

static const char doc[] =
    "<?xml version='1.0'?>"
    "<!DOCTYPE library [<!ENTITY pub 'a long publisher name, for the DTD'>]>"
    "<library owner='someone'><book id='1' lang='en'><title>&pub;</title>"
    "</book><book id='2'><title>second</title>";

__attribute__((noinline)) static void build(void) {
  static const XML_Memory_Handling_Suite suite = {keep_malloc, keep_realloc,
                                                  keep_free};
  XML_Parser p = XML_ParserCreate_MM(NULL, &suite, NULL);
  if (!p)
    abort();
  XML_SetElementHandler(p, on_start, on_end);
  if (XML_Parse(p, doc, (int)strlen(doc), 0) != XML_STATUS_OK)
    abort();
  parser = p; /* mid-document: the parser stays open */
  scratch = malloc(99);
  memset(scratch, 'x', 99);
  scratch = NULL; /* the leak */
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%lu elements, depth %lu, line %lu, %s allocations\n",
          elements, depth, XML_GetCurrentLineNumber(parser),
          nallocs > 5 ? "several" : "few");
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
// PRECISE: 5 elements, depth 2, line 1, several allocations
// PRECISE-NOT: keep_{{malloc|realloc}}
// PRECISE-NOT: leak of 120 byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 99 byte(s) in 1 object(s)
// PRECISE-NOT: keep_{{malloc|realloc}}
// PRECISE-NOT: leak of 120 byte
// PRECISE: SUMMARY: leakcc: 235 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: 5 elements, depth 2, line 1, several allocations
// CONS-NOT: keep_{{malloc|realloc}}
// CONS-NOT: leak of 136 byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 99 byte(s) in 1 object(s)
// CONS-NOT: keep_{{malloc|realloc}}
// CONS-NOT: leak of 136 byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 219 byte(s) leaked in 2 allocation(s).
