/* Measures the stack each level of the functions in fns.c uses: the frame
 * address probe() sees at depth D1 and at depth D2, divided by D2 - D1.
 * Always built plain (so probe and the harness are the same in every
 * build).  Prints "name bytes_per_level". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tree;
long rec(long n);
long rec_locals(long n);
long walk(const struct tree *t);
void destroy(struct tree *t);
struct tree *build(long depth);
long parse(const char *s);
void quicksort(long *a, long n);

static unsigned long deepest;
__attribute__((noinline)) void *probe(void) {
  unsigned long fp = (unsigned long)__builtin_frame_address(0);
  if (!deepest || fp < deepest)
    deepest = fp;
  return NULL;
}
__attribute__((noinline)) void use(void *p, size_t n) {
  __asm__ volatile("" : : "r"(p), "r"(n) : "memory");
}

enum { D1 = 100, D2 = 1100 };

static unsigned long at_depth(const char *name, long d) {
  deepest = 0;
  if (!strcmp(name, "rec")) {
    rec(d);
  } else if (!strcmp(name, "rec_locals")) {
    rec_locals(d);
  } else if (!strcmp(name, "walk") || !strcmp(name, "destroy")) {
    struct tree *t = build(d);
    if (!strcmp(name, "walk")) {
      walk(t);
      unsigned long w = deepest; /* destroy probes too */
      destroy(t);
      return w;
    }
    destroy(t);
  } else if (!strcmp(name, "parse")) {
    char *s = malloc(2 * (size_t)d + 2);
    memset(s, '(', (size_t)d);
    s[d] = '7';
    memset(s + d + 1, ')', (size_t)d);
    s[2 * d + 1] = 0;
    parse(s);
    free(s);
  } else if (!strcmp(name, "quicksort")) {
    long *a = malloc((size_t)d * sizeof *a);
    for (long i = 0; i < d; i++)
      a[i] = i;
    quicksort(a, d);
    free(a);
  }
  return deepest;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    unsigned long a = at_depth(argv[i], D1), b = at_depth(argv[i], D2);
    printf("%s %.1f\n", argv[i], (double)(a - b) / (D2 - D1));
  }
  return 0;
}
