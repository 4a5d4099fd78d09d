/* Stress case 2: thread churn.
 *
 * 3000*SCALE short threads, 16 at a time, on stacks glibc reuses.  Every
 * 53rd thread leaks one block, in one of four ways: dropped through a
 * volatile, returned and dropped by the joiner, left in a __thread variable
 * of the dead thread, or left as its pthread_setspecific value (a key
 * without destructor, so glibc clears the slot).  Every thread also keeps
 * a block under a key whose destructor frees it.  At exit 16 more threads
 * are still blocked in read() on reused stacks.  Dead threads' stacks, TLS
 * and descriptors are no roots: every leak must be found. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#include "stress.h"

#define AT_ONCE 16

static long threads;
static int forever[2];
static pthread_key_t freed_key, plain_key;
static __thread void *tls_block;
static atomic_long leaked_blocks, leaked_bytes;

static void destroy(void *p) { free(p); }

__attribute__((noinline)) static void *work(long i) {
  pthread_setspecific(freed_key, malloc(24 + i % 40));
  for (int j = 0; j < 20; j++) {
    char *q = malloc((size_t)(16 + (i * 31 + j * 7) % 700));
    memset(q, (int)i, 16);
    stress_sink = q;
    free(q);
  }
  if (i % 53 != 7)
    return NULL;
  size_t size = 100 + (size_t)(i / 53 % 4) * 8;
  char *p = malloc(size);
  memset(p, (int)i, size);
  atomic_fetch_add(&leaked_blocks, 1);
  atomic_fetch_add(&leaked_bytes, (long)size);
  switch (i / 53 % 4) {
  case 0:
    drop(p);
    return NULL;
  case 1:
    return p; /* dropped by the joiner */
  case 2:
    tls_block = p;
    return NULL;
  default:
    pthread_setspecific(plain_key, p);
    return NULL;
  }
}

static void *worker(void *arg) {
  long i = (long)arg;
  void *r = work(i);
  if (i >= threads) { /* blocks until the process ends */
    char c;
    if (read(forever[0], &c, 1) >= 0)
      abort();
  }
  return r;
}

__attribute__((noinline)) static void join_and_drop(pthread_t t) {
  void *r;
  CHECK(pthread_join(t, &r) == 0);
  drop(r);
}

int main(int argc, char **argv) {
  threads = 3000 * stress_scale(argc, argv);
  pthread_t t[AT_ONCE];
  CHECK(pipe(forever) == 0);
  CHECK(pthread_key_create(&freed_key, destroy) == 0);
  CHECK(pthread_key_create(&plain_key, NULL) == 0);
  for (long i = 0; i < threads; i++) {
    if (i >= AT_ONCE)
      join_and_drop(t[i % AT_ONCE]);
    CHECK(pthread_create(&t[i % AT_ONCE], NULL, worker, (void *)i) == 0);
  }
  for (long i = 0; i < AT_ONCE; i++)
    join_and_drop(t[i]);
  /* Still blocked at exit; i >= threads and i % 53 == 0: they leak nothing. */
  for (long i = 0; i < AT_ONCE; i++)
    CHECK(pthread_create(&t[i], NULL, worker, (void *)((threads / 53 + 1 + i) * 53)) == 0);
  usleep(20000);
  printf("%ld threads joined, %d blocked at exit\n", threads, AT_ONCE);
  expect_leaks(atomic_load(&leaked_blocks), atomic_load(&leaked_bytes));
  scrub_stack();
  return 0;
}
