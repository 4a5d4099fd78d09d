/* A small program with one direct leak (a list whose head is dropped) and
 * the indirect leaks behind it, plus memory that stays reachable.  Build it
 * with leakcc and run it to see the report:
 *   leakcc -g examples/linked_list.c -o linked_list && ./linked_list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *next;
  char name[24];
};

static struct node *keep; /* reachable from a global: never reported */

static struct node *push(struct node *head, const char *name) {
  struct node *n = malloc(sizeof *n);
  if (!n)
    abort();
  n->next = head;
  snprintf(n->name, sizeof n->name, "%s", name);
  return n;
}

static void build_and_forget(void) {
  struct node *list = NULL;
  for (int i = 0; i < 3; i++) {
    char name[16];
    snprintf(name, sizeof name, "item-%d", i);
    list = push(list, name);
  }
  printf("built a list starting at %s\n", list->name);
  /* The function returns without freeing: one direct leak (the head), two
   * indirect leaks (the nodes only the head reaches). */
}

int main(void) {
  keep = push(NULL, "kept");
  build_and_forget();
  char *copy = strdup("freed properly");
  free(copy);
  return 0;
}
