/* Stress case 5: signals during allocation, in a program that owns SIGPWR.
 *
 * The program installs its own SIGPWR handler (leakcc's stop signal) and
 * uses it: main sends SIGPWR to one of 6 allocating threads 300*SCALE
 * times, each time waiting until that thread's handler counted it, and
 * raises it in itself every 50th round; every 25th round it runs a mid-run
 * leak check (under leakcc), which must find nothing, must not reach the
 * program's handler, and must leave it installed.  Meanwhile SIGALRM (an
 * interval timer, every 200 us) and SIGUSR1 (from a noise thread) hit the
 * allocating threads.  SIGPWR sent and handled must be equal.  At exit the
 * timer, the noise thread and two allocating threads still run, the
 * program's SIGPWR handler is still installed and must not run (it would
 * print), and 4 leaked blocks must be reported. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

#define WORKERS 6

static __thread int self = WORKERS; /* main's slot */
static atomic_long pwr[WORKERS + 1], alarms, usr1;
static atomic_int exiting, stop_workers, stop_noise, started;
static pthread_t workers[WORKERS];

static void on_pwr(int sig, siginfo_t *si, void *ctx) {
  if (atomic_load(&exiting))
    (void)!write(1, "program's SIGPWR handler ran at exit\n", 37);
  atomic_fetch_add(&pwr[self], 1);
}
static void on_alarm(int sig) { atomic_fetch_add(&alarms, 1); }
static void on_usr1(int sig) { atomic_fetch_add(&usr1, 1); }

struct node {
  struct node *next;
  size_t len;
  unsigned char data[];
};

static void *worker(void *arg) {
  self = (int)(intptr_t)arg;
  atomic_fetch_add(&started, 1);
  struct node *list = NULL;
  size_t n = 0;
  for (unsigned i = 0; !atomic_load(&stop_workers) || self < 2; i++) {
    if (self < 2 && atomic_load(&stop_workers) == 2)
      break; /* never: these two still run at exit */
    size_t len = 8 + (i * 131u) % 900;
    struct node *p = malloc(sizeof *p + len);
    p->len = len;
    memset(p->data, (int)i, len);
    p->next = list;
    list = p;
    if (i % 256 == 0)
      usleep(50); /* leaves the CPU to the others; SIGUSR1 may cut it short */
    if (++n == 64) { /* free the list, sometimes reallocating first */
      while (list) {
        struct node *next = list->next;
        if (list->len % 3 == 0) {
          struct node *q = realloc(list, sizeof *q + list->len * 2);
          CHECK(q);
          list = q;
        }
        free(list);
        list = next;
      }
      n = 0;
    }
  }
  while (list) {
    struct node *next = list->next;
    free(list);
    list = next;
  }
  return NULL;
}

static void *noise(void *arg) {
  unsigned r = 1;
  while (!atomic_load(&stop_noise)) {
    r = r * 1103515245u + 12345u;
    pthread_kill(workers[r % WORKERS], SIGUSR1);
    struct timespec ts = {0, 50000};
    nanosleep(&ts, NULL); /* EINTR from SIGALRM is fine here */
  }
  return arg;
}

static void wait_for(int slot, long want) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (atomic_load(&pwr[slot]) < want) {
    sched_yield();
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 10) {
      printf("SIGPWR to thread %d never handled\n", slot);
      exit(2);
    }
  }
}

__attribute__((noinline)) static void leak(size_t n) { drop(malloc(n)); }

int main(int argc, char **argv) {
  long rounds = 300 * stress_scale(argc, argv);
  struct sigaction sa = {.sa_sigaction = on_pwr, .sa_flags = SA_SIGINFO | SA_RESTART};
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGPWR, &sa, NULL) == 0);
  signal(SIGALRM, on_alarm);
  struct sigaction su = {.sa_handler = on_usr1}; /* no SA_RESTART */
  sigemptyset(&su.sa_mask);
  CHECK(sigaction(SIGUSR1, &su, NULL) == 0);
  for (int i = 0; i < WORKERS; i++)
    CHECK(pthread_create(&workers[i], NULL, worker, (void *)(intptr_t)i) == 0);
  while (atomic_load(&started) < WORKERS)
    sched_yield();
  pthread_t noiser;
  CHECK(pthread_create(&noiser, NULL, noise, NULL) == 0);
  struct itimerval it = {{0, 200}, {0, 200}};
  CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);

  long sent = 0, checks = 0, bad_checks = 0;
  for (long r = 0; r < rounds; r++) {
    int w = (int)(r % WORKERS);
    long before = atomic_load(&pwr[w]);
    CHECK(pthread_kill(workers[w], SIGPWR) == 0);
    sent++;
    wait_for(w, before + 1);
    if (r % 50 == 0) {
      before = atomic_load(&pwr[WORKERS]);
      raise(SIGPWR);
      sent++;
      wait_for(WORKERS, before + 1);
    }
    if (r % 25 == 0 && __lsan_do_recoverable_leak_check) {
      checks++;
      if (__lsan_do_recoverable_leak_check())
        bad_checks++;
      struct sigaction now;
      sigaction(SIGPWR, NULL, &now);
      if (now.sa_sigaction != on_pwr || !(now.sa_flags & SA_SIGINFO))
        printf("round %ld: the program's SIGPWR handler is gone\n", r);
    }
  }
  atomic_store(&stop_workers, 1);
  for (int i = 2; i < WORKERS; i++)
    CHECK(pthread_join(workers[i], NULL) == 0);
  long handled = 0;
  for (int i = 0; i <= WORKERS; i++)
    handled += atomic_load(&pwr[i]);
  if (bad_checks)
    printf("%ld of %ld mid-run checks found leaks\n", bad_checks, checks);
  printf("SIGPWR sent %ld, handled %ld; SIGALRM and SIGUSR1 %s\n", sent, handled,
         atomic_load(&alarms) && atomic_load(&usr1) ? "arrived" : "MISSING");
  leak(10);
  leak(20);
  leak(30);
  leak(40);
  expect_leaks(4, 100);
  scrub_stack();
  atomic_store(&exiting, 1);
  return 0; /* timer, noise thread and two workers still running */
}
