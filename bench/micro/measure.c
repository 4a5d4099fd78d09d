/*
 * Runs one benchmark process and measures it from outside.
 *
 *   measure PROGRAM [ARGS...]
 *
 * The child's stderr is inherited; its stdout is captured and printed back
 * as one line of key=value tokens, followed by this program's own:
 *   wall_ns     fork to reap, CLOCK_MONOTONIC
 *   maxrss_kb   the child's peak RSS (wait4 rusage)
 *   status      exit status (128+N when killed by signal N)
 *   tail_ns     reap time minus the child's exit_ts_ns token, when it printed
 *               one: the time spent after main returned (leak check, teardown)
 * The exit status of measure is 0 when it could run the child, else 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "micro.h"

#define OUT_MAX 4096

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: measure PROGRAM [ARGS...]\n");
    return 1;
  }
  int fds[2];
  if (pipe(fds) != 0) {
    perror("measure: pipe");
    return 1;
  }
  uint64_t t0 = micro_now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    perror("measure: fork");
    return 1;
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "measure: cannot run %s: %s\n", argv[1], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  /* Keep the first OUT_MAX bytes, drain the rest so the child never blocks. */
  char out[OUT_MAX + 1];
  size_t len = 0;
  for (;;) {
    char buf[4096];
    ssize_t got = read(fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    size_t take = (size_t)got < OUT_MAX - len ? (size_t)got : OUT_MAX - len;
    memcpy(out + len, buf, take);
    len += take;
  }
  close(fds[0]);
  out[len] = '\0';

  int status;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      perror("measure: wait4");
      return 1;
    }
  }
  uint64_t end = micro_now_ns();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  for (char *c = out; *c; c++)
    if (*c == '\n' || *c == '\t')
      *c = ' ';
  printf("%s wall_ns=%llu maxrss_kb=%ld status=%d", out, (unsigned long long)(end - t0),
         ru.ru_maxrss, code);
  const char *ts = strstr(out, "exit_ts_ns=");
  if (ts)
    printf(" tail_ns=%lld", (long long)end - strtoll(ts + strlen("exit_ts_ns="), NULL, 10));
  printf("\n");
  return 0;
}
