/*
 * The option table, after ccache's compopt.c.  It lists only the options that
 * matter to leakcc: every option whose value can be the next argument (so the
 * value is never taken for an input file) and every option that changes what
 * the invocation does.  Each name appears once; lookups are a binary search
 * for the exact name, then the longest joined-value prefix, which is also how
 * clang's own parser resolves "-ofile" or "-Idir".
 *
 * Keep it sorted by strcmp (byte order: '#' < '-' < '=' < 'A'-'Z' < 'a'-'z');
 * test/unit_drv_table.c checks the order.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

const struct lkd_option lkd_options[] = {
    {"-###", 0, LKD_FX_DRY_RUN},
    {"--analyze", LKD_STOPS_BEFORE_LINK, LKD_FX_FRONTEND},
    {"--gcc-toolchain", LKD_TAKES_ARG, LKD_FX_NONE},
    {"--help", 0, LKD_FX_HELP},
    {"--no-standard-libraries", 0, LKD_FX_NOSTDLIB},
    {"--output", LKD_TAKES_ARG, LKD_FX_OUTPUT},
    {"--output=", LKD_TAKES_CONCAT_ARG, LKD_FX_OUTPUT},
    {"--param", LKD_TAKES_ARG, LKD_FX_NONE},
    {"--precompile", LKD_STOPS_BEFORE_LINK, LKD_FX_FRONTEND},
    {"--serialize-diagnostics", LKD_TAKES_ARG, LKD_FX_NONE},
    {"--shared", 0, LKD_FX_SHARED},
    {"--static", 0, LKD_FX_STATIC},
    {"--sysroot", LKD_TAKES_ARG, LKD_FX_NONE},
    {"--version", 0, LKD_FX_VERSION},
    {"-A", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-B", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-D", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-E", LKD_STOPS_BEFORE_LINK, LKD_FX_PREPROCESS},
    {"-F", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-I", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-L", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-M", LKD_STOPS_BEFORE_LINK, LKD_FX_DEPS},
    {"-MF", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-MJ", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-MM", LKD_STOPS_BEFORE_LINK, LKD_FX_DEPS},
    {"-MQ", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-MT", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-O", LKD_TAKES_CONCAT_ARG, LKD_FX_OPTIMIZE},
    {"-ObjC", 0, LKD_FX_NONE},
    {"-ObjC++", 0, LKD_FX_NONE},
    {"-S", LKD_STOPS_BEFORE_LINK, LKD_FX_ASSEMBLY},
    {"-T", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-U", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-Wa,", LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-Wl,", LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-Wp,", LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-Xanalyzer", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-Xassembler", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-Xclang", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-Xlinker", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-Xopenmp-target", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-Xpreprocessor", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-arch", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-c", LKD_STOPS_BEFORE_LINK, LKD_FX_OBJECT},
    {"-cxx-isystem", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-dependency-dot", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-dependency-file", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-fno-sanitize=", LKD_TAKES_CONCAT_ARG, LKD_FX_NO_SANITIZE},
    {"-fsanitize=", LKD_TAKES_CONCAT_ARG, LKD_FX_SANITIZE},
    {"-fsyntax-only", LKD_STOPS_BEFORE_LINK, LKD_FX_FRONTEND},
    {"-g", LKD_TAKES_CONCAT_ARG, LKD_FX_DEBUG},
    {"-gcc-toolchain", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-help", 0, LKD_FX_HELP},
    {"-idirafter", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-iframework", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-imacros", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-include", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-include-pch", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-iprefix", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-iquote", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-isysroot", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-isystem", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-isystem-after", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-ivfsoverlay", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-iwithprefix", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-iwithprefixbefore", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-iwithsysroot", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-l", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_LIBRARY},
    {"-mllvm", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-nodefaultlibs", 0, LKD_FX_NOSTDLIB},
    {"-nostdlib", 0, LKD_FX_NOSTDLIB},
    {"-o", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_OUTPUT},
    {"-r", 0, LKD_FX_RELOCATABLE},
    {"-rpath", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-serialize-diagnostics", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-shared", 0, LKD_FX_SHARED},
    {"-static", 0, LKD_FX_STATIC},
    {"-static-pie", 0, LKD_FX_STATIC_PIE},
    {"-target", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-u", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_NONE},
    {"-working-directory", LKD_TAKES_ARG, LKD_FX_NONE},
    {"-x", LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG, LKD_FX_LANGUAGE},
    {"-z", LKD_TAKES_ARG, LKD_FX_NONE},
};
const size_t lkd_num_options = sizeof lkd_options / sizeof lkd_options[0];

static int compare_name(const void *key, const void *elem) {
  return strcmp(key, ((const struct lkd_option *)elem)->name);
}

const struct lkd_option *lkd_option_find(const char *arg) {
  const struct lkd_option *o = bsearch(arg, lkd_options, lkd_num_options,
                                        sizeof lkd_options[0], compare_name);
  if (o)
    return o;
  /* Joined value: the longest entry that prefixes arg wins ("-include-pch"
   * over "-include", "-gcc-toolchain" is exact so never "-g" + "cc-..."). */
  const struct lkd_option *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < lkd_num_options; i++) {
    const struct lkd_option *e = &lkd_options[i];
    size_t len = strlen(e->name);
    if ((e->flags & LKD_TAKES_CONCAT_ARG) && len > best_len &&
        strncmp(arg, e->name, len) == 0) {
      best = e;
      best_len = len;
    }
  }
  return best;
}
