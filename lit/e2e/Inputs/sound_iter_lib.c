/* Built without leakcc by sound_iter_outparam.c: a glib-style table whose
 * iterator hands entries back through out-parameters in the caller's frame
 * (as g_hash_table_iter_next and g_hash_table_steal_extended do).  Stealing
 * clears the table's slot, so afterwards the caller's copy is the only
 * reference. */
#include <stdlib.h>

struct lib_table {
  size_t n;
  void *keys[8];
  void *values[8];
};

typedef struct {
  struct lib_table *t;
  size_t i;
} lib_iter;

struct lib_table *lib_table_new(void) { return calloc(1, sizeof(struct lib_table)); }

void lib_table_put(struct lib_table *t, void *key, void *value) {
  if (t->n == 8)
    abort();
  t->keys[t->n] = key;
  t->values[t->n] = value;
  t->n++;
}

void lib_iter_init(lib_iter *it, struct lib_table *t) {
  it->t = t;
  it->i = 0;
}

/* Moves the next entry into *key and *value and clears it in the table. */
int lib_iter_steal_next(lib_iter *it, void **key, void **value) {
  struct lib_table *t = it->t;
  while (it->i < t->n) {
    size_t i = it->i++;
    if (!t->keys[i])
      continue;
    *key = t->keys[i];
    *value = t->values[i];
    t->keys[i] = NULL;
    t->values[i] = NULL;
    return 1;
  }
  return 0;
}
