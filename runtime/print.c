/*
 * The runtime's one printer.  It never allocates: messages are formatted into
 * a fixed stack buffer with vsnprintf and written with write(2), so it is
 * safe inside the allocator, while the world is stopped, and at exit.
 * Output goes to stderr, or to log_path.PID once lk_print_open_log() has run.
 */
#include "lk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int lk_out_fd = 2;            /* stderr until a log file is opened */
static __thread int lk_in_printer;   /* recursion guard (per thread) */

static void write_all(const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(lk_out_fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    buf += n;
    len -= (size_t)n;
  }
}

void lk_vprintf(const char *fmt, va_list ap) {
  if (lk_in_printer)   /* a fault or hook inside vsnprintf: drop, never loop */
    return;
  lk_in_printer = 1;
  int saved_errno = errno;
  char buf[4096];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n > 0)
    write_all(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
  errno = saved_errno;
  lk_in_printer = 0;
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
  if (n < 0)
    return;
  size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
  bool has_newline = len > 0 && line[len - 1] == '\n';
  lk_printf("%s%s%s", prefix, line, has_newline ? "" : "\n");
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

void lk_die(void) {
  _exit(1);
}

void lk_print_open_log(void) {
  const char *path = lk_flags.log_path;
  if (!path || !*path || !strcmp(path, "stderr"))
    return;
  if (!strcmp(path, "stdout")) {
    lk_out_fd = 1;
    return;
  }
  char name[4096];
  snprintf(name, sizeof name, "%s.%d", path, (int)getpid());
  int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    lk_error("cannot open log_path '%s': %s; reporting to stderr", name,
             strerror(errno));
    return;
  }
  lk_out_fd = fd;
}
