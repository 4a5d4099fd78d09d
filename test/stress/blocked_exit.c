/* Stress case 4: threads blocked in every kind of system call at exit.
 *
 * SCALE copies of a set of threads, each holding a block on its stack and
 * blocked in one of: sleep, usleep, nanosleep, clock_nanosleep (relative
 * and absolute), poll, ppoll, select, pselect, pause, sigsuspend,
 * epoll_wait, epoll_pwait, sigwait, sigwaitinfo (with SIGPWR in its set),
 * sigtimedwait, read on a pipe, a socket and a signalfd, accept,
 * pthread_cond_wait, pthread_mutex_lock, sem_wait and pthread_join; plus
 * two threads that allocate without pause.  Main then leaks 5 blocks and
 * ends the process (MODE: "return" from main, "exit" from main, or "thread":
 * another thread calls exit while main waits in pthread_join).  The report
 * must appear, the status must be 23, and no call may return early (a
 * thread whose call returns prints it on stdout and exits 4). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

static int ready[2], never[2], sock[2], listener, sfd;
static pthread_mutex_t held_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cv_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static pthread_t first_sleeper;
static atomic_int spinning = 1;

static void early(const char *what) {
  printf("%s returned early: %s\n", what, strerror(errno));
  fflush(stdout);
  _exit(4);
}

static const char *names[] = {
    "sleep",    "usleep",     "nanosleep",   "clock_nanosleep", "clock_nanosleep_abs",
    "poll",     "ppoll",      "select",      "pselect",         "pause",
    "sigsuspend", "epoll_wait", "epoll_pwait", "sigwait",       "sigwaitinfo",
    "sigtimedwait", "read_pipe", "read_socket", "read_signalfd", "accept",
    "cond_wait", "mutex_lock", "sem_wait",   "join"};
#define KINDS (int)(sizeof names / sizeof *names)

static void block_in(int kind) {
  struct timespec ts = {60, 0};
  struct timeval tv = {60, 0};
  sigset_t set;
  char c;
  int sig;
  siginfo_t si;
  errno = 0;
  switch (kind) {
  case 0: if (sleep(60)) early("sleep"); break;
  case 1: if (usleep(60000000)) early("usleep"); break;
  case 2: if (nanosleep(&ts, NULL)) early("nanosleep"); break;
  case 3:
    if ((errno = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL)))
      early("clock_nanosleep");
    break;
  case 4: {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 60;
    if ((errno = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL)))
      early("clock_nanosleep_abs");
    break;
  }
  case 5: if (poll(NULL, 0, 60000)) early("poll"); break;
  case 6: if (ppoll(NULL, 0, &ts, NULL)) early("ppoll"); break;
  case 7: if (select(0, NULL, NULL, NULL, &tv)) early("select"); break;
  case 8: if (pselect(0, NULL, NULL, NULL, &ts, NULL)) early("pselect"); break;
  case 9: pause(); early("pause"); break;
  case 10:
    sigemptyset(&set);
    sigsuspend(&set);
    early("sigsuspend");
    break;
  case 11: {
    struct epoll_event ev;
    if (epoll_wait(epoll_create1(0), &ev, 1, 60000)) early("epoll_wait");
    break;
  }
  case 12: {
    struct epoll_event ev;
    if (epoll_pwait(epoll_create1(0), &ev, 1, 60000, NULL)) early("epoll_pwait");
    break;
  }
  case 13:
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigwait(&set, &sig);
    early("sigwait");
    break;
  case 14: /* waits for SIGPWR too, so it blocks it */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGPWR);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sigwaitinfo(&set, &si);
    early("sigwaitinfo");
    break;
  case 15:
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    if (sigtimedwait(&set, &si, &ts) >= 0 || errno != EAGAIN) early("sigtimedwait");
    break;
  case 16: (void)read(never[0], &c, 1); early("read_pipe"); break;
  case 17: (void)read(sock[0], &c, 1); early("read_socket"); break;
  case 18: {
    struct signalfd_siginfo ssi;
    (void)read(sfd, &ssi, sizeof ssi);
    early("read_signalfd");
    break;
  }
  case 19: (void)accept(listener, NULL, NULL); early("accept"); break;
  case 20:
    pthread_mutex_lock(&cv_mu);
    for (;;) /* a spurious wakeup is allowed; waking up for good is not */
      pthread_cond_wait(&cv, &cv_mu);
  case 21: pthread_mutex_lock(&held_mu); early("mutex_lock"); break;
  case 22: if (sem_wait(&sem) == 0 || errno != EINTR) early("sem_wait"); break;
  case 23: pthread_join(first_sleeper, NULL); early("join"); break;
  }
  /* sleeps that end after 60 s: the program is long gone */
}

static void *blocker(void *arg) {
  int kind = (int)(intptr_t)arg;
  void *volatile held = malloc(100 + (size_t)kind);
  memset(held, kind, 100);
  if (write(ready[1], "r", 1) != 1)
    abort();
  for (;;) {
    block_in(kind);
    if (kind == 22) /* sem_wait returned EINTR: that may happen; retry */
      continue;
    early(names[kind]);
  }
  return held;
}

static void *spinner(void *arg) {
  void *keep[16] = {0};
  for (unsigned i = 0; atomic_load(&spinning); i++) {
    free(keep[i % 16]);
    keep[i % 16] = malloc(8 + (i * 37) % 3000);
  }
  return arg;
}

static void *exiter(void *arg) {
  char c;
  if (read(sock[1], &c, 1) != 1) /* main writes once it leaked */
    abort();
  printf("thread calls exit\n");
  exit(0);
  return arg;
}

__attribute__((noinline)) static void leak(size_t n) { drop(malloc(n)); }

int main(int argc, char **argv) {
  long copies = stress_scale(argc, argv);
  const char *mode = argc > 2 ? argv[2] : "return";
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &set, NULL); /* for the sigwait family */
  CHECK(pipe(ready) == 0 && pipe(never) == 0);
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sock) == 0);
  CHECK((sfd = signalfd(-1, &set, 0)) >= 0);
  CHECK((listener = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "leakcc-stress-%d", (int)getpid());
  CHECK(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 1) == 0);
  CHECK(sem_init(&sem, 0, 0) == 0);
  pthread_mutex_lock(&held_mu);
  pthread_t t;
  for (long c = 0; c < copies; c++)
    for (int k = 0; k < KINDS; k++) {
      CHECK(pthread_create(&t, NULL, blocker, (void *)(intptr_t)k) == 0);
      if (c == 0 && k == 0)
        first_sleeper = t;
    }
  for (long i = 0; i < copies * KINDS; i++) {
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
  }
  for (int i = 0; i < 2; i++)
    CHECK(pthread_create(&t, NULL, spinner, NULL) == 0);
  usleep(50000); /* let them block */
  printf("%ld threads blocked in %d kinds of call, main ends by %s\n", copies * KINDS, KINDS,
         mode);
  leak(100);
  leak(200);
  leak(300);
  leak(400);
  leak(500);
  expect_leaks(5, 1500);
  scrub_stack();
  if (!strcmp(mode, "thread")) {
    CHECK(pthread_create(&t, NULL, exiter, NULL) == 0);
    fflush(stdout);
    CHECK(write(sock[0], "x", 1) == 1);
    pthread_join(t, NULL);
    printf("main returned from join\n");
    return 3;
  }
  if (!strcmp(mode, "exit"))
    exit(0);
  return 0;
}
