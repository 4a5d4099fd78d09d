/* Unit test of the option parser (runtime/options.c): values of every type,
 * separators and quotes, and a warning that names the culprit for each kind
 * of bad input, without changing the option it names. */
#include "lk.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* Parses text and returns what the runtime printed on fd 2 meanwhile. */
static const char *parse_capture(const char *text) {
  static char out[8192];
  int fds[2], saved = dup(2);
  if (pipe(fds) != 0)
    return "";
  dup2(fds[1], 2);
  lk_options_parse(text, "test");
  dup2(saved, 2);
  close(fds[1]);
  close(saved);
  ssize_t n = read(fds[0], out, sizeof out - 1);
  close(fds[0]);
  out[n > 0 ? n : 0] = 0;
  return out;
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

  w = parse_capture("log_path='unterminated");
  CHECK(strstr(w, "unterminated quote"));

  w = parse_capture("exitcode=99999999999999999999");
  CHECK(strstr(w, "exitcode=") && lk_flags.exitcode == 7);

  /* Separators only, empty text: nothing to say. */
  CHECK(*parse_capture(" : , ") == 0);

  lk_flags = saved;
  printf("%s: %d failure(s)\n", __FILE__, failures);
  return failures != 0;
}
