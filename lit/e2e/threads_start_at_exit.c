// Threads that start while main exits: the exit-time check catches threads
// inside pthread_create (glibc blocks every signal around the clone) and new
// threads half-way through leakcc's own registration.  Neither makes a
// warning that a thread "blocks SIGPWR" (it does not), nor is the 32-byte
// block pthread_getattr_np allocates during the registration reported: the
// program has no leak and exits 0, as its plain build does, every time.
// Twenty children each run the race once.
// RUN: %clang -O0 %s -o %t.plain -lpthread
// RUN: %run %t.plain 2>&1 | FileCheck %s
// RUN: %leakcc -O0 %s -o %t -lpthread
// RUN: %run %t 2>&1 | FileCheck %s
// RUN: %leakcc -O2 %s -o %t.O2 -lpthread
// RUN: %run %t.O2 2>&1 | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 20
#define SPAWNERS 4

void *volatile sink;

static void *worker(void *arg) {
  void *p = malloc(48);
  sink = p;
  usleep(1000);
  free(p);
  return NULL;
}

static void *spawner(void *arg) {
  for (;;) {
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) == 0)
      pthread_detach(t);
  }
  return NULL;
}

// Starts the spawners and exits while they create threads.
static int race(int delay_us) {
  for (int i = 0; i < SPAWNERS; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, spawner, NULL))
      abort();
  }
  usleep(delay_us);
  return 0;
}

int main(void) {
  int ok = 0;
  for (int i = 0; i < CHILDREN; i++) {
    pid_t pid = fork();
    if (pid == 0)
      return race(2000 + 500 * i);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
      abort();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      ok++;
    else
      fprintf(stderr, "child %d: status %#x\n", i, status);
  }
  fprintf(stderr, "%d of %d children exited 0\n", ok, CHILDREN);
  return 0;
}
// CHECK-NOT: leakcc
// CHECK: 20 of 20 children exited 0
// CHECK-NOT: leakcc
