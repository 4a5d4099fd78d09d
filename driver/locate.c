/*
 * Finding leakpass.so, libleakrt.a and leakcc.dynlist.  An installed or
 * build tree may be moved, so nothing is found through a configured prefix:
 * the files live in LEAKCC_REL_LIBDIR relative to the directory of the
 * driver's own executable (/proc/self/exe, symlinks resolved, so leakc++ ->
 * leakcc and a symlink in ~/bin both work).  The build tree keeps them in
 * LEAKCC_BUILD_REL_LIBDIR, which differs when CMAKE_INSTALL_LIBDIR is not
 * "lib" (e.g. lib/x86_64-linux-gnu): both are tried.  LEAKCC_PLUGIN and
 * LEAKCC_RUNTIME_DIR override the search and are then the only path tried.
 */
#include "driver.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LEAKCC_REL_LIBDIR
#error "LEAKCC_REL_LIBDIR must be defined by driver/CMakeLists.txt"
#endif
#ifndef LEAKCC_BUILD_REL_LIBDIR
#define LEAKCC_BUILD_REL_LIBDIR LEAKCC_REL_LIBDIR
#endif

/* Candidate library directories, most specific first. */
struct libdirs {
  const char *dir[2];
  int n;
  const char *exe;          /* the driver's resolved path, for messages */
};

/* "a/b/../lib/leakcc" -> its realpath when it exists, else unchanged. */
static const char *tidy(char *path) {
  char *real = realpath(path, NULL);
  if (!real)
    return path;
  free(path);
  return real;
}

static bool find_libdirs(struct libdirs *d) {
  char *exe = realpath("/proc/self/exe", NULL);
  if (!exe) {
    fprintf(stderr,
            "leakcc: error: cannot resolve /proc/self/exe (%s) to find the "
            "leakcc plugin and runtime; set LEAKCC_PLUGIN and "
            "LEAKCC_RUNTIME_DIR\n",
            strerror(errno));
    return false;
  }
  d->exe = exe;
  const char *slash = strrchr(exe, '/');
  int bindir_len = (int)(slash - exe);
  d->dir[0] = tidy(lkd_xasprintf("%.*s/%s", bindir_len, exe, LEAKCC_REL_LIBDIR));
  d->n = 1;
  if (strcmp(LEAKCC_REL_LIBDIR, LEAKCC_BUILD_REL_LIBDIR) != 0)
    d->dir[d->n++] =
        tidy(lkd_xasprintf("%.*s/%s", bindir_len, exe, LEAKCC_BUILD_REL_LIBDIR));
  return true;
}

/* The first of DIRS holding all of NAMES (NULL-terminated); else prints
 * "cannot find WHAT; tried: ..." and returns NULL. */
static const char *first_dir_with(const char *const *dirs, int ndirs,
                                  const char *const *names, const char *what,
                                  const char *why) {
  for (int i = 0; i < ndirs; i++) {
    bool all = true;
    for (int k = 0; names[k] && all; k++) {
      char *p = lkd_xasprintf("%s/%s", dirs[i], names[k]);
      all = access(p, R_OK) == 0;
      free(p);
    }
    if (all)
      return dirs[i];
  }
  fprintf(stderr, "leakcc: error: cannot find the leakcc %s; tried:", what);
  for (int i = 0; i < ndirs; i++)
    for (int k = 0; names[k]; k++)
      fprintf(stderr, "%s %s/%s", i || k ? "," : "", dirs[i], names[k]);
  fprintf(stderr, " (%s)\n", why);
  return NULL;
}

bool lkd_locate(const struct lkd_env *env, bool need_plugin, bool need_runtime,
                struct lkd_paths *paths) {
  struct libdirs d = {0};
  bool need_search = (need_plugin && !env->plugin) ||
                     (need_runtime && !env->runtime_dir);
  if (need_search && !find_libdirs(&d))
    return false;
  char *why = d.exe ? lkd_xasprintf("relative to %s", d.exe) : NULL;

  if (need_plugin && env->plugin) {
    if (access(env->plugin, R_OK) != 0) {
      fprintf(stderr,
              "leakcc: error: cannot find the leakcc plugin; tried: %s "
              "(from LEAKCC_PLUGIN: %s)\n",
              env->plugin, strerror(errno));
      return false;
    }
    paths->plugin = env->plugin;
  } else if (need_plugin) {
    static const char *const plugin[] = {"leakpass.so", NULL};
    const char *dir = first_dir_with(d.dir, d.n, plugin, "plugin", why);
    if (!dir)
      return false;
    paths->plugin = lkd_xasprintf("%s/leakpass.so", dir);
  }

  if (need_runtime) {
    static const char *const runtime[] = {"libleakrt.a", "leakcc.dynlist", NULL};
    const char *dir =
        env->runtime_dir
            ? first_dir_with(&env->runtime_dir, 1, runtime, "runtime",
                             "from LEAKCC_RUNTIME_DIR")
            : first_dir_with(d.dir, d.n, runtime, "runtime", why);
    if (!dir)
      return false;
    paths->runtime = lkd_xasprintf("%s/libleakrt.a", dir);
    paths->dynamic_list = lkd_xasprintf("%s/leakcc.dynlist", dir);
  }
  return true;
}
