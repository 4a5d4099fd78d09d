/*
 * leakcc / leakc++: the wrapper compiler driver, one section per file.
 *
 * The driver never decides anything while it copies arguments.  It first
 * scans argv into one struct lkd_invocation (scan.c, with the option table of
 * options.c), then decides what to add (command.c: the plugin only when code
 * is generated, the runtime only into final links of executables), resolves
 * only the paths it needs (locate.c), builds a new argv and execvp()s the
 * real compiler (main.c), so the compiler's exit status is the driver's.
 *
 * Everything except main.c is the static library leakcc_driver_lib, which the
 * unit tests (test/unit_drv_*.c) link.  Prefix: lkd_ (leakcc driver).
 */
#ifndef LEAKCC_DRIVER_H
#define LEAKCC_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

/* ---------------------------------------------------------------- strvec.c
 * A growable, NULL-terminated array of strings (the new argv).  Strings are
 * not copied; the caller keeps them alive.  Allocation failure exits. */
struct lkd_strvec {
  const char **v;   /* v[n] == NULL once anything was pushed */
  size_t n, cap;
};
void lkd_strvec_push(struct lkd_strvec *sv, const char *s);
void lkd_strvec_free(struct lkd_strvec *sv);
/* Writes v as one shell-quoted line (single quotes where needed) + '\n'. */
void lkd_strvec_print_quoted(const struct lkd_strvec *sv, const char *prefix,
                             int fd);
/* malloc/realloc/strdup/asprintf that print "leakcc: error: out of memory"
 * and exit 1 instead of returning NULL. */
void *lkd_xmalloc(size_t n);
void *lkd_xrealloc(void *p, size_t n);
char *lkd_xstrdup(const char *s);
char *lkd_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --------------------------------------------------------------- options.c
 * The one option table: every option whose value may be a separate argv
 * element, and every option that changes how the invocation is classified.
 * Any other argument starting with '-' is an option without a value and is
 * passed through untouched.  Sorted by strcmp (unit_drv_table checks it). */
enum {
  LKD_TAKES_ARG = 1,        /* exact name: the value is the next argument */
  LKD_TAKES_CONCAT_ARG = 2, /* name is a prefix: the value is joined (-Idir) */
  LKD_STOPS_BEFORE_LINK = 4 /* a phase option: -E -M -MM -fsyntax-only -S -c */
};
enum lkd_effect {
  LKD_FX_NONE,
  LKD_FX_PREPROCESS,    /* -E */
  LKD_FX_DEPS,          /* -M, -MM: -E that prints dependencies */
  LKD_FX_FRONTEND,      /* -fsyntax-only, --precompile, --analyze */
  LKD_FX_ASSEMBLY,      /* -S */
  LKD_FX_OBJECT,        /* -c */
  LKD_FX_SHARED,        /* -shared */
  LKD_FX_RELOCATABLE,   /* -r */
  LKD_FX_STATIC,        /* -static */
  LKD_FX_STATIC_PIE,    /* -static-pie */
  LKD_FX_NOSTDLIB,      /* -nostdlib, -nodefaultlibs */
  LKD_FX_OUTPUT,        /* -o */
  LKD_FX_LANGUAGE,      /* -x */
  LKD_FX_LIBRARY,       /* -l: a linker input */
  LKD_FX_DEBUG,         /* -g* */
  LKD_FX_OPTIMIZE,      /* -O* */
  LKD_FX_SANITIZE,      /* -fsanitize= */
  LKD_FX_NO_SANITIZE,   /* -fno-sanitize= */
  LKD_FX_VERSION,       /* --version */
  LKD_FX_HELP,          /* --help, -help */
  LKD_FX_DRY_RUN,       /* -### */
};
struct lkd_option {
  const char *name;
  unsigned flags;
  enum lkd_effect effect;
};
extern const struct lkd_option lkd_options[];
extern const size_t lkd_num_options;
/* The table entry for arg: an exact match, else the longest entry that is a
 * prefix of arg and has LKD_TAKES_CONCAT_ARG (its value is arg + strlen(name)).
 * NULL when arg is an option the table does not know. */
const struct lkd_option *lkd_option_find(const char *arg);

/* ------------------------------------------------------------------ scan.c
 * What the invocation does, in pipeline order: clang stops at the earliest
 * phase any option asks for. */
enum lkd_phase {
  LKD_PHASE_PREPROCESS, /* -E, -M, -MM */
  LKD_PHASE_FRONTEND,   /* -fsyntax-only, --precompile, --analyze */
  LKD_PHASE_ASSEMBLY,   /* -S */
  LKD_PHASE_OBJECT,     /* -c */
  LKD_PHASE_LINK        /* none of the above */
};
enum lkd_lang {
  LKD_LANG_C,       /* .c .i, -x c, cpp-output */
  LKD_LANG_CXX,     /* .cc .cpp .cxx .C .ii .cppm .cu, -x c++ */
  LKD_LANG_OBJC,    /* .m .mm .mi .mii, -x objective-c(++) */
  LKD_LANG_IR,      /* .ll .bc, -x ir */
  LKD_LANG_HEADER,  /* .h .hh .hpp ..., -x *-header: precompiled headers */
  LKD_LANG_ASM,     /* .s .S .sx, -x assembler(-with-cpp) */
  LKD_LANG_OBJECT   /* anything else: handed to the linker */
};
struct lkd_input {
  const char *path;
  enum lkd_lang lang;
};
/* Sanitizers that replace malloc too, so cannot be combined with leakcc;
 * NULL-terminated; bit i of lkd_invocation.bad_sanitizers is entry i. */
extern const char *const lkd_bad_sanitizers[];

struct lkd_invocation {
  bool cxx;                 /* leakc++: argv[0]'s basename ends in "++" */
  enum lkd_phase phase;
  bool deps_only;           /* -M/-MM: preprocessor prints dependencies */
  bool shared, relocatable, static_link, static_pie, nostdlib;
  bool debug_given;         /* a -g that sets the debug level (also -g0) */
  const char *opt_level;    /* "0" (default), "1", "2", "3", "s", "z", "fast", "g" */
  const char *output;       /* -o, or NULL */
  bool version, help, dry_run;
  struct lkd_input *inputs; /* files, in order (incl. "-" for stdin) */
  size_t num_inputs;
  size_t num_libraries;     /* -lNAME */
  unsigned bad_sanitizers;  /* bit i: lkd_bad_sanitizers[i] is enabled */
  /* argv index of "--" (or of the @file holding it): the added link flags go
   * before it, since everything after it is an input.  0 when absent. */
  int end_of_options;
  bool language_pending;    /* a -x other than "none" is still in effect */
  bool malformed;           /* an option lacks its value ("-o" last): the
                               compiler reports it; leakcc adds nothing */
  /* Storage owned by the struct: response-file text and tokens. */
  struct lkd_strvec owned;
};
/* Scans argv[1..argc-1] (argv[0] only decides C vs C++).  Response files
 * (@file) are read and their arguments scanned in place; argv itself is never
 * changed.  Never fails: an unreadable @file is an input, as for clang, and
 * so is one nested in itself (clang reports the recursion). */
void lkd_scan(int argc, char *const argv[], struct lkd_invocation *inv);
void lkd_invocation_free(struct lkd_invocation *inv);
/* The first enabled incompatible sanitizer, or NULL. */
const char *lkd_bad_sanitizer(const struct lkd_invocation *inv);
enum lkd_lang lkd_lang_from_path(const char *path, bool cxx);
/* Language for "-x NAME"; false for "none" (back to extensions). */
bool lkd_lang_from_name(const char *name, enum lkd_lang *lang);
/* Does the -g option ARG choose a debug level?  -g, -g0..3, -ggdb*, -gdwarf*,
 * -gline-tables-only do; modifiers such as -gz, -gsplit-dwarf, -gno-* don't. */
bool lkd_debug_sets_level(const char *arg);

/* --------------------------------------------------------------- command.c
 * Decisions and the new argv.  Pure: no file system, no environment. */
bool lkd_generates_code(const struct lkd_invocation *inv);   /* plugin etc. */
bool lkd_links_executable(const struct lkd_invocation *inv); /* runtime */
struct lkd_paths {
  const char *compiler;       /* argv[0] of the new command */
  const char *plugin;         /* leakpass.so, needed if lkd_generates_code */
  const char *runtime;        /* libleakrt.a, needed if lkd_links_executable */
  const char *dynamic_list;   /* leakcc.dynlist, same */
};
/* compiler [codegen flags] argv[1..] [runtime flags]; see command.c. */
void lkd_build_command(const struct lkd_invocation *inv, int argc,
                       char *const argv[], const struct lkd_paths *paths,
                       struct lkd_strvec *out);

/* ------------------------------------------------------------------- env.c
 * Every environment variable the driver reads, read once. */
struct lkd_env {
  const char *cc, *cxx;        /* LEAKCC_CC, LEAKCC_CXX: compiler overrides */
  const char *plugin;          /* LEAKCC_PLUGIN: path of leakpass.so */
  const char *runtime_dir;     /* LEAKCC_RUNTIME_DIR: dir of libleakrt.a */
  bool debug;                  /* LEAKCC_DEBUG set, non-empty and not "0" */
};
void lkd_env_read(struct lkd_env *env);

/* -------------------------------------------------------------- respfile.c
 * Splits the text of response file PATH into arguments with clang's GNU
 * rules (blanks separate; quotes group; backslash escapes the next
 * character) and pushes them on OUT; the strings are pushed on OWNED too
 * (the caller frees them).  False when the file cannot be read. */
bool lkd_respfile_read(const char *path, struct lkd_strvec *out,
                       struct lkd_strvec *owned);

/* ---------------------------------------------------------------- locate.c
 * Fills paths->plugin / runtime / dynamic_list (only those the invocation
 * needs) from the environment or relative to the driver's own executable
 * (/proc/self/exe resolved, then LEAKCC_REL_LIBDIR).  On failure prints one
 * error naming every path tried and returns false. */
bool lkd_locate(const struct lkd_env *env, bool need_plugin, bool need_runtime,
                struct lkd_paths *paths);

/* ----------------------------------------------------------------- usage.c */
void lkd_print_version_line(void);   /* "leakcc X.Y.Z (LLVM N.N.N)" */
void lkd_print_help(bool cxx);

#endif
