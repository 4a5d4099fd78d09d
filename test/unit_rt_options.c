/* Unit test of the option parser (runtime/options.c): values of every type,
 * separators and quotes, and a warning that names the culprit for each kind
 * of bad input, without changing the option it names; in secure mode, the
 * environment's options that name files or programs are ignored and named
 * in one warning. */
#include "lk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* Runs lk_options_parse(text, ...) (or lk_options_init() when text is NULL)
 * and returns what the runtime printed on fd 2 meanwhile. */
static const char *capture(const char *text, bool from_env) {
  static char out[8192];
  int fds[2], saved = dup(2);
  if (pipe(fds) != 0)
    return "";
  dup2(fds[1], 2);
  if (text)
    lk_options_parse(text, "test", from_env);
  else
    lk_options_init();
  dup2(saved, 2);
  close(fds[1]);
  close(saved);
  ssize_t n = read(fds[0], out, sizeof out - 1);
  close(fds[0]);
  out[n > 0 ? n : 0] = 0;
  return out;
}

static const char *parse_capture(const char *text) {
  return capture(text, false);
}

/* Secure mode (lk_secure, as AT_SECURE would set it). */
static void test_secure(const struct lk_flags *dflt) {
  lk_flags = *dflt;
  lk_secure = 1;
  const char *w = capture("suppressions=/etc/shadow:log_path=/tmp/x:"
                          "external_symbolizer_path=/bin/sh:exitcode=9", true);
  CHECK(*w == 0); /* lk_options_init says it, once for all sources */
  CHECK(!strcmp(lk_flags.suppressions, "") && !strcmp(lk_flags.log_path, "") &&
        !strcmp(lk_flags.external_symbolizer_path, ""));
  CHECK(lk_flags.exitcode == 9); /* names no file: still taken */
  CHECK(*capture("suppressions", true) == 0); /* no value: ignored all the same */
  /* The program's own options (__lsan_default_options) stay trusted. */
  CHECK(*capture("suppressions=a.supp", false) == 0 &&
        !strcmp(lk_flags.suppressions, "a.supp"));

  lk_flags = *dflt;
  setenv("LSAN_OPTIONS", "log_path=/tmp/x", 1);
  setenv("LEAKCC_OPTIONS", "suppressions=/etc/shadow:log_path=/y:log_path=/z:"
                           "verbosity=0", 1);
  setenv("LEAKCC_SYMBOLIZER_PATH", "/bin/sh", 1);
  w = capture(NULL, true);
  CHECK(!strcmp(w, "leakcc: warning: setuid/setgid program (AT_SECURE): "
                   "ignoring log_path (from LSAN_OPTIONS), suppressions "
                   "(from LEAKCC_OPTIONS), log_path (from LEAKCC_OPTIONS), "
                   "LEAKCC_SYMBOLIZER_PATH: the environment may not name "
                   "files or programs here (docs/options.md, Secure mode)\n"));
  CHECK(!strcmp(lk_flags.external_symbolizer_path, "") &&
        !strcmp(lk_flags.log_path, "") && !strcmp(lk_flags.suppressions, ""));

  /* Not secure: the same environment is honoured, silently. */
  lk_flags = *dflt;
  lk_secure = 0;
  CHECK(*capture(NULL, true) == 0);
  CHECK(!strcmp(lk_flags.external_symbolizer_path, "/bin/sh") &&
        !strcmp(lk_flags.log_path, "/z") &&
        !strcmp(lk_flags.suppressions, "/etc/shadow"));
  unsetenv("LSAN_OPTIONS");
  unsetenv("LEAKCC_OPTIONS");
  unsetenv("LEAKCC_SYMBOLIZER_PATH");
}

int main(void) {
  struct lk_flags saved = lk_flags;

  CHECK(*parse_capture("detect_leaks=0:exitcode=7,report_objects=true max_leaks=3") == 0);
  CHECK(!lk_flags.detect_leaks && lk_flags.exitcode == 7 && lk_flags.report_objects &&
        lk_flags.max_leaks == 3);

  CHECK(*parse_capture("log_path='/tmp/a b':suppressions=\"x:y\"") == 0);
  CHECK(!strcmp(lk_flags.log_path, "/tmp/a b") && !strcmp(lk_flags.suppressions, "x:y"));

  CHECK(*parse_capture("mode=conservative") == 0 && !strcmp(lk_flags.mode, "conservative"));

  const char *w = parse_capture("no_such_option=1");
  CHECK(strstr(w, "leakcc: warning: unknown option 'no_such_option' (from test)"));

  w = parse_capture("exitcode=seven");
  CHECK(strstr(w, "'exitcode=seven'") && strstr(w, "integer") && lk_flags.exitcode == 7);

  w = parse_capture("report_objects=maybe");
  CHECK(strstr(w, "'report_objects=maybe'") && lk_flags.report_objects);

  w = parse_capture("max_leaks");
  CHECK(strstr(w, "'max_leaks'") && strstr(w, "no value") && lk_flags.max_leaks == 3);

  CHECK(*parse_capture("mode=precise") == 0 && !strcmp(lk_flags.mode, "precise"));
  CHECK(*parse_capture("mode=conservative") == 0);
  w = parse_capture("mode=fast"); /* falls back to the default, precise */
  CHECK(strstr(w, "mode=fast") && !strcmp(lk_flags.mode, "precise"));

  w = parse_capture("malloc_context_size=1000");
  CHECK(strstr(w, "malloc_context_size=1000") && lk_flags.malloc_context_size == 30);

  w = parse_capture("marker_threads=-4"); /* out of range: the default */
  CHECK(strstr(w, "marker_threads=-4") && lk_flags.marker_threads == 0);

  w = parse_capture("log_path='unterminated");
  CHECK(strstr(w, "unterminated quote"));
  /* Found by fuzz_options: an unterminated quote returned before the
   * values set earlier in the text were validated, so exitcode=256 (exit
   * status 0: leaks unnoticed) or mode=bogus stayed. */
  w = parse_capture("mode=bogus:exitcode=256:malloc_context_size=-1:"
                    "max_leaks=-5:log_path='x");
  CHECK(strstr(w, "unterminated quote") && strstr(w, "exitcode=256"));
  CHECK(!strcmp(lk_flags.mode, "precise") && lk_flags.exitcode == 23 &&
        lk_flags.malloc_context_size == 30 && lk_flags.max_leaks == 0);
  lk_flags.exitcode = 7;

  w = parse_capture("exitcode=99999999999999999999");
  CHECK(strstr(w, "exitcode=") && lk_flags.exitcode == 7);

  /* Separators only, empty text: nothing to say. */
  CHECK(*parse_capture(" : , ") == 0);

  test_secure(&saved);

  lk_flags = saved;
  printf("%s: %d failure(s)\n", __FILE__, failures);
  return failures != 0;
}
