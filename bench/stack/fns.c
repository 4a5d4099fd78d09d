/* Recursive functions whose per-frame stack use bench/stack/run.sh
 * measures, built plain and with leakcc.  Each reaches probe() at its
 * deepest level; probe (in harness.c, always built plain) records its own
 * frame address, so the distance between two depths is exact. */
#include <stdlib.h>
#include <string.h>

void *probe(void);
void use(void *p, size_t n);

/* 1. Simple recursion (not a tail call, not an accumulator TRE can
 * remove: subtraction does not commute). */
long rec(long n) {
  if (n == 0)
    return (long)probe();
  return n - rec(n - 1);
}

/* 2. Locals whose addresses are passed to calls. */
long rec_locals(long n) {
  char buf[32];
  long acc[4] = {n, n + 1, n + 2, n + 3};
  if (n == 0)
    return (long)probe();
  memset(buf, (int)n, sizeof buf);
  use(buf, sizeof buf);
  use(acc, sizeof acc);
  return acc[n & 3] - rec_locals(n - 1) + buf[n & 31];
}

/* 3. A tree walk (the harness builds a left-leaning chain). */
struct tree {
  struct tree *left, *right;
  long value;
};
long walk(const struct tree *t) {
  if (!t)
    return 0;
  if (!t->left && !t->right)
    return (long)probe() + t->value;
  return walk(t->left) + t->value - walk(t->right);
}

/* 4. From a real program's shape: destroying a tree recursively (what a
 * leak-free program does at exit), through the instrumented free. */
void destroy(struct tree *t) {
  if (!t)
    return;
  if (!t->left && !t->right)
    probe();
  destroy(t->left);
  destroy(t->right);
  free(t);
}
struct tree *build(long depth) {
  struct tree *t = malloc(sizeof *t);
  t->value = depth;
  t->left = depth > 0 ? build(depth - 1) : NULL;
  t->right = NULL;
  return t;
}

/* 5. A recursive descent parser (expr -> term -> factor -> '(' expr ')'),
 * as in calculators and config readers: three frames per nesting level. */
struct parser {
  const char *p;
};
static long expr(struct parser *ps);
static long factor(struct parser *ps) {
  if (*ps->p == '(') {
    ps->p++;
    long v = expr(ps);
    if (*ps->p == ')')
      ps->p++;
    return v;
  }
  long v = 0;
  while (*ps->p >= '0' && *ps->p <= '9')
    v = v * 10 + (*ps->p++ - '0');
  probe();
  return v;
}
static long term(struct parser *ps) {
  long v = factor(ps);
  while (*ps->p == '*') {
    ps->p++;
    v *= factor(ps);
  }
  return v;
}
static long expr(struct parser *ps) {
  long v = term(ps);
  while (*ps->p == '+' || *ps->p == '-') {
    char op = *ps->p++;
    long r = term(ps);
    v = op == '+' ? v + r : v - r;
  }
  return v;
}
long parse(const char *s) {
  struct parser ps = {s};
  return expr(&ps);
}

/* 6. Quicksort (first element as pivot: sorted input recurses n deep;
 * the large side first, so that it is no tail call). */
void quicksort(long *a, long n) {
  if (n <= 1) {
    probe();
    return;
  }
  long pivot = a[0], i = 1;
  for (long j = 1; j < n; j++)
    if (a[j] < pivot) {
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
    }
  long t = a[0];
  a[0] = a[i - 1];
  a[i - 1] = t;
  quicksort(a + i, n - i);
  quicksort(a, i - 1);
}
