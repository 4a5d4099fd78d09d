/* Stress case 3: a fork storm while threads allocate.
 *
 * 4 threads allocate and free without pause (blocks on their stacks, in
 * their registers, and in a shared ring they free each other's from) while
 * main forks 30*SCALE children one after another.  Each child allocates and
 * frees its own blocks; every 4th also runs a thread of its own, every 7th
 * forks a grandchild that does the same, every 3rd calls
 * __lsan_do_recoverable_leak_check (under leakcc), and all exit(0) or return
 * from a function through exit.  Blocks a child inherits from the parent's
 * other threads are no leaks of the child, so no child reports anything and
 * all exit 0; the parent then leaks 3 blocks and must report exactly those. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define THREADS 4
#define RING 256

static atomic_int stop;
static _Atomic(void *) ring[RING];

static void *allocator(void *arg) {
  void *held[8] = {0};
  unsigned seed = (unsigned)(uintptr_t)arg;
  for (unsigned i = 0; !atomic_load(&stop); i++) {
    seed = seed * 1103515245u + 12345u;
    char *p = malloc(16 + seed % 2000);
    p[0] = (char)i;
    free(held[i % 8]);
    held[i % 8] = p;
    void *q = malloc(32 + i % 100);
    free(atomic_exchange(&ring[seed % RING], q)); /* another thread's block */
  }
  for (unsigned i = 0; i < 8; i++)
    free(held[i]);
  return NULL;
}

static void *child_thread(void *arg) {
  for (int j = 0; j < 300; j++)
    free(malloc((size_t)(j % 500 + 1)));
  return arg;
}

/* Work of a child or grandchild; returns its exit status. */
static int child_work(int i, int depth) {
  void *keep[64];
  for (int j = 0; j < 2000; j++) {
    free(j >= 64 ? keep[j % 64] : NULL);
    keep[j % 64] = malloc((size_t)(j % 300 + 1));
  }
  for (int j = 0; j < 64; j++)
    free(keep[j]);
  if (i % 4 == 0) {
    pthread_t t;
    if (pthread_create(&t, NULL, child_thread, NULL) || pthread_join(t, NULL))
      return 5;
  }
  if (i % 7 == 0 && depth == 0) {
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0)
      exit(child_work(i + 1, 1));
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      return 6;
  }
  if (i % 3 == 0 && __lsan_do_recoverable_leak_check &&
      __lsan_do_recoverable_leak_check())
    return 7;
  return 0;
}

__attribute__((noinline)) static void leak(size_t n) { drop(malloc(n)); }

int main(int argc, char **argv) {
  long children = 30 * stress_scale(argc, argv);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_create(&t[i], NULL, allocator, (void *)(uintptr_t)(i + 1)) == 0);
  usleep(10000);
  long clean = 0;
  for (long i = 0; i < children; i++) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
      int st = child_work((int)i, 0);
      if (i % 2)
        exit(st);
      return st; /* exit through main's return */
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      clean++;
    else if (WIFEXITED(status))
      printf("child %ld exited %d\n", i, WEXITSTATUS(status));
    else
      printf("child %ld killed by signal %d\n", i, WTERMSIG(status));
  }
  atomic_store(&stop, 1);
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_join(t[i], NULL) == 0);
  for (int i = 0; i < RING; i++)
    free(atomic_exchange(&ring[i], NULL));
  printf("%ld children, %ld exited 0\n", children, clean);
  leak(11);
  leak(22);
  leak(33);
  expect_leaks(3, 66);
  scrub_stack();
  return 0;
}
