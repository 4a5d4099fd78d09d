/* Unit test of command building (driver/command.c): the plugin, debug and
 * frame-pointer flags only when code is generated, the runtime only into
 * executables, the user's arguments unchanged and in order, and the runtime
 * archive never placed under a user's -x or after "--". */
#include "driver.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

static const struct lkd_paths paths = {
    .compiler = "CC", .plugin = "P.so", .runtime = "RT.a", .dynamic_list = "DL"};

/* The command built for LINE, as one space-separated string. */
static const char *build(const char *line) {
  static char store[1024], out[2048];
  char *argv[64];
  int argc = 0;
  snprintf(store, sizeof store, "%s", line);
  for (char *s = strtok(store, " "); s; s = strtok(NULL, " "))
    argv[argc++] = s;
  argv[argc] = NULL;
  struct lkd_invocation inv;
  lkd_scan(argc, argv, &inv);
  struct lkd_strvec cmd = {0};
  lkd_build_command(&inv, argc, argv, &paths, &cmd);
  out[0] = 0;
  for (size_t i = 0; i < cmd.n; i++) {
    if (i)
      strcat(out, " ");
    strcat(out, cmd.v[i]);
  }
  CHECK(cmd.v[cmd.n] == NULL);
  lkd_strvec_free(&cmd);
  lkd_invocation_free(&inv);
  return out;
}

static void expect(const char *line, const char *want) {
  const char *got = build(line);
  if (strcmp(got, want) != 0) {
    printf("FAIL: '%s'\n  got:  %s\n  want: %s\n", line, got, want);
    failures++;
  }
}

#define CODEGEN "-fpass-plugin=P.so -gline-tables-only -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer"
#define CODEGEN_G "-fpass-plugin=P.so -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer"
#define RUNTIME "-Wl,--whole-archive RT.a -Wl,--no-whole-archive -Wl,--dynamic-list=DL -lpthread -ldl"
#define RUNTIME_STATIC "-Wl,--whole-archive RT.a -Wl,--no-whole-archive -lpthread -ldl"

int main(void) {
  expect("leakcc -c x.c -o x.o", "CC " CODEGEN " -c x.c -o x.o");
  expect("leakcc -g -c x.c", "CC " CODEGEN_G " -g -c x.c");
  expect("leakcc -g0 -c x.c", "CC " CODEGEN_G " -g0 -c x.c");
  expect("leakcc -gz -c x.c", "CC " CODEGEN " -gz -c x.c");
  expect("leakcc x.c -o x", "CC " CODEGEN " x.c -o x " RUNTIME);
  expect("leakcc x.o -o x", "CC x.o -o x " RUNTIME);
  expect("leakcc -static x.c", "CC " CODEGEN " -static x.c " RUNTIME_STATIC);
  expect("leakcc -static-pie x.o", "CC -static-pie x.o " RUNTIME_STATIC);
  expect("leakcc -shared -fPIC x.c -o x.so", "CC " CODEGEN " -shared -fPIC x.c -o x.so");
  expect("leakcc -r a.o b.o -o ab.o", "CC -r a.o b.o -o ab.o");
  expect("leakcc -nostdlib x.c", "CC " CODEGEN " -nostdlib x.c");
  expect("leakcc -E x.c", "CC -E x.c");
  expect("leakcc -M x.c", "CC -M x.c");
  expect("leakcc -fsyntax-only x.c", "CC -fsyntax-only x.c");
  expect("leakcc -x c-header x.h -o x.pch", "CC -x c-header x.h -o x.pch");
  expect("leakcc -S x.c", "CC " CODEGEN " -S x.c");
  expect("leakcc -c x.s", "CC -c x.s");
  expect("leakcc -v", "CC -v");
  expect("leakcc -print-prog-name=ld", "CC -print-prog-name=ld");
  expect("leakcc -### x.c", "CC " CODEGEN " -### x.c " RUNTIME);
  expect("leakcc -c x.c -o", "CC -c x.c -o");   /* malformed: left to clang */
  /* A pending -x would make the archive a source file: reset it. */
  expect("leakcc -x c conftest.c", "CC " CODEGEN " -x c conftest.c -x none " RUNTIME);
  expect("leakcc -x c a.c -x none b.o", "CC " CODEGEN " -x c a.c -x none b.o " RUNTIME);
  /* After "--" everything is an input: the runtime goes first. */
  expect("leakcc -o x -- x.c", "CC " CODEGEN " " RUNTIME " -o x -- x.c");

  if (failures)
    printf("%d failure(s)\n", failures);
  else
    printf("unit_drv_command: ok\n");
  return failures != 0;
}
