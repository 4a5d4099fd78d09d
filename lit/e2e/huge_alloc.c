// Impossible requests fail cleanly: malloc/aligned_alloc/memalign/valloc of a
// huge size, memalign with a 2^40 alignment, and calloc/reallocarray whose size overflows return NULL with
// errno ENOMEM, posix_memalign returns ENOMEM, realloc to a huge size returns
// NULL and leaves the old block intact; nothing is reported and nothing leaks.
// At -O0 the calls are direct (rewritten into the pass's hooks); the -O2 build
// calls through function pointers, i.e. the interposed libc entry points that
// uninstrumented code uses.  (Direct calls at -O2 cannot be checked: LLVM
// assumes malloc leaves errno alone and folds the errno reads.)
// RUN: %leakcc -O0 %s -o %t && %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 -DVIA_POINTERS %s -o %t.O2 && %run %t.O2 2>&1 | FileCheck %s
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile size_t huge = (size_t)1 << 50;
volatile size_t half = ((size_t)1 << 33) + 1;

static int failures;

#ifdef VIA_POINTERS
static void *(*volatile malloc_p)(size_t) = malloc;
static void *(*volatile calloc_p)(size_t, size_t) = calloc;
static void *(*volatile realloc_p)(void *, size_t) = realloc;
static void *(*volatile reallocarray_p)(void *, size_t, size_t) = reallocarray;
static void *(*volatile aligned_alloc_p)(size_t, size_t) = aligned_alloc;
static void *(*volatile memalign_p)(size_t, size_t) = memalign;
static void *(*volatile valloc_p)(size_t) = valloc;
static int (*volatile posix_memalign_p)(void **, size_t, size_t) = posix_memalign;
#define malloc malloc_p
#define calloc calloc_p
#define realloc realloc_p
#define reallocarray reallocarray_p
#define aligned_alloc aligned_alloc_p
#define memalign memalign_p
#define valloc valloc_p
#define posix_memalign posix_memalign_p
#endif

static void expect_null(const char *what, void *p) {
  int e = errno;
  fprintf(stderr, "%s -> %p\n", what, p); /* the result escapes */
  if (p != NULL || e != ENOMEM) {
    fprintf(stderr, "FAIL: %s returned %p, errno %d\n", what, p, e);
    failures++;
  }
}

int main(void) {
  errno = 0;
  expect_null("malloc", malloc(huge));
  errno = 0;
  expect_null("malloc(SIZE_MAX)", malloc(SIZE_MAX - huge + huge));
  errno = 0;
  expect_null("calloc", calloc(half, half));
  errno = 0;
  expect_null("aligned_alloc", aligned_alloc(64, huge));
  errno = 0;
  expect_null("memalign", memalign(64, huge));
  errno = 0;
  expect_null("valloc", valloc(huge));
  /* An alignment no address range of the heap has: NULL, not a block that
   * is silently less aligned than asked. */
  errno = 0;
  expect_null("memalign(1<<40)", memalign((size_t)1 << 40, 10));
  errno = 0;
  expect_null("reallocarray", reallocarray(NULL, half, half));

  char *p = malloc(16);
  strcpy(p, "still here");
  errno = 0;
  expect_null("realloc", realloc(p, huge));
  if (strcmp(p, "still here")) {
    fprintf(stderr, "FAIL: realloc clobbered the old block\n");
    failures++;
  }
  free(p);

  void *q = NULL;
  int err = posix_memalign(&q, 64, huge);
  fprintf(stderr, "posix_memalign -> %d %p\n", err, q);
  if (err != ENOMEM || q != NULL)
    failures++;
  fprintf(stderr, "failures=%d\n", failures);
  return failures != 0;
}
// CHECK-NOT: FAIL
// CHECK: failures=0
// CHECK-NOT: leakcc
