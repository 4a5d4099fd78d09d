// Hidden pointer (issue 3, idiom 15): pointers written by libc.  scandir
// stores its name array, and glob its path vector, into fields of an
// instrumented heap struct: those words get no shadow from the pass, yet the
// arrays and every entry they point to (blocks libc allocated) are live.
// The listing also keeps a title and forgets to free the old one when it is
// replaced, a 203-byte leak.  mode=precise must keep libc's results (the
// summary admits no other leak) and report the old title.
//
// No mode=conservative run line: the libc-written words are raw pointers, so
// conservative scanning happens to be right here.
// RUN: rm -rf %t.dir && mkdir -p %t.dir && touch %t.dir/a.txt %t.dir/b.txt %t.dir/c.log
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t %t.dir 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 %t.dir 2>&1 | FileCheck %s
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"

struct listing {
  struct dirent **names;
  int n;
  glob_t txt;
  char *title;
};

struct listing *volatile listing;

static int visible(const struct dirent *d) { return d->d_name[0] != '.'; }

__attribute__((noinline)) static char *make_title(size_t size) {
  char *t = malloc(size);
  memset(t, '=', size - 1);
  t[size - 1] = 0;
  return t;
}

__attribute__((noinline)) static void build(const char *dir) {
  struct listing *l = calloc(1, sizeof *l);
  l->title = make_title(203);
  l->n = scandir(dir, &l->names, visible, alphasort);
  if (l->n < 0)
    abort();
  char pattern[4096];
  snprintf(pattern, sizeof pattern, "%s/*.txt", dir);
  if (glob(pattern, 0, NULL, &l->txt))
    abort();
  l->title = make_title(16); /* the old title leaks */
  listing = l;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%d names:", listing->n);
  for (int i = 0; i < listing->n; i++)
    fprintf(stderr, " %s", listing->names[i]->d_name);
  fprintf(stderr, "; %zu txt, last %s\n", listing->txt.gl_pathc,
          strrchr(listing->txt.gl_pathv[listing->txt.gl_pathc - 1], '/') + 1);
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  build(argv[1]);
  show();
  scrub_stack();
  return 0;
}
// CHECK: 3 names: a.txt b.txt c.log; 2 txt, last b.txt
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
