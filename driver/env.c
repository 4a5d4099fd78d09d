/*
 * Every environment variable the driver reads, read here and nowhere else.
 * (The runtime reads its own: LEAKCC_OPTIONS, LSAN_OPTIONS,
 * LEAKCC_SYMBOLIZER_PATH; the driver passes them through untouched.)
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

/* An empty variable counts as unset, as `LEAKCC_CC= make` intends. */
static const char *get(const char *name) {
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

void lkd_env_read(struct lkd_env *env) {
  env->cc = get("LEAKCC_CC");
  env->cxx = get("LEAKCC_CXX");
  env->plugin = get("LEAKCC_PLUGIN");
  env->runtime_dir = get("LEAKCC_RUNTIME_DIR");
  const char *debug = get("LEAKCC_DEBUG");
  env->debug = debug && strcmp(debug, "0") != 0;
}
