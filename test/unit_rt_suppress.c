/*
 * Suppressions (runtime/suppress.c): LSan's TemplateMatch semantics, the
 * parser (comments, blanks, foreign rule types, fatal malformed lines) and
 * matching a stack by site, module and symbolized function.
 * Exits non-zero on the first failed check group; prints what failed.
 */
#include "lk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* Runs fn in a child with stderr captured; returns its exit status. */
static int run_captured(void (*fn)(const void *), const void *arg, char *out,
                        size_t outsize) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    fn(arg);
    _exit(0);
  }
  close(fds[1]);
  size_t len = 0;
  ssize_t n;
  while (len + 1 < outsize && (n = read(fds[0], out + len, outsize - 1 - len)) > 0)
    len += (size_t)n;
  out[len] = 0;
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_template_match(void) {
  CHECK(lk_template_match("foo", "xfooy"));          /* substring */
  CHECK(!lk_template_match("foo", "fo"));
  CHECK(lk_template_match("^foo", "foobar"));
  CHECK(!lk_template_match("^foo", "xfoo"));
  CHECK(lk_template_match("foo$", "barfoo"));
  CHECK(!lk_template_match("foo$", "foobar"));
  CHECK(lk_template_match("^foo$", "foo"));
  CHECK(!lk_template_match("^foo$", "foox"));
  CHECK(lk_template_match("f*o", "fxxo"));
  CHECK(lk_template_match("*", "anything"));
  CHECK(lk_template_match("a*b*c", "XaYbZcW"));
  CHECK(!lk_template_match("a*b*c", "acb"));
  CHECK(lk_template_match("^*foo", "barfoo"));     /* '*' lifts the anchor */
  CHECK(lk_template_match("foo*$", "foobar"));
  CHECK(lk_template_match("ns::Widget::*", "ns::Widget::make(int)"));
  CHECK(!lk_template_match("foo", ""));             /* empty never matches */
  CHECK(!lk_template_match("foo", NULL));
}

static void parse_text(const void *text) {
  lk_suppressions_parse(text, "test.supp");
}

static void test_parse_errors(void) {
  char out[1024];
  int rc = run_captured(parse_text, "leak:ok\n  # fine\nno colon here\n", out,
                        sizeof out);
  CHECK(rc == 1);
  CHECK(strstr(out, "leakcc: error: test.supp:3: malformed suppression"));
  CHECK(strstr(out, "'no colon here'"));
  rc = run_captured(parse_text, "\n\nleak:   \n", out, sizeof out);
  CHECK(rc == 1);
  CHECK(strstr(out, "test.supp:3: empty pattern"));
  rc = run_captured(parse_text, "Leak:x\n", out, sizeof out);
  CHECK(rc == 1 && strstr(out, "test.supp:1: malformed"));
  rc = run_captured(parse_text, "# only\n\n\t \ninterceptor_via_fun:x\r\n", out,
                    sizeof out);
  CHECK(rc == 0 && out[0] == 0);
  /* Secure mode: the file may be one only root can read; its line is not
   * shown. */
  lk_secure = 1;
  rc = run_captured(parse_text, "leak:ok\nroot:$6$secret\nSECRET line\n", out,
                    sizeof out);
  CHECK(rc == 1 && strstr(out, "test.supp:3: malformed suppression (the line "
                               "is not shown"));
  CHECK(!strstr(out, "SECRET") && !strstr(out, "root"));
  rc = run_captured(parse_text, "leak:\n", out, sizeof out);
  CHECK(rc == 1 && strstr(out, "test.supp:1: empty pattern (the line is not "
                               "shown"));
  lk_flags.verbosity = 1; /* names ignored rule types, but not here */
  rc = run_captured(parse_text, "root:$6$secret\n", out, sizeof out);
  CHECK(rc == 0 && strstr(out, "test.supp:1: ignoring a non-leak suppression"));
  CHECK(!strstr(out, "secret") && !strstr(out, "root"));
  lk_flags.verbosity = 0;
  lk_secure = 0;
}

/* A one-frame stack (lk_stack ends in a flexible array). */
typedef union {
  lk_stack s;
  char bytes[sizeof(lk_stack) + sizeof(uintptr_t)];
} fake_stack;

__attribute__((noinline)) static uintptr_t return_address_here(void) {
  return (uintptr_t)__builtin_return_address(0);
}

static const char *matched(const lk_stack *s) {
  lk_suppression *r = lk_suppression_match(s);
  return r ? r->templ : "(none)";
}

static void print_used(const void *unused) {
  lk_suppressions_print_used();
}

static void test_matching(void) {
  static const struct __leakcc_site site = {"/src/alloc_site.c", "make_widget",
                                            3, 4};
  uintptr_t here = return_address_here();   /* inside this test binary */
  fake_stack with_site = {.s = {.site = &site, .nframes = 1}};
  with_site.s.frames[0] = here;
  fake_stack module_only = {.s = {.nframes = 1}};
  module_only.s.frames[0] = here;
  fake_stack in_libc = {.s = {.nframes = 1}};
  in_libc.s.frames[0] = (uintptr_t)&abs + 1;   /* a return address in abs */

  /* Rules that must not match: other types are ignored, anchors hold. */
  lk_suppressions_parse("# comment\n\n  leak:no_such_function  \r\n"
                        "interceptor_via_fun:make_widget\n"
                        "leak:^alloc_site\n", "rules1");
  CHECK(!strcmp(matched(&with_site.s), "(none)"));
  CHECK(!strcmp(matched(&module_only.s), "(none)"));
  CHECK(!strcmp(matched(&in_libc.s), "(none)"));

  /* The site's file and function describe frame 0. */
  lk_suppressions_parse("leak:alloc_site.c$\n", "rules2");
  CHECK(!strcmp(matched(&with_site.s), "alloc_site.c$"));
  CHECK(!strcmp(matched(&module_only.s), "(none)"));

  /* Module path of a return address (needs no symbolizer). */
  lk_suppressions_parse("leak:*unit_rt_suppress$\n", "rules3");
  CHECK(!strcmp(matched(&module_only.s), "*unit_rt_suppress$"));

  /* Function name from the symbolizer, when one is installed. */
  lk_frame_info f;
  lk_symbolize(in_libc.s.frames[0] - 1, &f, 1);
  CHECK(f.module != NULL);
  lk_suppressions_parse("leak:^abs$\n", "rules4");
  if (f.function)
    CHECK(!strcmp(matched(&in_libc.s), "^abs$"));
  else
    fprintf(stderr, "note: no llvm-symbolizer; function matching not tested\n");

  /* LSan's order: a frame's module is tried (against every rule) before
   * its function and file. */
  lk_suppression *r = lk_suppression_match(&with_site.s);
  CHECK(!strcmp(r->templ, "*unit_rt_suppress$"));

  /* The table prints only rules that matched, with LSan's widths. */
  r->hit_count = 2;
  r->hit_bytes = 48;
  char out[1024];
  CHECK(run_captured(print_used, NULL, out, sizeof out) == 0);
  CHECK(!strcmp(out, "-----------------------------------------------------\n"
                     "Suppressions used:\n"
                     "  count      bytes template\n"
                     "      2         48 *unit_rt_suppress$\n"
                     "-----------------------------------------------------\n"
                     "\n"));
  lk_symbolize_reset();
}

int main(void) {
  test_template_match();
  test_parse_errors();
  test_matching();
  if (failures)
    fprintf(stderr, "unit_rt_suppress: %d check(s) failed\n", failures);
  return failures != 0;
}
