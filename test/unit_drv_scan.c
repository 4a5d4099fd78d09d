/* Unit test of the driver's argument scan (driver/scan.c) and its two
 * decisions (driver/command.c): for many real command lines, the phase,
 * -shared/-r, the inputs (never an option's value), the output, and whether
 * the plugin (code generated) and the runtime (executable linked) are added. */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* Splits LINE at spaces into argv and scans it. */
static struct lkd_invocation inv;
static char *argv_store[64];
static char line_store[1024];
static int argc_store;
static const struct lkd_invocation *scan(const char *line) {
  lkd_invocation_free(&inv);
  snprintf(line_store, sizeof line_store, "%s", line);
  argc_store = 0;
  for (char *s = strtok(line_store, " "); s; s = strtok(NULL, " "))
    argv_store[argc_store++] = s;
  argv_store[argc_store] = NULL;
  lkd_scan(argc_store, argv_store, &inv);
  return &inv;
}

/* Inputs joined with ',' for comparison. */
static const char *inputs(const struct lkd_invocation *v) {
  static char buf[512];
  buf[0] = 0;
  for (size_t i = 0; i < v->num_inputs; i++) {
    if (i)
      strcat(buf, ",");
    strcat(buf, v->inputs[i].path);
  }
  return buf;
}

#define P_E LKD_PHASE_PREPROCESS
#define P_F LKD_PHASE_FRONTEND
#define P_S LKD_PHASE_ASSEMBLY
#define P_C LKD_PHASE_OBJECT
#define P_L LKD_PHASE_LINK

static const struct {
  const char *line;
  enum lkd_phase phase;
  const char *inputs;   /* comma separated */
  const char *output;   /* NULL: none */
  bool plugin, runtime;
} cases[] = {
    {"leakcc -c x.c -o x.o", P_C, "x.c", "x.o", true, false},
    {"leakcc x.c -o x", P_L, "x.c", "x", true, true},
    {"leakcc -ox x.c", P_L, "x.c", "x", true, true},
    {"leakcc x.o y.o -o prog -lm", P_L, "x.o,y.o", "prog", false, true},
    {"leakcc -E x.c", P_E, "x.c", NULL, false, false},
    {"leakcc -E -", P_E, "-", NULL, false, false},
    {"leakcc -M x.c", P_E, "x.c", NULL, false, false},
    {"leakcc -MM -MT x.o -MF x.d x.c", P_E, "x.c", NULL, false, false},
    {"leakcc -c -MD -MF x.d -MT x.o -MQ y.o x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -fsyntax-only x.c", P_F, "x.c", NULL, false, false},
    {"leakcc -S x.c -o x.s", P_S, "x.c", "x.s", true, false},
    {"leakcc -S -c x.c", P_S, "x.c", NULL, true, false},
    {"leakcc -E -c x.c", P_E, "x.c", NULL, false, false},
    {"leakcc -shared -fPIC x.c -o libx.so", P_L, "x.c", "libx.so", true, false},
    {"leakcc -r a.o b.o -o ab.o", P_L, "a.o,b.o", "ab.o", false, false},
    {"leakcc -nostdlib x.c -o x", P_L, "x.c", "x", true, false},
    {"leakcc -x c -c conftest -o c.o", P_C, "conftest", "c.o", true, false},
    {"leakcc -x c-header x.h -o x.pch", P_L, "x.h", "x.pch", false, false},
    {"leakcc -c x.h", P_C, "x.h", NULL, false, false},
    {"leakc++ x.hpp", P_L, "x.hpp", NULL, false, false},
    {"leakcc -c x.s", P_C, "x.s", NULL, false, false},
    {"leakcc -c x.ll -o x.o", P_C, "x.ll", "x.o", true, false},
    {"leakcc -I inc -isystem sys -include cfg.h -c x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -Iinc -D NAME -U OTHER -c x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -L dir -Xlinker foo.o -Wl,bar.o x.o", P_L, "x.o", NULL, false, true},
    {"leakcc --param max-inline-insns=3 -mllvm -x86-asm-syntax -c x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -target x86_64-linux-gnu -arch x -c x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -Xclang -disable-O0-optnone -c x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -idirafter a -iquote b -imacros m.h -c x.c", P_C, "x.c", NULL, true, false},
    {"leakcc -v", P_L, "", NULL, false, false},
    {"leakcc -print-prog-name=ld", P_L, "", NULL, false, false},
    {"leakcc -dumpversion", P_L, "", NULL, false, false},
    {"leakcc -### x.c", P_L, "x.c", NULL, true, true},
    {"leakcc --version", P_L, "", NULL, false, false},
    {"leakcc --help x.c", P_L, "x.c", NULL, false, false},
    {"leakcc -c x.c -o", P_C, "x.c", NULL, false, false},   /* malformed */
    {"leakcc -static x.c", P_L, "x.c", NULL, true, true},
    {"leakcc -static-pie x.c", P_L, "x.c", NULL, true, true},
    {"leakcc -c -- -weird.c", P_C, "-weird.c", NULL, true, false},
    {"leakcc -o out -T script.ld -z now -u sym x.o", P_L, "x.o", "out", false, true},
    {"leakcc -c a.c b.cpp c.m -x none d.c", P_C, "a.c,b.cpp,c.m,d.c", NULL, true, false},
    {"leakcc -lfoo", P_L, "", NULL, false, true},
    {"leakcc --precompile m.cppm", P_F, "m.cppm", NULL, false, false},
    {"leakcc -dependency-file d.d -MJ j.json -c x.c", P_C, "x.c", NULL, true, false},
};

static const char *phase_name(enum lkd_phase p) {
  static const char *const names[] = {"E", "frontend", "S", "c", "link"};
  return names[p];
}

static void check_cases(void) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct lkd_invocation *v = scan(cases[i].line);
    bool ok = v->phase == cases[i].phase &&
              strcmp(inputs(v), cases[i].inputs) == 0 &&
              (cases[i].output ? v->output && strcmp(v->output, cases[i].output) == 0
                               : v->output == NULL) &&
              lkd_generates_code(v) == cases[i].plugin &&
              lkd_links_executable(v) == cases[i].runtime;
    if (!ok) {
      printf("FAIL: '%s': phase %s, inputs '%s', output %s, plugin %d, runtime %d\n",
             cases[i].line, phase_name(v->phase), inputs(v),
             v->output ? v->output : "(none)", lkd_generates_code(v),
             lkd_links_executable(v));
      failures++;
    }
  }
}

static void check_details(void) {
  const struct lkd_invocation *v;

  v = scan("leakcc -c x.c");
  CHECK(!v->cxx && !v->debug_given && strcmp(v->opt_level, "0") == 0);
  CHECK(scan("leakc++ -c x.cc")->cxx);
  CHECK(scan("/usr/bin/leakcc++ -c x.cc")->cxx);
  CHECK(scan("x86_64-linux-gnu-leakc++ -c x.cc")->cxx);
  CHECK(!scan("/opt/c++/bin/leakcc -c x.c")->cxx);

  CHECK(scan("leakcc -g -c x.c")->debug_given);
  CHECK(scan("leakcc -g0 -c x.c")->debug_given);   /* a choice, respected */
  CHECK(scan("leakcc -ggdb3 -c x.c")->debug_given);
  CHECK(scan("leakcc -gdwarf-4 -c x.c")->debug_given);
  CHECK(scan("leakcc -gline-tables-only -c x.c")->debug_given);
  CHECK(!scan("leakcc -gz -c x.c")->debug_given);
  CHECK(!scan("leakcc -gsplit-dwarf -gno-column-info -c x.c")->debug_given);
  CHECK(!scan("leakcc -gcc-toolchain /usr -c x.c")->debug_given);

  CHECK(strcmp(scan("leakcc -O2 -c x.c")->opt_level, "2") == 0);
  CHECK(strcmp(scan("leakcc -O -c x.c")->opt_level, "1") == 0);
  CHECK(strcmp(scan("leakcc -Os -O3 -c x.c")->opt_level, "3") == 0);
  CHECK(strcmp(scan("leakcc -Ofast -c x.c")->opt_level, "fast") == 0);

  v = scan("leakcc -shared -o libx.so x.o");
  CHECK(v->shared && !v->relocatable);
  v = scan("leakcc -r -o y.o x.o");
  CHECK(v->relocatable && !v->shared);
  v = scan("leakcc -static x.o");
  CHECK(v->static_link && !v->static_pie);
  CHECK(scan("leakcc -static-pie x.o")->static_pie);
  CHECK(scan("leakcc -M x.c")->deps_only);
  CHECK(!scan("leakcc -MD -c x.c")->deps_only);

  /* Languages: extension, -x, -x none. */
  v = scan("leakcc a.c b.cc c.C d.ii e.h f.hpp g.S h.bc i.o j.a k -x c++ l.c -x none m.c");
  enum lkd_lang want[] = {LKD_LANG_C,      LKD_LANG_CXX,    LKD_LANG_CXX,
                          LKD_LANG_CXX,    LKD_LANG_HEADER, LKD_LANG_HEADER,
                          LKD_LANG_ASM,    LKD_LANG_IR,     LKD_LANG_OBJECT,
                          LKD_LANG_OBJECT, LKD_LANG_OBJECT, LKD_LANG_CXX,
                          LKD_LANG_C};
  CHECK(v->num_inputs == sizeof want / sizeof want[0]);
  for (size_t i = 0; i < v->num_inputs && i < sizeof want / sizeof want[0]; i++)
    if (v->inputs[i].lang != want[i]) {
      printf("FAIL: input %s: language %d, want %d\n", v->inputs[i].path,
             v->inputs[i].lang, want[i]);
      failures++;
    }
  CHECK(!v->language_pending);
  CHECK(scan("leakcc -x c x.c")->language_pending);
  CHECK(scan("leakcc -xc++ x.c")->inputs[0].lang == LKD_LANG_CXX);

  /* Sanitizers: incompatible ones set a bit, -fno-sanitize= clears it. */
  CHECK(lkd_bad_sanitizer(scan("leakcc -fsanitize=undefined,integer -c x.c")) == NULL);
  CHECK(strcmp(lkd_bad_sanitizer(scan("leakcc -fsanitize=undefined,address -c x.c")), "address") == 0);
  CHECK(strcmp(lkd_bad_sanitizer(scan("leakcc -fsanitize=thread x.c")), "thread") == 0);
  CHECK(strcmp(lkd_bad_sanitizer(scan("leakcc -fsanitize=kernel-address x.c")), "kernel-address") == 0);
  CHECK(lkd_bad_sanitizer(scan("leakcc -fsanitize=leak -fno-sanitize=leak x.c")) == NULL);
  CHECK(lkd_bad_sanitizer(scan("leakcc -fsanitize=address-use-after-scope x.c")) == NULL);

  /* "--": later arguments are inputs, its argv index is recorded. */
  v = scan("leakcc x.c -- -o");
  CHECK(v->end_of_options == 2 && v->num_inputs == 2 && v->output == NULL);
  CHECK(scan("leakcc -###")->dry_run);
  CHECK(scan("leakcc -help")->help);
}

/* A response file is read and scanned; its own "@" arguments nest. */
static void check_response_files(void) {
  char dir[] = "/tmp/unit_drv_scanXXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  char outer[128], inner[128], line[512];
  snprintf(outer, sizeof outer, "%s/outer.rsp", dir);
  snprintf(inner, sizeof inner, "%s/inner.rsp", dir);
  FILE *f = fopen(inner, "w");
  fputs("-shared\n", f);
  fclose(f);
  f = fopen(outer, "w");
  fprintf(f, "-o 'my lib.so'  \"a b.c\" c\\ d.c\n@%s\n", inner);
  fclose(f);
  snprintf(line, sizeof line, "leakcc -fPIC @%s", outer);
  const struct lkd_invocation *v = scan(line);
  CHECK(v->shared);
  CHECK(v->output && strcmp(v->output, "my lib.so") == 0);
  CHECK(v->num_inputs == 2 && strcmp(v->inputs[0].path, "a b.c") == 0 &&
        strcmp(v->inputs[1].path, "c d.c") == 0);
  CHECK(lkd_generates_code(v) && !lkd_links_executable(v));
  /* An unreadable response file is an input, as for clang. */
  snprintf(line, sizeof line, "leakcc -c @%s/missing.rsp", dir);
  v = scan(line);
  CHECK(v->num_inputs == 1 && v->inputs[0].path[0] == '@');
  /* Unquoting happens in place: tokens one character apart, quotes and
   * escapes that shrink a token, and empty quoted tokens. */
  f = fopen(inner, "w");
  fputs("a b\tc\n'-o'ut.o x\\ y.c \"\" -c 'p'\"q\"r.c z.c", f);
  fclose(f);
  snprintf(line, sizeof line, "leakcc @%s", inner);
  v = scan(line);
  CHECK(v->phase == LKD_PHASE_OBJECT);
  CHECK(v->output && strcmp(v->output, "ut.o") == 0);
  CHECK(strcmp(inputs(v), "a,b,c,x y.c,,pqr.c,z.c") == 0);
  /* A response file that includes itself, directly or through another, is
   * not expanded again: the nested "@file" stays an input (clang reports
   * the recursion), and the scan ends at once instead of after 3^16
   * expansions. */
  f = fopen(inner, "w");
  fprintf(f, "-c @%s @%s @%s x.c\n", inner, inner, outer);
  fclose(f);
  f = fopen(outer, "w");
  fprintf(f, "-o x.o @%s\n", inner);
  fclose(f);
  snprintf(line, sizeof line, "leakcc @%s", inner);
  v = scan(line);
  CHECK(v->phase == LKD_PHASE_OBJECT);
  CHECK(v->output && strcmp(v->output, "x.o") == 0);
  CHECK(v->num_inputs == 4 && v->inputs[0].path[0] == '@' &&
        strcmp(v->inputs[0].path + 1, inner) == 0 &&
        strcmp(v->inputs[2].path + 1, inner) == 0 &&
        strcmp(v->inputs[3].path, "x.c") == 0);
  unlink(inner);
  unlink(outer);
  /* 300 000 tokens: all of them, in order (the expansion is linear;
   * lit/driver/response-file-large.test times it). */
  f = fopen(outer, "w");
  for (int i = 0; i < 300000; i++)
    fprintf(f, "i%d.c%c", i, i % 10 ? ' ' : '\n');
  fclose(f);
  snprintf(line, sizeof line, "leakcc -c @%s", outer);
  v = scan(line);
  CHECK(v->num_inputs == 300000);
  bool in_order = v->num_inputs == 300000;
  for (size_t i = 0; in_order && i < v->num_inputs; i++) {
    char want[32];
    snprintf(want, sizeof want, "i%zu.c", i);
    in_order = strcmp(v->inputs[i].path, want) == 0;
  }
  CHECK(in_order);
  unlink(outer);
  rmdir(dir);
}

int main(void) {
  check_cases();
  check_details();
  check_response_files();
  lkd_invocation_free(&inv);
  if (failures)
    printf("%d failure(s)\n", failures);
  else
    printf("unit_drv_scan: ok (%zu command lines)\n", sizeof cases / sizeof cases[0]);
  return failures != 0;
}
