/*
 * What leakcc adds to a command line, decided from the scanned invocation
 * alone (no file system, no environment), and the new argv.
 *
 *   compiler [codegen flags] user arguments [runtime flags]
 *
 * codegen flags, only when code is generated (-S, -c or a link with at least
 * one source or IR input; never for -E, -M, -fsyntax-only, headers or a link
 * of objects only):
 *   -fpass-plugin=leakpass.so     the instrumentation
 *   -gline-tables-only            unless a -g option chose a level (-g0 too):
 *                                 file:line:col of allocation sites
 *   -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
 *                                 for the runtime's frame-pointer unwinder
 * They come before the user's arguments, so an explicit -fomit-frame-pointer
 * still wins (clang takes the last of a pair).
 *
 * runtime flags, only into final links of executables (not -c/-S/-E, not
 * -shared, not -r, not -nostdlib/-nodefaultlibs):
 *   -Wl,--whole-archive libleakrt.a -Wl,--no-whole-archive
 *                                 every runtime object, so its malloc family
 *                                 and operator new/delete replace libc's and
 *                                 libstdc++'s for the whole process
 *   -Wl,--dynamic-list=leakcc.dynlist
 *                                 export those (and __lsan_*, __leakcc_*) so
 *                                 shared libraries, also dlopen'ed ones, bind
 *                                 to them; omitted for -static(-pie)
 *   -lpthread -ldl                the runtime's own dependencies
 */
#include "driver.h"

#include <string.h>

static bool lang_generates_code(enum lkd_lang lang) {
  return lang == LKD_LANG_C || lang == LKD_LANG_CXX || lang == LKD_LANG_OBJC ||
         lang == LKD_LANG_IR;
}

/* --version and --help print and exit before any command is built; a
 * malformed command line is left for the compiler to report. */
static bool passes_through(const struct lkd_invocation *inv) {
  return inv->malformed || inv->version || inv->help;
}

bool lkd_generates_code(const struct lkd_invocation *inv) {
  if (passes_through(inv) || inv->phase < LKD_PHASE_ASSEMBLY)
    return false;
  for (size_t i = 0; i < inv->num_inputs; i++)
    if (lang_generates_code(inv->inputs[i].lang))
      return true;
  return false;   /* no inputs, only headers (PCH), assembly or objects */
}

bool lkd_links_executable(const struct lkd_invocation *inv) {
  if (passes_through(inv) || inv->phase != LKD_PHASE_LINK || inv->shared ||
      inv->relocatable || inv->nostdlib)
    return false;
  if (inv->num_libraries > 0)
    return true;
  /* clang links only when some input is not a header (headers alone make
   * precompiled headers). */
  for (size_t i = 0; i < inv->num_inputs; i++)
    if (inv->inputs[i].lang != LKD_LANG_HEADER)
      return true;
  return false;
}

static void push_runtime_flags(const struct lkd_invocation *inv,
                               const struct lkd_paths *paths,
                               struct lkd_strvec *out) {
  lkd_strvec_push(out, "-Wl,--whole-archive");
  lkd_strvec_push(out, paths->runtime);
  lkd_strvec_push(out, "-Wl,--no-whole-archive");
  if (!inv->static_link && !inv->static_pie)
    lkd_strvec_push(out, lkd_xasprintf("-Wl,--dynamic-list=%s", paths->dynamic_list));
  lkd_strvec_push(out, "-lpthread");
  lkd_strvec_push(out, "-ldl");
}

void lkd_build_command(const struct lkd_invocation *inv, int argc,
                       char *const argv[], const struct lkd_paths *paths,
                       struct lkd_strvec *out) {
  lkd_strvec_push(out, paths->compiler);
  if (lkd_generates_code(inv)) {
    lkd_strvec_push(out, lkd_xasprintf("-fpass-plugin=%s", paths->plugin));
    if (!inv->debug_given)
      lkd_strvec_push(out, "-gline-tables-only");
    lkd_strvec_push(out, "-fno-omit-frame-pointer");
    lkd_strvec_push(out, "-mno-omit-leaf-frame-pointer");
  }
  bool runtime = lkd_links_executable(inv);
  /* The runtime archive is a bare path, so it must not fall under a user's
   * "-x LANG" or after "--".  Normally it goes last, behind "-x none" when
   * needed; with "--" it goes first, where no -x is in effect yet (the
   * archive is whole, so its place on the link line does not matter). */
  if (runtime && inv->end_of_options > 0)
    push_runtime_flags(inv, paths, out);
  for (int i = 1; i < argc; i++)
    lkd_strvec_push(out, argv[i]);
  if (runtime && inv->end_of_options == 0) {
    if (inv->language_pending) {
      lkd_strvec_push(out, "-x");
      lkd_strvec_push(out, "none");
    }
    push_runtime_flags(inv, paths, out);
  }
}
