/*
 * leakcc / leakc++: scan, decide, build, exec.  See driver.h for the flow
 * and command.c for what is added when.  The real compiler replaces this
 * process, so its exit status and output are the driver's; leakcc's own
 * errors ("leakcc: error: ...") exit with status 1.
 */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct lkd_env env;
  lkd_env_read(&env);
  struct lkd_invocation inv;
  lkd_scan(argc, argv, &inv);

  if (inv.help) {
    lkd_print_help(inv.cxx);
    return 0;
  }
  const char *bad = lkd_bad_sanitizer(&inv);
  if (bad) {
    fprintf(stderr,
            "leakcc: error: -fsanitize=%s cannot be combined with leakcc "
            "(both replace malloc); build with one or the other\n",
            bad);
    return 1;
  }
  if (inv.version) {   /* our line first, then the compiler's own */
    lkd_print_version_line();
    fflush(stdout);
  }

  struct lkd_paths paths = {0};
  if (inv.cxx)
    paths.compiler = env.cxx ? env.cxx : LEAKCC_DEFAULT_CXX;
  else
    paths.compiler = env.cc ? env.cc : LEAKCC_DEFAULT_CC;
  if (!lkd_locate(&env, lkd_generates_code(&inv), lkd_links_executable(&inv),
                  &paths))
    return 1;

  struct lkd_strvec cmd = {0};
  lkd_build_command(&inv, argc, argv, &paths, &cmd);
  if (env.debug)
    lkd_strvec_print_quoted(&cmd, "leakcc: exec: ", STDERR_FILENO);
  execvp(cmd.v[0], (char *const *)cmd.v);
  fprintf(stderr, "leakcc: error: cannot run %s: %s (set %s to choose the compiler)\n",
          cmd.v[0], strerror(errno), inv.cxx ? "LEAKCC_CXX" : "LEAKCC_CC");
  return 1;
}
