/* Stress case 6: mid-run leak checks, repeated while threads allocate.
 *
 * 6 threads each run 300000*SCALE operations on their own linked list,
 * binary search tree, growing and shrinking pointer array (realloc) and
 * array of low-bit tagged pointers, and hand blocks to each other through a
 * shared slot array (cross-thread frees).  Meanwhile main, and one more
 * thread, call __lsan_do_recoverable_leak_check (under leakcc) over and
 * over, 2 ms apart.  Nothing is leaked while they run, so every check must
 * return 0 and print nothing; the threads' results (a checksum of their
 * structures) must be the plain build's.  After the threads are joined,
 * main leaks a list of 10 blocks and 3 single blocks: 13 allocations. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#include "stress.h"

#define THREADS 6
#define SLOTS 64

struct lnode { struct lnode *next; uint64_t v; };
struct tnode { struct tnode *l, *r; uint64_t key; char pad[]; };

static _Atomic(struct lnode *) shared[SLOTS];
static atomic_int done;
static atomic_long bad_checks, checks;
static long ops;
static uint64_t results[THREADS];

static uint64_t rng(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static struct tnode *tinsert(struct tnode *t, uint64_t key, uint64_t r) {
  if (!t) {
    struct tnode *n = malloc(sizeof *n + r % 64);
    n->l = n->r = NULL;
    n->key = key;
    return n;
  }
  if (key < t->key)
    t->l = tinsert(t->l, key, r);
  else if (key > t->key)
    t->r = tinsert(t->r, key, r);
  return t;
}

static struct tnode *tdelete(struct tnode *t, uint64_t key) {
  if (!t)
    return NULL;
  if (key < t->key) {
    t->l = tdelete(t->l, key);
    return t;
  }
  if (key > t->key) {
    t->r = tdelete(t->r, key);
    return t;
  }
  if (!t->l || !t->r) {
    struct tnode *c = t->l ? t->l : t->r;
    free(t);
    return c;
  }
  struct tnode *m = t->r; /* smallest key of the right subtree replaces it */
  while (m->l)
    m = m->l;
  t->key = m->key;
  t->r = tdelete(t->r, m->key);
  return t;
}

static uint64_t tsum_free(struct tnode *t) {
  if (!t)
    return 0;
  uint64_t s = t->key + tsum_free(t->l) + tsum_free(t->r);
  free(t);
  return s;
}

static void *worker(void *arg) {
  int id = (int)(intptr_t)arg;
  uint64_t s = 0x9e3779b97f4a7c15ull * (uint64_t)(id + 1), sum = 0;
  struct lnode *list = NULL;
  struct tnode *tree = NULL;
  void **arr = NULL;
  size_t n = 0;
  uintptr_t tagged[32] = {0};
  for (long i = 0; i < ops; i++) {
    uint64_t r = rng(&s);
    switch (r % 8) {
    case 0: { /* list push */
      struct lnode *p = malloc(sizeof *p);
      p->v = r >> 8;
      p->next = list;
      list = p;
      break;
    }
    case 1: /* list pop */
      if (list) {
        struct lnode *p = list;
        list = p->next;
        sum += p->v;
        free(p);
      }
      break;
    case 2:
      tree = tinsert(tree, (r >> 8) % 4096, r);
      break;
    case 3:
      tree = tdelete(tree, (r >> 8) % 4096);
      break;
    case 4: { /* grow or shrink the array */
      size_t m = (r >> 8) % 2 && n > 0 ? n - 1 : n + 1;
      if (m < n)
        free(arr[m]);
      if (m > 200) {
        m = n;
        break;
      }
      arr = realloc(arr, (m ? m : 1) * sizeof *arr);
      if (m > n)
        arr[n] = malloc(1 + (r >> 16) % 500);
      n = m;
      break;
    }
    case 5: { /* a tagged pointer: its low 3 bits carry a tag */
      unsigned k = (unsigned)(r >> 8) % 32;
      if (tagged[k]) {
        sum += tagged[k] & 7;
        free((void *)(tagged[k] & ~(uintptr_t)7));
      }
      tagged[k] = (uintptr_t)malloc(16 + (r >> 20) % 100) | (uintptr_t)(r >> 40) % 8;
      break;
    }
    default: { /* hand a block to another thread; free what was there */
      struct lnode *p = malloc(sizeof *p);
      p->v = r >> 8;
      p->next = NULL;
      struct lnode *old = atomic_exchange(&shared[(r >> 12) % SLOTS], p);
      free(old); /* whose it is depends on scheduling: not in the sum */
    }
    }
  }
  while (list) {
    struct lnode *p = list;
    list = p->next;
    sum += p->v;
    free(p);
  }
  sum += tsum_free(tree);
  for (size_t i = 0; i < n; i++)
    free(arr[i]);
  free(arr);
  for (int k = 0; k < 32; k++)
    free((void *)(tagged[k] & ~(uintptr_t)7));
  results[id] = sum;
  atomic_fetch_add(&done, 1);
  return NULL;
}

static void check_now(void) {
  if (!__lsan_do_recoverable_leak_check)
    return;
  atomic_fetch_add(&checks, 1);
  if (__lsan_do_recoverable_leak_check())
    atomic_fetch_add(&bad_checks, 1);
}

static void *checker(void *arg) {
  while (atomic_load(&done) < THREADS) {
    check_now();
    usleep(3000);
  }
  return arg;
}

__attribute__((noinline)) static void leak(void) {
  struct lnode *head = NULL;
  for (int i = 0; i < 10; i++) {
    struct lnode *p = malloc(sizeof *p);
    p->next = head;
    p->v = (uint64_t)i;
    head = p;
  }
  drop(head);
  drop(malloc(100));
  drop(malloc(200));
  drop(malloc(300));
}

int main(int argc, char **argv) {
  ops = 300000 * stress_scale(argc, argv);
  pthread_t t[THREADS + 1];
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
  CHECK(pthread_create(&t[THREADS], NULL, checker, NULL) == 0);
  while (atomic_load(&done) < THREADS) {
    check_now();
    usleep(2000);
  }
  for (int i = 0; i <= THREADS; i++)
    CHECK(pthread_join(t[i], NULL) == 0);
  for (int k = 0; k < SLOTS; k++)
    free(atomic_exchange(&shared[k], NULL));
  uint64_t sum = 0;
  for (int i = 0; i < THREADS; i++)
    sum += results[i];
  printf("%d threads, %ld operations each, checksum %016llx\n", THREADS, ops,
         (unsigned long long)sum);
  printf("mid-run checks that found leaks: %ld\n", atomic_load(&bad_checks));
  fprintf(stderr, "mid-run checks: %ld\n", atomic_load(&checks));
  leak();
  expect_leaks(13, 10 * (long)sizeof(struct lnode) + 600);
  scrub_stack();
  return 0;
}
