/*
 * LeakSanitizer suppressions.
 *
 * Sources, in LSan's order (the first matching rule wins): the file named by
 * suppressions=, the program's __lsan_default_suppressions(), then the
 * built-in rules LSan also carries.  The format is LSan's: one TYPE:PATTERN
 * per line, blank lines and '#' comments ignored, surrounding blanks
 * trimmed.  Only "leak" rules are used; rules of other sanitizers
 * (interceptor_via_fun:, race:, ...) are skipped so that one file can serve
 * several tools.  A line that is not TYPE:PATTERN is fatal, naming the file
 * and line, because a silently ignored rule would report leaks the user
 * believes suppressed.  The message quotes the line, except in secure mode
 * (lk_secure_mode): a setuid program may read files its user cannot, and
 * its messages must not show their content.
 *
 * A stack is suppressed when a pattern matches, for some frame, the module
 * path, the function or the file name (the pass's site for frame 0, and
 * every inlined frame the symbolizer reports).
 */
#include "lk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* LSan's built-in rule: glibc's dynamic TLS blocks, allocated under
 * __tls_get_addr, are referenced only from the DTV, which is not scanned. */
static const char builtin_suppressions[] = "leak:*tls_get_addr*\n";

/* All state of this file.  The list only grows, before the first check. */
static struct {
  bool inited;
  lk_suppression *rules;
  size_t n, cap;
} supp;

__attribute__((weak)) const char *__lsan_default_suppressions(void);

/* LSan's TemplateMatch: '*' matches any run of characters, a leading '^'
 * anchors at the start, '$' anchors at the end; without anchors the pattern
 * may match anywhere (substring).  NULL or empty strings never match. */
bool lk_template_match(const char *templ, const char *str) {
  if (!str || !str[0])
    return false;
  bool start = false, asterisk = false;
  if (templ[0] == '^') {
    start = true;
    templ++;
  }
  while (templ[0]) {
    if (templ[0] == '*') {
      templ++;
      start = false;
      asterisk = true;
      continue;
    }
    if (templ[0] == '$')
      return str[0] == 0 || asterisk;
    if (str[0] == 0)
      return false;
    size_t seg = strcspn(templ, "*$");
    const char *pos = memmem(str, strlen(str), templ, seg);
    if (!pos || (start && pos != str))
      return false;
    str = pos + seg;
    templ += seg;
    start = false;
    asterisk = false;
  }
  return true;
}

/* Copies at most 80 characters of the line, with bytes that are not
 * printable ASCII as \xNN, so that a binary file gives a readable error. */
static void quote_line(char *out, size_t out_size, const char *line,
                       size_t len) {
  size_t o = 0, i = 0;
  for (; i < len && i < 80 && o + 5 < out_size; i++) {
    unsigned char c = (unsigned char)line[i];
    if (c >= 0x20 && c < 0x7f)
      out[o++] = (char)c;
    else
      o += (size_t)snprintf(out + o, out_size - o, "\\x%02x", c);
  }
  if (i < len && o + 4 < out_size) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = 0;
}

static __attribute__((noreturn)) void fatal_line(const char *origin,
                                                 unsigned lineno,
                                                 const char *why,
                                                 const char *line, size_t len) {
  if (lk_secure_mode()) {
    lk_error("%s:%u: %s (the line is not shown in a setuid/setgid program; "
             "expected TYPE:PATTERN, e.g. leak:my_function)",
             origin, lineno, why);
    lk_die();
  }
  char quoted[512];
  quote_line(quoted, sizeof quoted, line, len);
  lk_error("%s:%u: %s: '%s' (expected TYPE:PATTERN, e.g. leak:my_function)",
           origin, lineno, why, quoted);
  lk_die();
}

static void add_rule(const char *pattern, size_t len) {
  supp.rules = lk_igrow(supp.rules, supp.n, &supp.cap, sizeof *supp.rules);
  char *templ = lk_ialloc(len + 1); /* zeroed: the copy is NUL-terminated */
  memcpy(templ, pattern, len);
  supp.rules[supp.n++] = (lk_suppression){.templ = templ};
}

/* Parses TEXT (the contents of ORIGIN) and appends its leak: rules. */
void lk_suppressions_parse(const char *text, const char *origin) {
  unsigned lineno = 0;
  for (const char *line = text; line && *line;) {
    const char *end = strchr(line, '\n');
    const char *next = end ? end + 1 : NULL;
    if (!end)
      end = line + strlen(line);
    lineno++;
    while (line < end && (*line == ' ' || *line == '\t'))
      line++;
    while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
      end--;
    size_t len = (size_t)(end - line);
    if (len > 0 && line[0] != '#') {
      size_t type_len = 0;
      while (type_len < len && ((line[type_len] >= 'a' && line[type_len] <= 'z') ||
                                line[type_len] == '_'))
        type_len++;
      if (type_len == 0 || type_len == len || line[type_len] != ':')
        fatal_line(origin, lineno, "malformed suppression", line, len);
      const char *pattern = line + type_len + 1;
      size_t pattern_len = len - type_len - 1;
      if (type_len == 4 && !memcmp(line, "leak", 4)) {
        if (pattern_len == 0)
          fatal_line(origin, lineno, "empty pattern", line, len);
        add_rule(pattern, pattern_len);
      } else if (lk_flags.verbosity) {
        /* The type is file content too: not shown in secure mode. */
        bool show = !lk_secure_mode();
        lk_printf("leakcc: %s:%u: ignoring %s%.*s%s suppression (leakcc uses "
                  "only leak:)\n", origin, lineno, show ? "'" : "a non-leak",
                  show ? (int)type_len : 0, line, show ? "'" : "");
      }
    }
    line = next;
  }
}

/* A suppressions file larger than this is refused: it is not a list of
 * rules but a device or a runaway generator (suppressions=/dev/zero would
 * otherwise read until memory runs out).  LSan caps the size too. */
#define SUPP_MAX_BYTES (16u << 20)
/* A file that is not a regular file (a pipe, a FIFO, a terminal, a device)
 * may have nothing to read yet; after this long with nothing new the read
 * is given up, so that a FIFO nobody writes cannot hang the program. */
#define SUPP_WAIT_MS 10000

/* Reads a whole file into runtime memory.  Returns the NUL-terminated text,
 * or NULL with *why saying why not (errno is set too: ENOENT matters to the
 * caller).  Reads to end of file rather than trusting st_size, so that
 * pipes, /dev/null, /proc files and process substitution
 * (suppressions=<(...)) work, as with LSan; but never more than
 * SUPP_MAX_BYTES, and never blocks: the file is opened with O_NONBLOCK (a
 * FIFO with no writer would block open() forever), and a file that is not
 * regular is read only when poll says it is readable, SUPP_WAIT_MS at
 * most each time. */
static char *read_file(const char *path, const char **why) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    *why = strerror(errno);
    return NULL;
  }
  struct stat st;
  char *buf = NULL;
  size_t cap = 0, got = 0;
  int err = 0;
  *why = NULL;
  if (fstat(fd, &st) != 0) {
    err = errno;
  } else if (S_ISDIR(st.st_mode)) {
    err = EISDIR;
  } else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > SUPP_MAX_BYTES) {
    err = EFBIG;
    *why = "it is larger than 16 MiB, the limit for a suppressions file";
  } else {
    bool regular = S_ISREG(st.st_mode);
    cap = regular && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    buf = lk_ialloc(cap); /* lk_ialloc dies rather than fail */
    for (;;) {
      if (got > SUPP_MAX_BYTES) {
        err = EFBIG;
        *why = "it is larger than 16 MiB, the limit for a suppressions file "
               "(a device that never ends?)";
        break;
      }
      if (got + 1 == cap) { /* keep room for the NUL */
        buf = lk_irealloc(buf, cap, 2 * cap);
        cap *= 2;
      }
      if (!regular) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, SUPP_WAIT_MS);
        if (r < 0 && errno == EINTR)
          continue;
        if (r < 0) {
          err = errno;
          break;
        }
        if (r == 0) {
          err = ETIMEDOUT;
          *why = "nothing to read for 10 seconds (a FIFO with no writer, or "
                 "a terminal?)";
          break;
        }
      }
      ssize_t n = read(fd, buf + got, cap - 1 - got);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue; /* EAGAIN: poll said readable, another reader won */
      if (n < 0) { /* an I/O error is a failure, not a shorter file */
        err = errno;
        break;
      }
      if (n == 0)
        break;
      got += (size_t)n;
    }
    if (err) {
      lk_ifree(buf, cap);
      buf = NULL;
    } else {
      buf[got] = 0;
    }
  }
  close(fd);
  if (err && !*why)
    *why = strerror(err);
  errno = err;
  return buf;
}

/* A relative path is tried in the working directory, then (as LSan does)
 * beside the executable.  The error names the file that exists, if one
 * does, else PATH as given. */
static void parse_file(const char *path) {
  const char *why, *shown = path;
  char *text = read_file(path, &why);
  char exe[PATH_MAX], alt[PATH_MAX];
  if (!text && errno == ENOENT && path[0] != '/') {
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
      exe[n] = 0;
      char *slash = strrchr(exe, '/');
      const char *alt_why = why;
      if (slash && snprintf(alt, sizeof alt, "%.*s/%s", (int)(slash - exe),
                            exe, path) < (int)sizeof alt &&
          !(text = read_file(alt, &alt_why)) && errno != ENOENT) {
        why = alt_why;
        shown = alt;
      }
    }
  }
  if (!text) {
    lk_error("suppressions file '%s' could not be read: %s", shown, why);
    lk_die();
  }
  if (lk_flags.verbosity)
    lk_printf("leakcc: reading suppressions from %s\n", path);
  lk_suppressions_parse(text, path);
}

void lk_suppressions_init(void) {
  if (supp.inited)
    return;
  supp.inited = true;
  if (lk_flags.suppressions && lk_flags.suppressions[0])
    parse_file(lk_flags.suppressions);
  if (__lsan_default_suppressions) {
    const char *text = __lsan_default_suppressions();
    if (text)
      lk_suppressions_parse(text, "__lsan_default_suppressions()");
  }
  lk_suppressions_parse(builtin_suppressions, "<built-in>");
}

static lk_suppression *match_string(const char *s) {
  if (!s)
    return NULL;
  for (size_t i = 0; i < supp.n; i++)
    if (lk_template_match(supp.rules[i].templ, s))
      return &supp.rules[i];
  return NULL;
}

/* The rule matching the function, else the file, of a frame. */
static lk_suppression *match_frame(const char *function, const char *file) {
  lk_suppression *r = match_string(function);
  return r ? r : match_string(file);
}

/* LSan's order: frame by frame, the module path first, then the function
 * and file of each frame; frame 0 is described by the pass's site when the
 * stack has one. */
lk_suppression *lk_suppression_match(const lk_stack *s) {
  if (!s || supp.n == 0)
    return NULL;
  lk_suppression *r;
  lk_frame_info f[LK_MAX_FRAMES];
  for (uint32_t i = 0; i < s->nframes && s->frames[i]; i++) {
    /* Return addresses: the call is the instruction before. */
    unsigned n = lk_symbolize(s->frames[i] - 1, f, LK_MAX_FRAMES);
    if ((r = match_string(f[0].module ? f[0].module : "<unknown module>")))
      return r;
    if (i == 0 && s->site &&
        (r = match_frame(s->site->function, s->site->file)))
      return r;
    for (unsigned k = 0; k < n; k++)
      if ((r = match_frame(f[k].function, f[k].file)))
        return r;
  }
  if (s->nframes == 0 && s->site)
    return match_frame(s->site->function, s->site->file);
  return NULL;
}

/* LSan's table, widths included, so log parsers keep working. */
void lk_suppressions_print_used(void) {
  bool any = false;
  for (size_t i = 0; i < supp.n && !any; i++)
    any = supp.rules[i].hit_count > 0;
  if (!any)
    return;
  const char *line = "-----------------------------------------------------";
  lk_printf("%s\n", line);
  lk_printf("Suppressions used:\n");
  lk_printf("  count      bytes template\n");
  for (size_t i = 0; i < supp.n; i++)
    if (supp.rules[i].hit_count > 0)
      lk_printf("%7zu %10zu %s\n", supp.rules[i].hit_count,
                supp.rules[i].hit_bytes, supp.rules[i].templ);
  lk_printf("%s\n\n", line);
}
