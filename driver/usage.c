/*
 * --version and --help.  Both print on stdout (configure scripts and users
 * read them there) and are the only output leakcc itself ever writes there.
 */
#include "driver.h"

#include <stdio.h>

#ifndef LEAKCC_VERSION
#error "LEAKCC_VERSION must be defined by driver/CMakeLists.txt"
#endif
#ifndef LEAKCC_LLVM_VERSION
#error "LEAKCC_LLVM_VERSION must be defined by driver/CMakeLists.txt"
#endif

void lkd_print_version_line(void) {
  printf("leakcc %s (LLVM %s)\n", LEAKCC_VERSION, LEAKCC_LLVM_VERSION);
}

void lkd_print_help(bool cxx) {
  const char *self = cxx ? "leakc++" : "leakcc";
  printf(
      "Usage: %s [clang options] file...\n"
      "\n"
      "%s compiles C%s programs with clang so that they report memory leaks\n"
      "at exit (LeakSanitizer's report format, exit status 23 on leaks).\n"
      "It passes every argument to %s and adds:\n"
      "  -fpass-plugin=.../leakpass.so   when code is generated (-S, -c, link)\n"
      "  -gline-tables-only              same, unless a -g option is given\n"
      "  -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer\n"
      "  the runtime libleakrt.a         when an executable is linked (not for\n"
      "                                  -c, -S, -E, -shared, -r, -nostdlib)\n"
      "Nothing is added for -E, -M, -MM, -fsyntax-only or header inputs.\n"
      "\n"
      "Environment (driver):\n"
      "  LEAKCC_CC, LEAKCC_CXX   compiler to run instead of %s\n"
      "  LEAKCC_PLUGIN           path of leakpass.so\n"
      "  LEAKCC_RUNTIME_DIR      directory of libleakrt.a and leakcc.dynlist\n"
      "  LEAKCC_DEBUG=1          print the compiler command on stderr\n"
      "Environment (instrumented programs):\n"
      "  LEAKCC_OPTIONS          runtime options, key=value:key=value\n"
      "                          (LEAKCC_OPTIONS=help=1 lists them)\n"
      "  LSAN_OPTIONS            read too, for LeakSanitizer users\n"
      "  LEAKCC_SYMBOLIZER_PATH  llvm-symbolizer for caller frames\n"
      "\n"
      "Compiler options: see `%s --help`.  Manual: man leakcc.\n",
      self, self, cxx ? "++" : "", cxx ? LEAKCC_DEFAULT_CXX : LEAKCC_DEFAULT_CC,
      cxx ? LEAKCC_DEFAULT_CXX : LEAKCC_DEFAULT_CC,
      cxx ? "clang++" : "clang");
}
