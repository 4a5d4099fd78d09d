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
 *
 * log_path.PID is a predictable name, often in a shared directory, so the
 * file is never opened through a symbolic link (O_NOFOLLOW; one found at
 * start-up is refused at once), is created with mode 0640 (as LSan), and,
 * in secure mode (lk_secure_mode), must be a regular file of our effective
 * user with one link before it is emptied.  A log file that cannot be used
 * is one error line on stderr, and the report goes to stderr instead.
 *
 * Write errors are not ignored: when the log file or stdout (log_path=
 * stdout) fails (a full disk, /dev/full, EFBIG), one error line on stderr
 * says why and the rest of the output goes to stderr.  When stderr fails
 * there is nowhere to say it; the exit status (exitcode=) still says that
 * leaks were found.  A descriptor the program made non-blocking is waited
 * for (poll) rather than dropped.
 *
 * A write to a pipe whose reader is gone (prog 2>&1 | head -1) raises
 * SIGPIPE, which would kill the process (status 141) where the plain
 * program, which wrote nothing there, exits normally.  So every write of
 * the runtime blocks SIGPIPE in its thread, takes back the SIGPIPE it
 * raised (unless one was already pending: that one is the program's), and
 * restores the mask: the failure is EPIPE, handled as any write error.
 */
#include "lk.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
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

/* How long a descriptor the program made non-blocking (a shared terminal
 * or pipe) may stay full before the write counts as failed. */
#define WRITE_WAIT_MS 10000

/* write(2) that cannot raise SIGPIPE (file comment).  The mask calls are
 * system calls: the runtime interposes sigprocmask and sigtimedwait. */
ssize_t lk_write_nosigpipe(int fd, const void *buf, size_t len) {
  sigset_t pipe_set, old, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &pipe_set, &old, _NSIG / 8) != 0)
    return write(fd, buf, len);
  sigemptyset(&pending);
  syscall(SYS_rt_sigpending, &pending, _NSIG / 8);
  bool was_pending = sigismember(&pending, SIGPIPE);
  ssize_t n = write(fd, buf, len);
  int err = errno;
  if (n < 0 && err == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    while (syscall(SYS_rt_sigtimedwait, &pipe_set, NULL, &zero, _NSIG / 8) < 0 &&
           errno == EINTR)
      ;
  }
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
  errno = err;
  return n;
}

/* Writes all of buf to fd.  Returns 0, or the errno of the write that
 * failed (EINTR is retried; EAGAIN waits for room, WRITE_WAIT_MS at most). */
static int write_fd(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = lk_write_nosigpipe(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct pollfd pfd = {.fd = fd, .events = POLLOUT};
      int r = poll(&pfd, 1, WRITE_WAIT_MS);
      if (r > 0 || (r < 0 && errno == EINTR))
        continue;
      return r == 0 ? EAGAIN : errno;
    }
    if (n < 0)
      return errno;
    if (n == 0)
      return EIO;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

#define SYMLINK_REFUSED "it is a symbolic link, which leakcc does not follow"

/* Opens log_path.PID for this process and makes it out.fd; empties it when
 * starting it (truncate).  Never through a symbolic link at the last
 * component, mode 0640.  In secure mode the file must be a regular file of
 * our effective user with one link, checked before it is emptied, so that a
 * hard link to another file or a file the real user planted is left alone.
 * Outside secure mode a FIFO or a device there is used (the user named it;
 * LSan does too), but the open is O_NONBLOCK, so that a FIFO nobody reads
 * is refused (ENXIO) instead of blocking the program; the flag is cleared
 * once the file is accepted.  Returns NULL on success, else why not (name
 * is filled either way). */
static const char *open_log(bool truncate, char *name, size_t name_size) {
  int pid = (int)getpid();
  bool secure = lk_secure_mode();
  snprintf(name, name_size, "%s.%d", lk_flags.log_path, pid);
  int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
                          O_NONBLOCK | O_NOCTTY, 0640);
  if (fd < 0)
    return errno == ELOOP   ? SYMLINK_REFUSED
           : errno == ENXIO ? "it is a FIFO that nobody reads"
                            : strerror(errno);
  struct stat st;
  const char *why = NULL;
  if (fstat(fd, &st) != 0)
    why = strerror(errno);
  else if (secure && (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
                      st.st_nlink != 1))
    why = "a setuid/setgid program writes only to a regular file of its own "
          "with one link";
  else if (truncate && S_ISREG(st.st_mode) && ftruncate(fd, 0) != 0)
    why = strerror(errno);
  else if (fcntl(fd, F_SETFL, O_APPEND) != 0) /* clears O_NONBLOCK */
    why = strerror(errno);
  if (why) {
    close(fd);
    return why;
  }
  out.dev = st.st_dev;
  out.ino = st.st_ino;
  out.pid = pid;
  __atomic_store_n(&out.fd, fd, __ATOMIC_RELEASE);
  return NULL;
}

/* The log file cannot be used: from now on output goes to stderr, starting
 * with one line that says why.  Written directly: we are inside the
 * printer, whose recursion guard would drop an lk_error. */
static void log_refused(const char *name, const char *why) {
  out.to_file = false;
  out.fd = 2;
  char line[4096 + 256];
  int n = snprintf(line, sizeof line,
                   "leakcc: error: cannot write the log_path file '%s': %s; "
                   "reporting to stderr\n", name, why);
  if (n > 0)
    write_fd(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
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
  const char *why = open_log(forked, name, sizeof name);
  if (why)
    log_refused(name, why);
}

/* Writing to the log file or stdout failed with ERR (a full disk, a
 * /dev/full, a closed descriptor): from now on output goes to stderr,
 * starting with one line that says so, so the rest of the report is not
 * lost.  When stderr itself fails there is nowhere left to say it; the
 * exit status (exitcode=) still tells that leaks were found. */
static void write_failed(int err) {
  char line[4096 + 256];
  int n;
  if (out.to_file)
    n = snprintf(line, sizeof line,
                 "leakcc: error: cannot write to the log_path file '%s.%d': "
                 "%s; reporting to stderr\n",
                 lk_flags.log_path, out.pid, strerror(err));
  else
    n = snprintf(line, sizeof line,
                 "leakcc: error: cannot write the report to stdout: %s; "
                 "reporting to stderr\n", strerror(err));
  out.to_file = false;
  __atomic_store_n(&out.fd, 2, __ATOMIC_RELEASE);
  if (n > 0)
    write_fd(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void write_all(const char *buf, size_t len) {
  if (out.to_file)
    check_log();
  int fd = __atomic_load_n(&out.fd, __ATOMIC_ACQUIRE);
  int err = write_fd(fd, buf, len);
  if (err && fd != 2) {
    write_failed(err);
    write_fd(2, buf, len);
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
  /* A link already planted at the name is refused now rather than at the
   * first write; O_NOFOLLOW then refuses one planted later. */
  char name[4096];
  struct stat st;
  snprintf(name, sizeof name, "%s.%d", path, (int)getpid());
  if (lstat(name, &st) == 0 && S_ISLNK(st.st_mode)) {
    lk_error("cannot write the log_path file '%s': " SYMLINK_REFUSED
             "; reporting to stderr", name);
    return;
  }
  out.fd = -1; /* check_log opens (and truncates) it at the first write */
  out.pid = 0;
  out.to_file = true;
}
