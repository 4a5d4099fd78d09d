/*
 * Fuzz target: the driver's argument classification (driver/scan.c with
 * the option table of driver/options.c and response files of
 * driver/respfile.c) and the command built from it (driver/command.c).
 *
 * Input: byte 0 chooses leakcc or leakc++ (bit 0); the rest is split at NUL
 * bytes: the first piece is the text of response file "r.rsp" (written to a
 * private temporary directory, the working directory while the input runs;
 * libFuzzer's own paths stay relative to the real one), the others are
 * argv[1..].  Inputs that could name a file outside that directory (a '/'
 * in the response file, or an @argument with one) are skipped, so that
 * fuzzing never reads /dev/zero or the user's files.
 *
 * Promises checked: the command is the compiler, then leakcc's flags, with
 * every user argument passed through unchanged and in order; the runtime
 * only when an executable is linked and the plugin only when code is
 * generated; every input has a path.
 */
#include "driver.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_ASSERT(cond)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: promise broken: %s\n", __FILE__, __LINE__,       \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static char dir[] = "/tmp/leakcc-fuzz-scan-XXXXXX";
static char rsp_path[sizeof dir + 8];
static int home_fd; /* the working directory libFuzzer was started in */

static void cleanup(void) {
  unlink(rsp_path);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (home_fd < 0 || !mkdtemp(dir)) {
    perror("leakcc fuzz_scan: temporary directory");
    exit(1);
  }
  snprintf(rsp_path, sizeof rsp_path, "%s/r.rsp", dir);
  atexit(cleanup);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  char *buf = malloc(size + 1);
  memcpy(buf, data + 1, size - 1);
  buf[size - 1] = 0;
  buf[size] = 0;
  const char *rsp = buf;
  size_t rsp_len = strlen(rsp);
  if (memchr(rsp, '/', rsp_len)) {
    free(buf);
    return -1; /* not added to the corpus */
  }
  int argc = 1;
  char **argv = malloc((size + 2) * sizeof *argv);
  argv[0] = (data[0] & 1) ? "leakc++" : "leakcc";
  for (char *p = buf + rsp_len + 1; p < buf + size - 1; p += strlen(p) + 1) {
    if (p[0] == '@' && strchr(p, '/')) {
      free(argv);
      free(buf);
      return -1;
    }
    argv[argc++] = p;
  }
  argv[argc] = NULL;
  FILE *f = fopen(rsp_path, "w");
  if (f) {
    fwrite(rsp, 1, rsp_len, f);
    fclose(f);
  }

  struct lkd_invocation inv;
  if (chdir(dir) != 0)
    abort();
  lkd_scan(argc, argv, &inv);
  if (fchdir(home_fd) != 0)
    abort();
  for (size_t i = 0; i < inv.num_inputs; i++)
    FUZZ_ASSERT(inv.inputs[i].path != NULL);
  (void)lkd_bad_sanitizer(&inv);
  struct lkd_paths paths = {.compiler = "clang",
                            .plugin = "leakpass.so",
                            .runtime = "libleakrt.a",
                            .dynamic_list = "leakcc.dynlist"};
  struct lkd_strvec cmd = {0};
  lkd_build_command(&inv, argc, argv, &paths, &cmd);
  FUZZ_ASSERT(cmd.n >= (size_t)argc && cmd.v[cmd.n] == NULL);
  FUZZ_ASSERT(cmd.v[0] == paths.compiler);
  /* argv[1..] appear in order, unchanged (the same strings). */
  size_t j = 1;
  bool has_runtime = false, has_plugin = false;
  for (size_t i = 1; i < cmd.n; i++) {
    if (j < (size_t)argc && cmd.v[i] == argv[j]) {
      j++;
      continue;
    }
    if (cmd.v[i] == paths.runtime)
      has_runtime = true;
    if (!strncmp(cmd.v[i], "-fpass-plugin=", 14))
      has_plugin = true;
  }
  FUZZ_ASSERT(j == (size_t)argc);
  FUZZ_ASSERT(has_runtime == lkd_links_executable(&inv));
  FUZZ_ASSERT(has_plugin == lkd_generates_code(&inv));
  /* The driver is a short-lived process and never frees the strings it
   * formats for the command; here they would count as leaks. */
  for (size_t i = 1; i < cmd.n; i++) {
    bool user = false;
    for (int k = 1; k < argc && !user; k++)
      user = cmd.v[i] == argv[k];
    if (!user && (!strncmp(cmd.v[i], "-fpass-plugin=", 14) ||
                  !strncmp(cmd.v[i], "-Wl,--dynamic-list=", 19)))
      free((void *)cmd.v[i]);
  }
  lkd_strvec_free(&cmd);
  lkd_invocation_free(&inv);
  free(argv);
  free(buf);
  return 0;
}
