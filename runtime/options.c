/*
 * Runtime options: the table in flags.inc expanded into the lk_flags struct,
 * its defaults, the parser and the help=1 listing.
 *
 * Sources, later ones overriding earlier ones:
 *   1. __lsan_default_options()   (weak hook the program may define)
 *   2. LSAN_OPTIONS               (so existing LSan set-ups keep working)
 *   3. LEAKCC_OPTIONS
 * Syntax as LSan's: name=value pairs separated by ':', ',' or whitespace;
 * values may be quoted with ' or ".  A bad entry prints one warning naming
 * the entry and its origin and is otherwise ignored: options never crash.
 * Runs before the allocator exists, so it allocates nothing: string values
 * live in a static pool.
 *
 * Secure mode (lk_secure_mode: a setuid/setgid program, or one whose file
 * capabilities raised its privileges): the environment belongs to a less
 * privileged user, so options from LSAN_OPTIONS and LEAKCC_OPTIONS that name
 * files or programs (path_options below) and LEAKCC_SYMBOLIZER_PATH are
 * ignored, and one warning line names them.  __lsan_default_options() is
 * part of the program and stays trusted.
 */
#include "lk.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

struct lk_flags lk_flags = {
#define LK_FLAG(type, name, dflt, help) .name = dflt,
#include "flags.inc"
#undef LK_FLAG
};

enum flag_type { T_bool, T_int, T_lk_str };
static const struct flag_desc {
  const char *name;
  enum flag_type type;
  void *ptr;
  const char *help;
} flag_table[] = {
#define LK_FLAG(type, name, dflt, help) {#name, T_##type, &lk_flags.name, help},
#include "flags.inc"
#undef LK_FLAG
};
#define NFLAGS (sizeof flag_table / sizeof flag_table[0])

/* Options whose value names a file or a program: in secure mode they are
 * not taken from the environment.  Every such option of flags.inc must be
 * listed here. */
static const char *const path_options[] = {"suppressions", "log_path",
                                           "external_symbolizer_path"};

int lk_secure = -1;

bool lk_secure_mode(void) {
  if (lk_secure < 0)
    lk_secure = getauxval(AT_SECURE) != 0;
  return lk_secure != 0;
}

/* What secure mode ignored, for lk_options_init's one warning:
 * "NAME (from ORIGIN), ..." */
static char secure_ignored[512];

static void note_ignored(const char *what, const char *origin) {
  char entry[128];
  if (origin)
    snprintf(entry, sizeof entry, "%s (from %s)", what, origin);
  else
    snprintf(entry, sizeof entry, "%s", what);
  if (strstr(secure_ignored, entry))
    return; /* named twice in one variable: say it once */
  size_t used = strlen(secure_ignored);
  snprintf(secure_ignored + used, sizeof secure_ignored - used, "%s%s",
           used ? ", " : "", entry);
}

static bool names_a_path(const char *name) {
  for (size_t i = 0; i < sizeof path_options / sizeof *path_options; i++)
    if (!strcmp(path_options[i], name))
      return true;
  return false;
}

/* Backing store for string values (no malloc this early). */
static char str_pool[16384];
static size_t str_pool_used;

static const char *pool_copy(const char *s, size_t n) {
  if (str_pool_used + n + 1 > sizeof str_pool)
    return NULL;
  char *p = str_pool + str_pool_used;
  memcpy(p, s, n);
  p[n] = 0;
  str_pool_used += n + 1;
  return p;
}

static bool parse_bool(const char *v, bool *out) {
  static const char *const yes[] = {"1", "true", "yes"}, *const no[] = {"0", "false", "no"};
  for (size_t i = 0; i < 3; i++) {
    if (!strcmp(v, yes[i])) { *out = true; return true; }
    if (!strcmp(v, no[i])) { *out = false; return true; }
  }
  return false;
}

/* Decimal only, as LSan parses: "010" is ten, not eight. */
static bool parse_int(const char *v, int *out) {
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (!*v || *end || errno || x < INT_MIN || x > INT_MAX)
    return false;
  *out = (int)x;
  return true;
}

/* Range and enum checks; a bad value is reset to the default with a warning. */
static void validate(const char *origin) {
  static const struct lk_flags dflt = {
#define LK_FLAG(type, name, dflt, help) .name = dflt,
#include "flags.inc"
#undef LK_FLAG
  };
  if (strcmp(lk_flags.mode, "precise") && strcmp(lk_flags.mode, "conservative")) {
    lk_warn("option 'mode=%s' (from %s): expected 'precise' or 'conservative'; "
            "using '%s'", lk_flags.mode, origin, dflt.mode);
    lk_flags.mode = dflt.mode;
  }
  if (lk_flags.malloc_context_size < 0 || lk_flags.malloc_context_size > LK_MAX_FRAMES) {
    lk_warn("option 'malloc_context_size=%d' (from %s): expected 0..%d; using %d",
            lk_flags.malloc_context_size, origin, LK_MAX_FRAMES,
            dflt.malloc_context_size);
    lk_flags.malloc_context_size = dflt.malloc_context_size;
  }
  /* An exit status is 8 bits: exitcode=256 would exit 0 and hide the leaks
   * from every caller that checks the status. */
  if (lk_flags.exitcode < 0 || lk_flags.exitcode > 255) {
    lk_warn("option 'exitcode=%d' (from %s): expected an exit status 0..255; "
            "using %d",
            lk_flags.exitcode, origin, dflt.exitcode);
    lk_flags.exitcode = dflt.exitcode;
  }
  if (lk_flags.marker_threads < 0) {
    lk_warn("option 'marker_threads=%d' (from %s): expected a count >= 0; "
            "using 0", lk_flags.marker_threads, origin);
    lk_flags.marker_threads = 0;
  }
  if (lk_flags.max_leaks < 0) {
    lk_warn("option 'max_leaks=%d' (from %s): expected a count >= 0; using 0",
            lk_flags.max_leaks, origin);
    lk_flags.max_leaks = 0;
  }
}

static bool is_sep(char c) {
  return c == ':' || c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void set_flag(const char *name, size_t nlen, const char *val,
                     const char *origin, bool from_env) {
  const struct flag_desc *f = NULL;
  for (size_t i = 0; i < NFLAGS; i++)
    if (strlen(flag_table[i].name) == nlen && !memcmp(flag_table[i].name, name, nlen))
      f = &flag_table[i];
  if (!f) {
    lk_warn("unknown option '%.*s' (from %s) ignored; help=1 lists the options",
            (int)nlen, name, origin);
    return;
  }
  if (from_env && names_a_path(f->name) && lk_secure_mode()) {
    note_ignored(f->name, origin); /* its value is not even looked at */
    return;
  }
  if (!val) {
    lk_warn("option '%s' (from %s) has no value; expected %s=VALUE", f->name,
            origin, f->name);
    return;
  }
  bool ok = true;
  switch (f->type) {
  case T_bool: ok = parse_bool(val, (bool *)f->ptr); break;
  case T_int: ok = parse_int(val, (int *)f->ptr); break;
  case T_lk_str: {
    const char *copy = pool_copy(val, strlen(val));
    if (copy)
      *(const char **)f->ptr = copy;
    else
      lk_warn("option '%s' (from %s): too much option text; ignored", f->name, origin);
    return;
  }
  }
  if (!ok)
    lk_warn("option '%s=%s' (from %s): expected %s; ignored", f->name, val,
            origin, f->type == T_bool ? "0 or 1 (or true/false)" : "an integer");
}

void lk_options_parse(const char *text, const char *origin, bool from_env) {
  if (!text)
    return;
  const char *p = text;
  char val[4096];
  while (*p) {
    while (*p && is_sep(*p))
      p++;
    if (!*p)
      break;
    const char *name = p;
    while (*p && *p != '=' && !is_sep(*p))
      p++;
    size_t nlen = (size_t)(p - name);
    if (*p != '=') {
      set_flag(name, nlen, NULL, origin, from_env);
      continue;
    }
    p++;
    size_t vlen = 0;
    char quote = (*p == '\'' || *p == '"') ? *p++ : 0;
    while (*p && (quote ? *p != quote : !is_sep(*p))) {
      if (vlen + 1 < sizeof val)
        val[vlen++] = *p;
      p++;
    }
    if (quote) {
      if (*p != quote) { /* the rest is the value: stop, but validate */
        lk_warn("option '%.*s' (from %s): unterminated quote; ignored", (int)nlen,
                name, origin);
        break;
      }
      p++;
    }
    val[vlen] = 0;
    set_flag(name, nlen, val, origin, from_env);
  }
  validate(origin);
}

__attribute__((weak)) const char *__lsan_default_options(void);

void lk_options_init(void) {
  /* Read AT_SECURE now, while start-up runs alone: later readers (the
   * printer, the symbolizer) may run on several threads at once. */
  bool secure = lk_secure_mode();
  secure_ignored[0] = 0;
  if (__lsan_default_options)
    lk_options_parse(__lsan_default_options(), "__lsan_default_options()",
                     false);
  lk_options_parse(getenv("LSAN_OPTIONS"), "LSAN_OPTIONS", true);
  lk_options_parse(getenv("LEAKCC_OPTIONS"), "LEAKCC_OPTIONS", true);
  const char *sym = getenv("LEAKCC_SYMBOLIZER_PATH");
  if (sym && *sym) {
    if (secure)
      note_ignored("LEAKCC_SYMBOLIZER_PATH", NULL);
    else
      lk_flags.external_symbolizer_path = sym;
  }
  if (secure_ignored[0])
    lk_warn("setuid/setgid program (AT_SECURE): ignoring %s: the environment "
            "may not name files or programs here (docs/options.md, Secure "
            "mode)", secure_ignored);
}

void lk_options_print_help(void) {
  lk_printf("Available flags for leakcc (set in LEAKCC_OPTIONS, LSAN_OPTIONS or "
            "__lsan_default_options(), as name=value separated by ':'):\n");
  for (size_t i = 0; i < NFLAGS; i++) {
    const struct flag_desc *f = &flag_table[i];
    char cur[64];
    const char *shown = cur;
    switch (f->type) {
    case T_bool: shown = *(bool *)f->ptr ? "true" : "false"; break;
    case T_int: snprintf(cur, sizeof cur, "%d", *(int *)f->ptr); break;
    case T_lk_str: shown = *(const char **)f->ptr; break;
    }
    lk_printf("\t%s\n\t\t- %s (current value: %s)\n", f->name, f->help, shown);
  }
}
