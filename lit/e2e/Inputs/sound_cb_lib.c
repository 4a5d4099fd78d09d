/* Built without leakcc by sound_cb_lib.c: a list library that allocates its
 * header and its nodes through the caller's allocator callback and links
 * them with its own stores, so the caller's (instrumented) blocks hold
 * pointers that no instrumented store wrote. */
#include <stddef.h>
#include <string.h>

typedef void *(*lib_alloc_fn)(size_t size);

struct lib_node {
  struct lib_node *next;
  size_t size;
  char text[];
};

struct lib_list {
  lib_alloc_fn alloc;
  struct lib_node *head;
  size_t count;
};

struct lib_list *lib_list_new(lib_alloc_fn alloc) {
  struct lib_list *l = alloc(sizeof *l);
  l->alloc = alloc;
  l->head = NULL;
  l->count = 0;
  return l;
}

/* Adds a node of sizeof(struct lib_node) + payload bytes at the head. */
void lib_list_push(struct lib_list *l, size_t payload, const char *text) {
  struct lib_node *n = l->alloc(sizeof *n + payload);
  memset(n->text, 0, payload);
  strncpy(n->text, text, payload - 1);
  n->size = payload;
  n->next = l->head;
  l->head = n;
  l->count++;
}

/* Unlinks the head node and hands it to the caller. */
void *lib_list_pop(struct lib_list *l) {
  struct lib_node *n = l->head;
  if (n) {
    l->head = n->next;
    n->next = NULL;
    l->count--;
  }
  return n;
}

const char *lib_list_text(const struct lib_list *l, size_t i) {
  const struct lib_node *n = l->head;
  while (n && i--)
    n = n->next;
  return n ? n->text : NULL;
}
