/*
 * The growable argv and the few allocation helpers of the driver.  The driver
 * is a short-lived process: on allocation failure it reports and exits.
 */
#include "driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_of_memory(void) {
  fputs("leakcc: error: out of memory\n", stderr);
  exit(1);
}

void *lkd_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *lkd_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

char *lkd_xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p)
    out_of_memory();
  return p;
}

char *lkd_xasprintf(const char *fmt, ...) {
  va_list ap;
  char *s;
  va_start(ap, fmt);
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0)
    out_of_memory();
  return s;
}

void lkd_strvec_push(struct lkd_strvec *sv, const char *s) {
  if (sv->n + 1 >= sv->cap) {   /* keep room for the NULL terminator */
    size_t cap = sv->cap ? 2 * sv->cap : 16;
    sv->v = lkd_xrealloc(sv->v, cap * sizeof *sv->v);
    sv->cap = cap;
  }
  sv->v[sv->n++] = s;
  sv->v[sv->n] = NULL;
}

void lkd_strvec_free(struct lkd_strvec *sv) {
  free(sv->v);
  sv->v = NULL;
  sv->n = sv->cap = 0;
}

/* Characters that never need quoting in a POSIX shell word. */
static bool shell_safe(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "0123456789_@%+=:,./-", *s))
      return false;
  return true;
}

void lkd_strvec_print_quoted(const struct lkd_strvec *sv, const char *prefix,
                             int fd) {
  /* Built in memory and written at once, so lines from parallel builds do
   * not interleave. */
  char *line;
  size_t len;
  FILE *f = open_memstream(&line, &len);
  if (!f)
    out_of_memory();
  fputs(prefix, f);
  for (size_t i = 0; i < sv->n; i++) {
    const char *a = sv->v[i];
    if (i)
      fputc(' ', f);
    if (shell_safe(a)) {
      fputs(a, f);
      continue;
    }
    fputc('\'', f);
    for (; *a; a++)
      if (*a == '\'')
        fputs("'\\''", f);
      else
        fputc(*a, f);
    fputc('\'', f);
  }
  fputc('\n', f);
  if (fclose(f) != 0)
    out_of_memory();
  for (size_t off = 0; off < len;) {
    ssize_t n = write(fd, line + off, len - off);
    if (n <= 0)
      break;
    off += (size_t)n;
  }
  free(line);
}
