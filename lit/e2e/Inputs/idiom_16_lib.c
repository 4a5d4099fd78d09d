/* An uninstrumented library (built with plain clang, as a .a and a .so) for
 * idiom_16_uninstrumented_lib.c: it stores its caller's pointers into memory
 * the caller provides and into its own globals, without shadow. */
#include <stdlib.h>

/* An object the caller allocates; the library fills its fields. */
struct lib_obj {
  int kind;
  void *user;
};

/* A vector whose header the caller allocates; the library allocates and
 * grows the item array. */
struct lib_vec {
  size_t n, cap;
  void **items;
};

#define LIB_MAX 8
static void *lib_registered[LIB_MAX];
static int lib_count;

void lib_obj_init(struct lib_obj *o, int kind, void *user) {
  o->kind = kind;
  o->user = user;
}

void *lib_obj_user(const struct lib_obj *o) { return o->user; }

void lib_vec_push(struct lib_vec *v, void *item) {
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 2;
    v->items = realloc(v->items, v->cap * sizeof *v->items);
    if (!v->items)
      abort();
  }
  v->items[v->n++] = item;
}

void lib_register(void *p) {
  if (lib_count < LIB_MAX)
    lib_registered[lib_count++] = p;
}

/* Forgets p; the caller still owns it. */
void lib_unregister(void *p) {
  for (int i = 0; i < lib_count; i++)
    if (lib_registered[i] == p) {
      lib_registered[i] = lib_registered[--lib_count];
      lib_registered[lib_count] = NULL;
      return;
    }
}

void *lib_registered_at(int i) { return i < lib_count ? lib_registered[i] : NULL; }
