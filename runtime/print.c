/*
 * The runtime's one printer.  It never allocates: messages are formatted into
 * a fixed stack buffer with vsnprintf and written with write(2), so it is
 * safe inside the allocator, while the world is stopped, and at exit.
 * Output goes to stderr, or to log_path.PID once lk_print_open_log() has run.
 *
 * The log file is opened at the first write (its directory is checked at
 * start-up, so a bad path is reported at once), and the program owns the
 * descriptor table: daemons close every descriptor
 * they did not open, and the number may then be reused for a file of the
 * program's.  So before each write the descriptor is checked to still be
 * our file (same device and inode); if it is not, the log is reopened for
 * appending, and the program's descriptor is left alone.  A forked child
 * writes to its own log_path.PID, as with LSan.
 */
#include "lk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where output goes.  Without a log file, fd is 2 (or 1 for
 * log_path=stdout) and the other fields are unused.  Two threads that find
 * the log gone at once may both reopen it: one descriptor leaks, nothing is
 * lost. */
static struct {
  int fd;
  bool to_file;     /* fd is our log_path.PID file */
  int pid;          /* the process the file is named after */
  dev_t dev;        /* identity of the file, to notice a reused fd */
  ino_t ino;
} out = {.fd = 2};
static __thread int lk_in_printer;   /* recursion guard (per thread) */

/* Opens log_path.PID for this process; truncates it when starting it.
 * Returns false (errno set, *name filled) on failure. */
static bool open_log(bool truncate, char *name, size_t name_size) {
  int pid = (int)getpid();
  snprintf(name, name_size, "%s.%d", lk_flags.log_path, pid);
  int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
                          (truncate ? O_TRUNC : 0), 0644);
  struct stat st;
  if (fd < 0)
    return false;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return false;
  }
  out.dev = st.st_dev;
  out.ino = st.st_ino;
  out.pid = pid;
  __atomic_store_n(&out.fd, fd, __ATOMIC_RELEASE);
  return true;
}

/* Makes out.fd our log file again if the program closed or reused it, or
 * if this is a forked child.  Falls back to stderr when that fails. */
static void check_log(void) {
  struct stat st;
  int fd = __atomic_load_n(&out.fd, __ATOMIC_ACQUIRE);
  bool ours = fstat(fd, &st) == 0 && st.st_dev == out.dev &&
              st.st_ino == out.ino;
  bool forked = (int)getpid() != out.pid;
  if (ours && !forked)
    return;
  if (ours)
    close(fd); /* the parent's file, inherited: the child gets its own */
  char name[4096];
  if (!open_log(forked, name, sizeof name)) {
    out.to_file = false;
    out.fd = 2;
  }
}

static void write_all(const char *buf, size_t len) {
  if (out.to_file)
    check_log();
  while (len > 0) {
    ssize_t n = write(out.fd, buf, len);
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

/* The file itself is created at the first write, as LSan does, so a process
 * with nothing to report leaves no empty log_path.PID behind; whether it can
 * be created is checked now, so a bad path is reported at start-up. */
void lk_print_open_log(void) {
  const char *path = lk_flags.log_path;
  if (!path || !*path || !strcmp(path, "stderr"))
    return;
  if (!strcmp(path, "stdout")) {
    out.fd = 1;
    return;
  }
  char dir[4096];
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path),
             path);
  if (access(dir, W_OK | X_OK) != 0) {
    int err = errno;
    lk_error("cannot open log_path '%s.%d': %s; reporting to stderr", path,
             (int)getpid(), strerror(err));
    return;
  }
  out.fd = -1; /* check_log opens (and truncates) it at the first write */
  out.pid = 0;
  out.to_file = true;
}
