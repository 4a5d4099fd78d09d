/*
 * Symbolization of code addresses for leak reports and suppressions.
 *
 * Module and offset come from dl_iterate_phdr (the main executable's path
 * from /proc/thread-self/exe).  Function, file, line and column come from one
 * llvm-symbolizer child per leak check, spawned on first use and talked to
 * over a socketpair ("path" 0xOFFSET in; "function\nfile:line:col\n" pairs
 * ending with an empty line out), exactly the protocol LSan uses.  With
 * --inlines one address yields several frames, innermost inlined first.
 *
 * The symbolizer is an orphan (see spawn), so that its end sends the
 * program no SIGCHLD.
 *
 * Never calls malloc (memory comes from lk_ialloc), never raises SIGPIPE
 * (send with MSG_NOSIGNAL on a socket instead of write on a pipe) and never
 * hangs: every read has a deadline, and a symbolizer that dies, times out or
 * answers garbage is killed and the rest of the check falls back to
 * module+offset.
 *
 * Nor may the symbolizer hang the program's caller.  It runs in a process
 * group of its own, and stopping it kills the whole group (SIGKILL) and
 * reaps the child, so a helper it forked dies with it.  It inherits none of
 * the program's descriptors: stdin/stdout are our socket, and its stderr is
 * a pipe that we copy to our stderr while we wait for answers and once more
 * when it stops.  A process that escaped the group (setsid) and still holds
 * that pipe therefore keeps nothing of the caller's open: `$(prog 2>&1)`
 * and subprocess.run() see end of file when the program exits (issue 13,
 * F14).
 *
 * Must not run while the world is stopped: dl_iterate_phdr takes the
 * loader's lock, which a stopped thread may hold.
 *
 * In secure mode (lk_secure_mode: a setuid/setgid program) no symbolizer
 * runs at all: whichever binary PATH or an option names, it would run with
 * the raised privileges and the user's environment (debuginfod URLs, cache
 * directories), reading files on the program's behalf.  Frames are then
 * module+offset; frame 0 keeps the pass's file:line.
 */
#include "lk.h"

#include <errno.h>
#include <limits.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LEAKCC_DEFAULT_SYMBOLIZER /* -D from the build: LLVM's tools dir */
#define LEAKCC_DEFAULT_SYMBOLIZER ""
#endif

#define SYM_TIMEOUT_MS 10000   /* per answer; the first loads debug info */
#define SYM_OUT_MAX (64 * 1024)
#define CACHE_SLOTS 4096       /* power of two; grows by rehashing */
#define ARENA_CHUNK (64 * 1024)

typedef struct cache_entry {
  uintptr_t pc;                /* 0: empty slot */
  unsigned nframes;
  lk_frame_info *frames;
} cache_entry;

typedef struct module_name {
  struct module_name *next;
  const char *loader_name;     /* dlpi_name, owned by the loader */
  const char *copy;
} module_name;

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t size, used;
} arena_chunk;

/* All state of this file.  Reset after every leak check. */
static struct {
  enum { SYM_UNTRIED, SYM_RUNNING, SYM_FAILED } state;
  pid_t pid;                   /* also its process group */
  int fd;                      /* our end of the socketpair */
  int err_fd;                  /* read end of its stderr pipe, or -1 */
  char *out;                   /* SYM_OUT_MAX bytes: one answer */
  cache_entry *cache;
  size_t cache_slots, cache_used;
  arena_chunk *arena;
  module_name *modules;        /* copies of module paths, one per module */
  const char *exe_path;
} sym;

/* ------------------------------------------------------------ memory */

static void *arena_alloc(size_t n) {
  n = (n + 15) & ~(size_t)15;
  arena_chunk *c = sym.arena;
  if (!c || c->used + n > c->size) {
    size_t size = n + sizeof *c > ARENA_CHUNK ? n + sizeof *c : ARENA_CHUNK;
    c = lk_ialloc(size);
    c->size = size;
    c->used = (sizeof *c + 15) & ~(size_t)15;
    c->next = sym.arena;
    sym.arena = c;
  }
  void *p = (char *)c + c->used;
  c->used += n;
  return p;
}

static const char *arena_strndup(const char *s, size_t n) {
  char *p = arena_alloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

/* ------------------------------------------------------------ modules */

struct module_query {
  uintptr_t pc;
  const char *name;
  uintptr_t offset;
  bool found;
};

static int module_cb(struct dl_phdr_info *info, size_t size, void *arg) {
  struct module_query *q = arg;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD)
      continue;
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (q->pc >= lo && q->pc < lo + ph->p_memsz) {
      q->name = info->dlpi_name;
      q->offset = q->pc - info->dlpi_addr;
      q->found = true;
      return 1;
    }
  }
  return 0;
}

/* /proc/thread-self, not /proc/self: after the main thread has called
 * pthread_exit, /proc/self (the thread group leader, a zombie) has no exe. */
static const char *main_exe_path(void) {
  if (!sym.exe_path) {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/thread-self/exe", buf, sizeof buf - 1);
    if (n <= 0)
      n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    sym.exe_path = n > 0 ? arena_strndup(buf, (size_t)n) : "<unknown module>";
  }
  return sym.exe_path;
}

/* Our copy of a module path: the loader's string goes away on dlclose. */
static const char *module_copy(const char *loader_name) {
  module_name *m = sym.modules;
  while (m && m->loader_name != loader_name)
    m = m->next;
  if (!m) {
    m = arena_alloc(sizeof *m);
    m->loader_name = loader_name;
    m->copy = arena_strndup(loader_name, strlen(loader_name));
    m->next = sym.modules;
    sym.modules = m;
  }
  return m->copy;
}

/* Fills module and module_offset; module is NULL when pc is in no module. */
static void find_module(uintptr_t pc, lk_frame_info *out) {
  struct module_query q = {.pc = pc};
  dl_iterate_phdr(module_cb, &q);
  if (!q.found)
    return;
  /* The main program is the one entry without a name. */
  out->module = q.name && q.name[0] ? module_copy(q.name) : main_exe_path();
  out->module_offset = q.offset;
}

/* -------------------------------------------------- finding the binary */

static bool executable(const char *path) {
  return path && path[0] && access(path, X_OK) == 0;
}

/* Looks for NAME in each directory of $PATH; the result is in buf. */
static bool search_path(const char *name, char *buf, size_t bufsize) {
  const char *p = getenv("PATH");
  while (p && *p) {
    const char *end = strchr(p, ':');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 0 &&
        snprintf(buf, bufsize, "%.*s/%s", (int)len, p, name) < (int)bufsize &&
        executable(buf))
      return true;
    p = end ? end + 1 : NULL;
  }
  return false;
}

/* Order: external_symbolizer_path (which LEAKCC_SYMBOLIZER_PATH overrides,
 * options.c), PATH (llvm-symbolizer, then versioned names), the LLVM the
 * runtime was built against, then the Debian/Ubuntu LLVM install
 * directories. */
static bool find_symbolizer(char *buf, size_t bufsize) {
  const char *p = lk_flags.external_symbolizer_path;
  if (p && p[0]) {
    if (executable(p)) {
      snprintf(buf, bufsize, "%s", p);
      return true;
    }
    lk_warn("symbolizer '%s' is not executable; trying the default ones", p);
  }
  if (search_path("llvm-symbolizer", buf, bufsize))
    return true;
  char name[64];
  for (int v = 25; v >= 14; v--) {
    snprintf(name, sizeof name, "llvm-symbolizer-%d", v);
    if (search_path(name, buf, bufsize))
      return true;
  }
  if (executable(LEAKCC_DEFAULT_SYMBOLIZER)) {
    snprintf(buf, bufsize, "%s", LEAKCC_DEFAULT_SYMBOLIZER);
    return true;
  }
  for (int v = 25; v >= 14; v--) {
    snprintf(buf, bufsize, "/usr/lib/llvm-%d/bin/llvm-symbolizer", v);
    if (executable(buf))
      return true;
  }
  return false;
}

/* ------------------------------------------------------ the child process */

extern char **environ;

/* The child's environment: ours without the program's LD_PRELOAD and
 * LD_LIBRARY_PATH (under libtool the latter points at the program's own
 * instrumented libraries, which the symbolizer would load in place of the
 * system's and fail on the missing __leakcc_hook_* symbols), and with leak
 * checking off should it get our runtime all the same. */
static char **child_environ(void) {
  size_t n = 0;
  while (environ && environ[n])
    n++;
  char **env = lk_ialloc((n + 2) * sizeof *env);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (strncmp(environ[i], "LEAKCC_OPTIONS=", 15) &&
        strncmp(environ[i], "LSAN_OPTIONS=", 13) &&
        strncmp(environ[i], "LD_PRELOAD=", 11) &&
        strncmp(environ[i], "LD_LIBRARY_PATH=", 16))
      env[k++] = environ[i];
  env[k++] = "LEAKCC_OPTIONS=detect_leaks=0";
  env[k] = NULL;
  return env;
}

/* Copies what the symbolizer wrote on its stderr pipe to our stderr,
 * without blocking: until the pipe is empty, or at its end (then closed). */
static void forward_stderr(void) {
  char buf[4096];
  while (sym.err_fd >= 0) {
    ssize_t n = read(sym.err_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    if (n <= 0) {
      close(sym.err_fd);
      sym.err_fd = -1;
      return;
    }
    for (ssize_t off = 0; off < n;) {
      ssize_t w = lk_write_nosigpipe(2, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        break; /* our stderr is gone: drop the symbolizer's messages */
      off += w;
    }
  }
}

/* Kills the symbolizer's whole process group (whatever it forked too),
 * reaps the child, and forwards and closes its stderr pipe. */
static void symbolizer_stop(void) {
  if (sym.state == SYM_RUNNING) {
    close(sym.fd);
    kill(-sym.pid, SIGKILL);  /* its group: helpers it started too */
    kill(sym.pid, SIGKILL);   /* in case it left its group; an orphan:
                                 init reaps it */
    forward_stderr();
    if (sym.err_fd >= 0)
      close(sym.err_fd);      /* an escaped helper holds only this pipe */
    sym.err_fd = -1;
  }
  sym.state = SYM_FAILED;
}

struct spawn_args {
  const char *path;
  char **argv, **env;
  int fd, err_fd;
  pid_t pid; /* the symbolizer's, set by the intermediate child */
};

/* The intermediate child: in our memory, on a stack of its own, cloned
 * with no exit signal.  It vforks the symbolizer and exits once that has
 * exec'd, so the symbolizer is an orphan: its end (which the kernel always
 * signals with SIGCHLD once a process has exec'd) goes to init, never to
 * the program, whose signal thread or SIGCHLD handler would take it.  The
 * symbolizer makes its own process group (so that abandoning it kills
 * every helper it started), gets descriptors 0-2 and closes the rest: the
 * program's descriptors without O_CLOEXEC (its stderr among them) stay out
 * of it.  System calls only, so that no interceptor updates the parent's
 * tables. */
static int spawn_child(void *arg) {
  struct spawn_args *a = arg;
  pid_t pid = vfork();
  if (pid == 0) {
    syscall(SYS_setpgid, 0, 0);
    if (syscall(SYS_dup2, a->fd, 0) < 0 || syscall(SYS_dup2, a->fd, 1) < 0 ||
        syscall(SYS_dup2, a->err_fd, 2) < 0)
      syscall(SYS_exit, 127);
#ifdef SYS_close_range
    syscall(SYS_close_range, 3u, ~0u, 0u);
#endif
    syscall(SYS_execve, a->path, a->argv, a->env);
    syscall(SYS_exit, 127);
  }
  a->pid = pid;
  syscall(SYS_exit, 0);
  return 0;
}

#define SPAWN_STACK (64 * 1024)

/* No copy of a large heap (vfork twice), and we resume once the symbolizer
 * has exec'd.  Returns its pid, or -1. */
static pid_t spawn(const char *path, char *argv[], char **env, int fd,
                   int err_fd) {
  char *stack = lk_mmap(SPAWN_STACK, "the symbolizer's start");
  struct spawn_args a = {path, argv, env, fd, err_fd, -1};
  pid_t mid = clone(spawn_child, stack + SPAWN_STACK, CLONE_VM | CLONE_VFORK,
                    &a);
  if (mid > 0)
    while (waitpid(mid, NULL, __WALL) < 0 && errno == EINTR)
      ;
  lk_munmap(stack, SPAWN_STACK);
  return mid > 0 ? a.pid : -1;
}

static bool symbolizer_start(void) {
  char path[PATH_MAX];
  sym.state = SYM_FAILED;
  if (lk_flags.symbolize && lk_secure_mode()) {
    if (lk_flags.verbosity)
      lk_printf("leakcc: setuid/setgid program: no symbolizer is run; "
                "printing module+offset\n");
    return false;
  }
  if (!lk_flags.symbolize || !find_symbolizer(path, sizeof path)) {
    if (lk_flags.symbolize && lk_flags.verbosity)
      lk_printf("leakcc: no llvm-symbolizer found; printing module+offset\n");
    return false;
  }
  char **env = child_environ();
  sym.out = sym.out ? sym.out : lk_ialloc(SYM_OUT_MAX);
  int sv[2], ep[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return false;
  if (pipe2(ep, O_CLOEXEC | O_NONBLOCK) < 0) {
    close(sv[0]);
    close(sv[1]);
    return false;
  }
  /* The child's end blocks as an ordinary stderr does. */
  fcntl(ep[1], F_SETFL, 0);
  char *argv[] = {path, "--inlines", "--demangle", "--default-arch=x86_64",
                  NULL};
  pid_t pid = spawn(path, argv, env, sv[1], ep[1]);
  int spawn_errno = errno;
  close(sv[1]);
  close(ep[1]);
  if (pid < 0) {
    close(sv[0]);
    close(ep[0]);
    lk_warn("cannot start symbolizer '%s': %s", path, strerror(spawn_errno));
    return false;
  }
  if (lk_flags.verbosity)
    lk_printf("leakcc: using symbolizer %s\n", path);
  sym.pid = pid;
  sym.fd = sv[0];
  sym.err_fd = ep[0];
  sym.state = SYM_RUNNING;
  return true;
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sends one query and reads the answer (terminated by an empty line) into
 * sym.out.  Returns its length, or -1 after stopping a broken symbolizer. */
static ssize_t symbolizer_query(const char *module, uintptr_t offset) {
  char q[PATH_MAX + 64];
  int qlen = snprintf(q, sizeof q, "\"%s\" 0x%zx\n", module, (size_t)offset);
  if (qlen <= 0 || (size_t)qlen >= sizeof q || strchr(module, '"'))
    return -1;   /* cannot be quoted: not worth killing the symbolizer */
  for (int sent = 0; sent < qlen;) {
    ssize_t n = send(sym.fd, q + sent, (size_t)(qlen - sent), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      goto broken;
    sent += (int)n;
  }
  size_t len = 0;
  long deadline = now_ms() + SYM_TIMEOUT_MS;
  while (len < 2 || memcmp(sym.out + len - 2, "\n\n", 2) != 0) {
    long left = deadline - now_ms();
    /* Its stderr too, so that it never blocks on a full pipe. */
    struct pollfd pfd[2] = {{.fd = sym.fd, .events = POLLIN},
                            {.fd = sym.err_fd, .events = POLLIN}};
    if (left <= 0 || len + 1 >= SYM_OUT_MAX)
      goto broken;
    int r = poll(pfd, 2, (int)left);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      goto broken;
    if (pfd[1].revents)
      forward_stderr();
    if (!pfd[0].revents)
      continue;
    ssize_t n = read(sym.fd, sym.out + len, SYM_OUT_MAX - 1 - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      goto broken;
    len += (size_t)n;
  }
  sym.out[len] = 0;
  return (ssize_t)len;
broken:
  lk_warn("llvm-symbolizer failed (no answer for %s+0x%zx); printing "
          "module+offset from here on", module, (size_t)offset);
  symbolizer_stop();
  return -1;
}

/* Splits "file:line[:col]" from the right, as LSan does (file names may
 * contain ':').  "??" means unknown. */
static void parse_location(const char *s, size_t n, lk_frame_info *f) {
  unsigned nums[2] = {0, 0};
  int got = 0;
  while (got < 2) {
    size_t d = n;
    while (d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9')
      d--;
    if (d == n || d == 0 || s[d - 1] != ':')
      break;
    nums[got++] = (unsigned)strtoul(s + d, NULL, 10);
    n = d - 1;
  }
  f->line = got == 2 ? nums[1] : nums[0];
  f->column = got == 2 ? nums[0] : 0;
  if (!(n == 2 && !memcmp(s, "??", 2)) && n > 0)
    f->file = arena_strndup(s, n);
  else
    f->line = f->column = 0;
}

/* lk.h.  The strings live in this file's arena. */
unsigned lk_symbolizer_parse(const char *answer, const lk_frame_info *base,
                             lk_frame_info *out, unsigned max) {
  const char *p = answer;
  unsigned n = 0;
  while (n < max && *p && *p != '\n') {
    const char *fn_end = strchr(p, '\n');
    const char *loc = fn_end ? fn_end + 1 : NULL;
    const char *loc_end = loc ? strchr(loc, '\n') : NULL;
    if (!loc_end)
      break;
    lk_frame_info *f = &out[n++];
    *f = *base;
    size_t fn_len = (size_t)(fn_end - p);
    if (!(fn_len == 2 && !memcmp(p, "??", 2)) && fn_len > 0)
      f->function = arena_strndup(p, fn_len);
    parse_location(loc, (size_t)(loc_end - loc), f);
    p = loc_end + 1;
  }
  return n;
}

/* -------------------------------------------------------------- cache */

static cache_entry *cache_slot(uintptr_t pc) {
  size_t mask = sym.cache_slots - 1;
  size_t i = (size_t)((pc * 0x9E3779B97F4A7C15ull) >> 20) & mask;
  while (sym.cache[i].pc && sym.cache[i].pc != pc)
    i = (i + 1) & mask;
  return &sym.cache[i];
}

static void cache_grow(void) {
  size_t old_slots = sym.cache_slots;
  cache_entry *old = sym.cache;
  sym.cache_slots = old_slots ? old_slots * 2 : CACHE_SLOTS;
  sym.cache = lk_ialloc(sym.cache_slots * sizeof *sym.cache);
  for (size_t i = 0; i < old_slots; i++)
    if (old[i].pc)
      *cache_slot(old[i].pc) = old[i];
  if (old)
    lk_ifree(old, old_slots * sizeof *old);
}

/* ----------------------------------------------------------- interface */

unsigned lk_symbolize(uintptr_t pc, lk_frame_info *out, unsigned max) {
  if (max == 0)
    return 0;
  if (sym.cache_used * 2 >= sym.cache_slots)
    cache_grow();
  cache_entry *e = cache_slot(pc);
  if (!e->pc) {
    lk_frame_info base = {0};
    lk_frame_info frames[LK_MAX_FRAMES];
    unsigned n = 0;
    find_module(pc, &base);
    if (base.module && sym.state == SYM_UNTRIED)
      symbolizer_start();
    if (base.module && sym.state == SYM_RUNNING &&
        symbolizer_query(base.module, base.module_offset) > 0)
      n = lk_symbolizer_parse(sym.out, &base, frames, LK_MAX_FRAMES);
    if (n == 0)
      frames[n++] = base;
    e->frames = arena_alloc(n * sizeof *frames);
    memcpy(e->frames, frames, n * sizeof *frames);
    e->nframes = n;
    e->pc = pc;
    sym.cache_used++;
  }
  unsigned n = e->nframes < max ? e->nframes : max;
  memcpy(out, e->frames, n * sizeof *out);
  return n;
}

void lk_symbolize_reset(void) {
  symbolizer_stop();
  while (sym.arena) {
    arena_chunk *next = sym.arena->next;
    lk_ifree(sym.arena, sym.arena->size);
    sym.arena = next;
  }
  if (sym.cache)
    lk_ifree(sym.cache, sym.cache_slots * sizeof *sym.cache);
  if (sym.out)
    lk_ifree(sym.out, SYM_OUT_MAX);
  memset(&sym, 0, sizeof sym);
}
