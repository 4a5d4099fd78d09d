// Sound precision (issue 9, mechanism 8): the system expat, built without
// leakcc, used as programs use it.  The element and character-data handlers
// (instrumented code called from expat) malloc a 48-byte node per element,
// strdup its name and attribute value and grow its text with realloc,
// linking everything into a tree in a heap struct; one parser finishes its
// document and is freed, a second one is left mid-document until exit.  The
// trees, their strings and the open parser are live.  The handler for
// <note> mallocs a 77-byte scratch buffer and forgets it: the leak.  Every
// build must also get the Inputs/sound.h decoys right (keep 120, report
// 136), which conservative marking gets wrong.
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

struct node {
  char *name;
  char *id; /* the id attribute, or NULL */
  char *text;
  size_t len;
  struct node *child, *next;
};

struct doc {
  struct node *root, *cur;
  struct node *stack[16];
  int depth;
};

struct doc *volatile done_doc, *volatile open_doc;
XML_Parser volatile open_parser;
char *volatile scratch;

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  struct doc *d = ud;
  struct node *n = calloc(1, sizeof *n);
  n->name = strdup(name);
  for (int i = 0; atts[i]; i += 2)
    if (!strcmp(atts[i], "id"))
      n->id = strdup(atts[i + 1]);
  if (!strcmp(name, "note")) {
    scratch = malloc(77);
    memset(scratch, 'n', 77);
    scratch = NULL; /* the leak */
  }
  if (d->depth) {
    struct node *parent = d->stack[d->depth - 1];
    n->next = parent->child;
    parent->child = n;
  } else {
    d->root = n;
  }
  d->stack[d->depth++] = n;
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  (void)name;
  ((struct doc *)ud)->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  struct doc *d = ud;
  if (!d->depth)
    return;
  struct node *n = d->stack[d->depth - 1];
  n->text = realloc(n->text, n->len + (size_t)len + 1);
  memcpy(n->text + n->len, s, (size_t)len);
  n->len += (size_t)len;
  n->text[n->len] = 0;
}

__attribute__((noinline)) static XML_Parser parse(struct doc *d,
                                                  const char *xml, int final) {
  XML_Parser p = XML_ParserCreate(NULL);
  XML_SetUserData(p, d);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  if (XML_Parse(p, xml, (int)strlen(xml), final) != XML_STATUS_OK)
    abort();
  return p;
}

__attribute__((noinline)) static void build(void) {
  struct doc *d = calloc(1, sizeof *d);
  XML_ParserFree(parse(d,
                       "<catalog><book id='b1'><title>Expat</title>"
                       "<note>kept in a tree</note></book>"
                       "<book id='b2'><title>Zlib</title></book></catalog>",
                       1));
  done_doc = d;
  struct doc *e = calloc(1, sizeof *e);
  open_parser = parse(e, "<stream><item id='i1'>first</item><item id='i2'>se",
                      0);
  open_doc = e;
}

__attribute__((noinline)) static void show(void) {
  struct node *r = done_doc->root, *last = r->child, *first = last->next;
  fprintf(stderr, "%s: %s %s '%s' '%s', %s %s '%s'; open: %s %s '%s'\n",
          r->name, first->name, first->id, first->child->next->text,
          first->child->text, last->name, last->id, last->child->text,
          open_doc->root->name, open_doc->root->child->id,
          open_doc->root->child->text);
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
// PRECISE: catalog: book b1 'Expat' 'kept in a tree', book b2 'Zlib'; open: stream i2 'se'
// PRECISE-NOT: leak of 120 byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 77 byte(s) in 1 object(s)
// PRECISE-NOT: leak of 120 byte
// PRECISE: SUMMARY: leakcc: 213 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: catalog: book b1 'Expat' 'kept in a tree', book b2 'Zlib'; open: stream i2 'se'
// CONS-NOT: leak of 136 byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 77 byte(s) in 1 object(s)
// CONS-NOT: leak of 136 byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 197 byte(s) leaked in 2 allocation(s).
