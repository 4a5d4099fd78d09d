/*
 * What the fuzzed runtime parsers need from the rest of the runtime, for
 * the fuzz targets (test/fuzz/fuzz_*.c), in place of print.c and
 * internal_alloc.c:
 *
 *  - The printer formats every message (so that format arguments are
 *    exercised) and discards it; FUZZ_VERBOSE=1 in the environment writes
 *    it to stderr instead.
 *  - lk_die() returns to the target through lk_fuzz_die (a fatal error,
 *    such as a malformed suppression, is a correct outcome, not a crash);
 *    with no target waiting it aborts.
 *  - Runtime memory comes from calloc/realloc/free, so that AddressSanitizer
 *    checks every lk_ialloc'd buffer (internal_alloc.c's slabs would hide
 *    overflows); the "returns zeroed memory" promises are kept.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

jmp_buf *lk_fuzz_die;

void lk_vprintf(const char *fmt, va_list ap) {
  static int verbose = -1;
  if (verbose < 0) {
    const char *v = getenv("FUZZ_VERBOSE");
    verbose = v && *v == '1';
  }
  char buf[4096];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (verbose && n > 0)
    write(2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void lk_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lk_vprintf(fmt, ap);
  va_end(ap);
}

static void prefixed(const char *prefix, const char *fmt, va_list ap) {
  char line[4096];
  int n = vsnprintf(line, sizeof line, fmt, ap);
  if (n >= 0)
    lk_printf("%s%s\n", prefix, line);
}

void lk_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  prefixed("leakcc: warning: ", fmt, ap);
  va_end(ap);
}

void lk_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  prefixed("leakcc: error: ", fmt, ap);
  va_end(ap);
}

ssize_t lk_write_nosigpipe(int fd, const void *buf, size_t len) {
  return write(fd, buf, len);
}

void lk_die(void) {
  if (lk_fuzz_die)
    longjmp(*lk_fuzz_die, 1);
  abort();
}

void *lk_ialloc(size_t size) {
  void *p = calloc(1, size ? size : 1);
  if (!p)
    abort();
  return p;
}

void lk_ifree(void *p, size_t size) {
  (void)size;
  free(p);
}

void *lk_irealloc(void *p, size_t old_size, size_t new_size) {
  void *q = realloc(p, new_size ? new_size : 1);
  if (!q)
    abort();
  if (new_size > old_size)
    memset((char *)q + old_size, 0, new_size - old_size);
  return q;
}

void *lk_igrow(void *array, size_t n, size_t *cap, size_t elt) {
  if (n < *cap)
    return array;
  size_t new_cap = *cap ? 2 * *cap : 16;
  array = lk_irealloc(array, *cap * elt, new_cap * elt);
  *cap = new_cap;
  return array;
}

/* symbolize.c maps the stack its spawner runs on (the fuzz targets never
 * start a symbolizer, but the code links). */
void *lk_mmap(size_t size, const char *what) {
  (void)what;
  void *p = calloc(1, size);
  if (!p)
    abort();
  return p;
}

void lk_munmap(void *p, size_t size) {
  (void)size;
  free(p);
}
