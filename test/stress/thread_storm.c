/* Stress case 1: a thread storm with cross-thread frees and reallocs.
 *
 * 24 threads each make 4000*SCALE blocks and send them through unbounded
 * queues (intrusive lists under a mutex and a condition variable).  A block
 * travels 1 to 4 hops; a thread that receives one with hops left may
 * realloc it (another thread's block) and forwards it, the last receiver
 * checks its payload, adds it to the checksum and frees it, except every
 * 499th block, which it drops: those are the known leaks.  Threads are
 * joined before exit, so no stack holds a dropped block. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "stress.h"

#define THREADS 24

struct block {
  struct block *next; /* queue link, cleared when popped */
  uint64_t seq;       /* origin * per + i */
  uint32_t hops, size;
  uint64_t payload[];
};

struct queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct block *head, *tail;
} queues[THREADS];

static long per_thread;
static atomic_long finished, leaked_blocks, leaked_bytes;
static atomic_ulong checksum;
static atomic_int done;

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

static void push(int to, struct block *b) {
  struct queue *q = &queues[to];
  pthread_mutex_lock(&q->mu);
  b->next = NULL;
  if (q->tail)
    q->tail->next = b;
  else
    q->head = b;
  q->tail = b;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

/* Pops one block; waits when WAIT and the storm is not over. */
static struct block *pop(int self, int wait) {
  struct queue *q = &queues[self];
  pthread_mutex_lock(&q->mu);
  while (!q->head && wait && !atomic_load(&done))
    pthread_cond_wait(&q->cv, &q->mu);
  struct block *b = q->head;
  if (b) {
    q->head = b->next;
    if (!q->head)
      q->tail = NULL;
    b->next = NULL;
  }
  pthread_mutex_unlock(&q->mu);
  return b;
}

static uint32_t words_for(uint64_t seq, uint32_t hop) {
  return (uint32_t)(mix(seq * 7 + hop) % 40) + 1;
}

static void fill(struct block *b) {
  for (uint32_t i = 0; i < b->size; i++)
    b->payload[i] = mix(b->seq + i);
}

static void finish_one(void) {
  if (atomic_fetch_add(&finished, 1) + 1 == per_thread * THREADS) {
    atomic_store(&done, 1);
    for (int i = 0; i < THREADS; i++) {
      pthread_mutex_lock(&queues[i].mu);
      pthread_cond_broadcast(&queues[i].cv);
      pthread_mutex_unlock(&queues[i].mu);
    }
  }
}

static void receive(int self, struct block *b) {
  for (uint32_t i = 0; i < b->size; i++)
    CHECK(b->payload[i] == mix(b->seq + i));
  b->hops--;
  if (b->hops) {
    if (b->hops % 2) { /* realloc another thread's block */
      uint32_t words = words_for(b->seq, b->hops);
      b = realloc(b, sizeof *b + words * sizeof(uint64_t));
      CHECK(b);
      b->size = words;
      fill(b);
    }
    push((int)((self + 1 + mix(b->seq ^ b->hops) % (THREADS - 1)) % THREADS), b);
    return;
  }
  uint64_t sum = 0;
  for (uint32_t i = 0; i < b->size; i++)
    sum += b->payload[i];
  atomic_fetch_add(&checksum, sum);
  if (b->seq % 499 == 0) {
    atomic_fetch_add(&leaked_blocks, 1);
    atomic_fetch_add(&leaked_bytes, (long)(sizeof *b + b->size * sizeof(uint64_t)));
    drop(b);
  } else {
    free(b);
  }
  finish_one();
}

static void *storm(void *arg) {
  int self = (int)(intptr_t)arg;
  for (long i = 0; i < per_thread; i++) {
    uint64_t seq = (uint64_t)self * (uint64_t)per_thread + (uint64_t)i;
    uint32_t words = words_for(seq, 99);
    struct block *b = malloc(sizeof *b + words * sizeof(uint64_t));
    CHECK(b);
    b->seq = seq;
    b->hops = (uint32_t)(mix(seq) % 4) + 1;
    b->size = words;
    fill(b);
    push((int)((self + 1 + seq % (THREADS - 1)) % THREADS), b);
    struct block *r;
    while ((r = pop(self, 0)))
      receive(self, r);
  }
  while (!atomic_load(&done)) {
    struct block *r = pop(self, 1);
    if (r)
      receive(self, r);
  }
  return NULL;
}

int main(int argc, char **argv) {
  per_thread = 4000 * stress_scale(argc, argv);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) {
    pthread_mutex_init(&queues[i].mu, NULL);
    pthread_cond_init(&queues[i].cv, NULL);
  }
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_create(&t[i], NULL, storm, (void *)(intptr_t)i) == 0);
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_join(t[i], NULL) == 0);
  for (int i = 0; i < THREADS; i++)
    CHECK(queues[i].head == NULL);
  printf("%d threads, %ld blocks, checksum %016llx\n", THREADS,
         per_thread * THREADS, (unsigned long long)atomic_load(&checksum));
  expect_leaks(atomic_load(&leaked_blocks), atomic_load(&leaked_bytes));
  scrub_stack();
  return 0;
}
