// Sound precision (issue 9, mechanism 8): the system glib, built without
// leakcc, used as programs use it.  A GHashTable of g_strdup'd keys and
// values: g_hash_table_iter_next hands entries back through out-parameters
// in the caller's frame, and the program moves two of them (keys and
// values) into its own heap array with g_hash_table_iter_steal, the only
// references left, and so does it with a fifth entry whose value is an
// 88-byte block from malloc; a fourth entry stays in the table.  A GList and a
// GPtrArray hold 56-, 64-, 72- and 80-byte blocks from malloc;
// g_file_get_contents stores its buffer through &app->contents, a field of
// an instrumented heap struct.  All of that is live.  Two leaks: the program
// steals a third entry and frees only its key (the 41-byte value leaks), and
// frees a second GPtrArray with g_ptr_array_free(.., TRUE) and no element
// free function (its 99-byte element leaks).  G_SLICE=always-malloc makes
// glib's small blocks ordinary heap blocks, as for any leak checker.  Every
// build must also get the Inputs/sound.h decoys right (keep 120, report
// 136), which conservative marking gets wrong.
// REQUIRES: glib
// RUN: %leakcc -O0 %s %glib_flags -o %t.O0
// RUN: env G_SLICE=always-malloc not %run %t.O0 %s 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: env G_SLICE=always-malloc LEAKCC_OPTIONS=mode=conservative not %run %t.O0 %s 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O1 %s %glib_flags -o %t.O1
// RUN: env G_SLICE=always-malloc not %run %t.O1 %s 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 %s %glib_flags -o %t.O2
// RUN: env G_SLICE=always-malloc not %run %t.O2 %s 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: env G_SLICE=always-malloc LEAKCC_OPTIONS=mode=conservative not %run %t.O2 %s 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcc -O3 %s %glib_flags -o %t.O3
// RUN: env G_SLICE=always-malloc not %run %t.O3 %s 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcc -O2 -flto %s %glib_flags -o %t.lto
// RUN: env G_SLICE=always-malloc not %run %t.lto %s 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsan -O2 %s %glib_flags -o %t.lsan %}
// RUN: %if lsan %{ env G_SLICE=always-malloc not %run %t.lsan %s 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct record {
  char *name, *value;
};

struct app {
  GHashTable *table;
  struct record *rec; /* 3, in a block glib never sees */
  GList *list;
  GPtrArray *array;
  gchar *contents;
  gsize length;
};

struct app *volatile app;

__attribute__((noinline)) static char *block(size_t size, const char *s) {
  char *p = malloc(size);
  memset(p, 0, size);
  strcpy(p, s);
  return p;
}

__attribute__((noinline)) static char *block(size_t size, const char *s);

__attribute__((noinline)) static void fill(GHashTable *t) {
  g_hash_table_insert(t, g_strdup("alpha"), g_strdup("first value"));
  g_hash_table_insert(t, g_strdup("beta"), g_strdup("second value"));
  /* 40 characters: a 41-byte block */
  g_hash_table_insert(t, g_strdup("gamma"),
                      g_strdup("dropped value, forty characters long...."));
  g_hash_table_insert(t, g_strdup("delta"), g_strdup("stays in the table"));
  g_hash_table_insert(t, g_strdup("epsilon"), block(88, "from malloc"));
}

__attribute__((noinline)) static void take(struct app *a) {
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, a->table);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    int slot = !strcmp(key, "alpha")     ? 0
               : !strcmp(key, "beta")    ? 1
               : !strcmp(key, "epsilon") ? 2
                                         : -1;
    if (slot >= 0) {
      a->rec[slot].name = key;
      a->rec[slot].value = value;
      g_hash_table_iter_steal(&it);
    } else if (!strcmp(key, "gamma")) {
      g_hash_table_iter_steal(&it);
      g_free(key); /* the value leaks */
    }
  }
}

__attribute__((noinline)) static void build(const char *path) {
  struct app *a = calloc(1, sizeof *a);
  a->rec = calloc(3, sizeof *a->rec);
  a->table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  fill(a->table);
  take(a);
  a->list = g_list_append(a->list, block(56, "list one"));
  a->list = g_list_append(a->list, block(64, "list two"));
  a->array = g_ptr_array_new();
  g_ptr_array_add(a->array, block(72, "array one"));
  g_ptr_array_add(a->array, block(80, "array two"));
  GPtrArray *tmp = g_ptr_array_new();
  g_ptr_array_add(tmp, block(99, "lost"));
  g_ptr_array_free(tmp, TRUE); /* no free function: the 99-byte block leaks */
  if (!g_file_get_contents(path, &a->contents, &a->length, NULL))
    abort();
  app = a;
}

__attribute__((noinline)) static void show(void) {
  fprintf(stderr, "%s=%s %s=%s %s=%s, %u left: %s; %s, %s; %s, %s; %.15s\n",
          app->rec[0].name, app->rec[0].value, app->rec[1].name,
          app->rec[1].value, app->rec[2].name, app->rec[2].value,
          g_hash_table_size(app->table),
          (char *)g_hash_table_lookup(app->table, "delta"),
          (char *)app->list->data, (char *)app->list->next->data,
          (char *)g_ptr_array_index(app->array, 0),
          (char *)g_ptr_array_index(app->array, 1), app->contents + 3);
}

int main(int argc, char **argv) {
  (void)argc;
  sound_decoys();
  sound_print();
  build(argv[1]);
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: alpha=first value beta=second value epsilon=from malloc, 1 left: stays in the table; list one, list two; array one, array two; Sound precision
// PRECISE-NOT: leak of {{56|64|72|80|88|120}} byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 99 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 41 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{56|64|72|80|88|120}} byte
// PRECISE: SUMMARY: leakcc: 276 byte(s) leaked in 3 allocation(s).

// CONS: hidden
// CONS: alpha=first value beta=second value epsilon=from malloc, 1 left: stays in the table; list one, list two; array one, array two; Sound precision
// CONS-NOT: leak of {{56|64|72|80|88|136}} byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 99 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 41 byte(s) in 1 object(s)
// CONS-NOT: leak of {{56|64|72|80|88|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 260 byte(s) leaked in 3 allocation(s).
