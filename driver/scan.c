/*
 * The argument scan: argv -> struct lkd_invocation.  Nothing here changes
 * argv or decides what to add; command.c does that from the struct.
 *
 * Arguments are classified with the option table (options.c): a value that
 * belongs to an option (-o x, -MF x, -x c, -I dir, -Xlinker x, ...) is never
 * an input.  Any other argument that starts with '-' (except "-" itself,
 * standard input) is an option without a value; everything else, and
 * everything after "--", is an input file.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const lkd_bad_sanitizers[] = {
    "address", "hwaddress", "kernel-address", "kernel-hwaddress",
    "kernel-memory", "leak", "memory", "thread", NULL};

/* Response files may nest; clang gives up at some depth too. */
#define MAX_RESPFILE_DEPTH 16

/* The arguments after @file expansion, each with the index of the argv
 * element it came from. */
struct tokens {
  struct lkd_strvec args;
  int *argi;
  size_t cap;
};

static void push_token(struct tokens *t, const char *arg, int argi) {
  lkd_strvec_push(&t->args, arg);
  if (t->args.n > t->cap) {
    t->cap = t->args.cap;
    t->argi = lkd_xrealloc(t->argi, t->cap * sizeof *t->argi);
  }
  t->argi[t->args.n - 1] = argi;
}

/* The response files being expanded, outermost first (by identity, as
 * clang compares them). */
struct file_id {
  dev_t dev;
  ino_t ino;
};

/* Whether response file PATH is one of chain[0..depth-1]; *id is its
 * identity (zero when it cannot be stat'ed: it is then unreadable). */
static bool in_chain(const char *path, const struct file_id *chain, int depth,
                     struct file_id *id) {
  struct stat st;
  *id = (struct file_id){0, 0};
  if (stat(path, &st) != 0)
    return false;
  *id = (struct file_id){st.st_dev, st.st_ino};
  for (int i = 0; i < depth; i++)
    if (chain[i].dev == id->dev && chain[i].ino == id->ino)
      return true;
  return false;
}

/* A response file that includes itself, directly or through others, is not
 * expanded again: "@file" stays a token (an input, so leakcc adds nothing
 * it implies), and clang reports the recursion when it reads the file.
 * Expanding it up to MAX_RESPFILE_DEPTH would cost k^16 tokens for a file
 * naming itself k times (found by test/fuzz/fuzz_scan). */
static void expand(struct tokens *t, const char *arg, int argi, int depth,
                   struct file_id *chain, struct lkd_invocation *inv) {
  struct lkd_strvec sub = {0};
  if (arg[0] == '@' && depth < MAX_RESPFILE_DEPTH &&
      !in_chain(arg + 1, chain, depth, &chain[depth]) &&
      lkd_respfile_read(arg + 1, &sub, &inv->owned)) {
    for (size_t i = 0; i < sub.n; i++)
      expand(t, sub.v[i], argi, depth + 1, chain, inv);
    lkd_strvec_free(&sub);
    return;
  }
  push_token(t, arg, argi);   /* includes an unreadable @file: an input */
}

enum lkd_lang lkd_lang_from_path(const char *path, bool cxx) {
  static const struct {
    const char *ext;
    enum lkd_lang lang;
  } exts[] = {
      {"c", LKD_LANG_C},        {"i", LKD_LANG_C},
      {"cc", LKD_LANG_CXX},     {"cp", LKD_LANG_CXX},
      {"cxx", LKD_LANG_CXX},    {"cpp", LKD_LANG_CXX},
      {"CPP", LKD_LANG_CXX},    {"c++", LKD_LANG_CXX},
      {"C", LKD_LANG_CXX},      {"ii", LKD_LANG_CXX},
      {"cppm", LKD_LANG_CXX},   {"ixx", LKD_LANG_CXX},
      {"cu", LKD_LANG_CXX},     {"hip", LKD_LANG_CXX},
      {"m", LKD_LANG_OBJC},     {"mm", LKD_LANG_OBJC},
      {"M", LKD_LANG_OBJC},     {"mi", LKD_LANG_OBJC},
      {"mii", LKD_LANG_OBJC},   {"ll", LKD_LANG_IR},
      {"bc", LKD_LANG_IR},      {"h", LKD_LANG_HEADER},
      {"H", LKD_LANG_HEADER},   {"hh", LKD_LANG_HEADER},
      {"hp", LKD_LANG_HEADER},  {"hpp", LKD_LANG_HEADER},
      {"HPP", LKD_LANG_HEADER}, {"hxx", LKD_LANG_HEADER},
      {"h++", LKD_LANG_HEADER}, {"s", LKD_LANG_ASM},
      {"S", LKD_LANG_ASM},      {"sx", LKD_LANG_ASM},
  };
  (void)cxx;   /* .h is c++-header for leakc++: a header all the same */
  const char *base = strrchr(path, '/');
  const char *dot = strrchr(base ? base : path, '.');
  if (dot)
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
      if (strcmp(dot + 1, exts[i].ext) == 0)
        return exts[i].lang;
  return LKD_LANG_OBJECT;   /* clang hands unknown files to the linker */
}

bool lkd_lang_from_name(const char *name, enum lkd_lang *lang) {
  if (strcmp(name, "none") == 0)
    return false;
  if (strstr(name, "header"))   /* c-header, c++-header, c++-user-header, ... */
    *lang = LKD_LANG_HEADER;
  else if (strncmp(name, "assembler", 9) == 0)
    *lang = LKD_LANG_ASM;
  else if (strcmp(name, "ir") == 0)
    *lang = LKD_LANG_IR;
  else if (strncmp(name, "objective-c", 11) == 0 || strncmp(name, "objc", 4) == 0)
    *lang = LKD_LANG_OBJC;
  else if (strcmp(name, "c") == 0 || strcmp(name, "cpp-output") == 0)
    *lang = LKD_LANG_C;
  else   /* c++, c++-cpp-output, cuda, hip, cl, ...: all generate code */
    *lang = LKD_LANG_CXX;
  return true;
}

bool lkd_debug_sets_level(const char *arg) {
  /* -g options that only modify the debug info the level asks for. */
  static const char *const modifiers[] = {
      "-gbtf", "-gcodeview-", "-gcolumn-info", "-gdwarf-aranges", "-gdwarf32",
      "-gdwarf64", "-gembed-source", "-ggnu-pubnames", "-gno-", "-gpubnames",
      "-grecord-", "-gsimple-template-names", "-gsplit-dwarf",
      "-gstrict-dwarf", "-gz"};
  for (size_t i = 0; i < sizeof modifiers / sizeof modifiers[0]; i++)
    if (strncmp(arg, modifiers[i], strlen(modifiers[i])) == 0)
      return false;
  return strncmp(arg, "-g", 2) == 0;
}

/* -fsanitize=a,b / -fno-sanitize=a,b: set or clear the incompatible ones. */
static void apply_sanitize(struct lkd_invocation *inv, const char *list, bool on) {
  while (*list) {
    size_t len = strcspn(list, ",");
    for (unsigned i = 0; lkd_bad_sanitizers[i]; i++)
      if (strlen(lkd_bad_sanitizers[i]) == len &&
          strncmp(list, lkd_bad_sanitizers[i], len) == 0) {
        if (on)
          inv->bad_sanitizers |= 1u << i;
        else
          inv->bad_sanitizers &= ~(1u << i);
      }
    list += len + (list[len] == ',');
  }
}

const char *lkd_bad_sanitizer(const struct lkd_invocation *inv) {
  for (unsigned i = 0; lkd_bad_sanitizers[i]; i++)
    if (inv->bad_sanitizers & (1u << i))
      return lkd_bad_sanitizers[i];
  return NULL;
}

static void set_phase(struct lkd_invocation *inv, enum lkd_phase phase) {
  if (phase < inv->phase)   /* clang stops at the earliest phase asked for */
    inv->phase = phase;
}

/* State that lives only during the scan. */
struct scan_state {
  bool have_lang;           /* a -x other than "none" is in effect */
  enum lkd_lang lang;
  size_t inputs_cap;
};

static void add_input(struct lkd_invocation *inv, struct scan_state *st,
                      const char *path) {
  if (inv->num_inputs == st->inputs_cap) {
    st->inputs_cap = st->inputs_cap ? 2 * st->inputs_cap : 8;
    inv->inputs = lkd_xrealloc(inv->inputs, st->inputs_cap * sizeof *inv->inputs);
  }
  enum lkd_lang lang = st->have_lang            ? st->lang
                       : strcmp(path, "-") == 0 ? LKD_LANG_C
                                                : lkd_lang_from_path(path, inv->cxx);
  inv->inputs[inv->num_inputs++] = (struct lkd_input){path, lang};
}

static void apply(struct lkd_invocation *inv, struct scan_state *st,
                  const struct lkd_option *o, const char *arg,
                  const char *value) {
  switch (o->effect) {
  case LKD_FX_NONE: break;
  case LKD_FX_PREPROCESS: set_phase(inv, LKD_PHASE_PREPROCESS); break;
  case LKD_FX_DEPS:
    set_phase(inv, LKD_PHASE_PREPROCESS);
    inv->deps_only = true;
    break;
  case LKD_FX_FRONTEND: set_phase(inv, LKD_PHASE_FRONTEND); break;
  case LKD_FX_ASSEMBLY: set_phase(inv, LKD_PHASE_ASSEMBLY); break;
  case LKD_FX_OBJECT: set_phase(inv, LKD_PHASE_OBJECT); break;
  case LKD_FX_SHARED: inv->shared = true; break;
  case LKD_FX_RELOCATABLE: inv->relocatable = true; break;
  case LKD_FX_STATIC: inv->static_link = true; break;
  case LKD_FX_STATIC_PIE: inv->static_pie = true; break;
  case LKD_FX_NOSTDLIB: inv->nostdlib = true; break;
  case LKD_FX_OUTPUT: inv->output = value; break;
  case LKD_FX_LANGUAGE: st->have_lang = lkd_lang_from_name(value, &st->lang); break;
  case LKD_FX_LIBRARY: inv->num_libraries++; break;
  case LKD_FX_DEBUG:
    if (lkd_debug_sets_level(arg))
      inv->debug_given = true;
    break;
  case LKD_FX_OPTIMIZE:   /* -O is -O1, -O4 and above are -O3 */
    inv->opt_level = !*value ? "1" : (*value >= '4' && *value <= '9') ? "3" : value;
    break;
  case LKD_FX_SANITIZE: apply_sanitize(inv, value, true); break;
  case LKD_FX_NO_SANITIZE: apply_sanitize(inv, value, false); break;
  case LKD_FX_VERSION: inv->version = true; break;
  case LKD_FX_HELP: inv->help = true; break;
  case LKD_FX_DRY_RUN: inv->dry_run = true; break;
  }
}

static bool is_cxx_name(const char *argv0) {
  const char *base = strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  size_t len = strlen(base);
  return len >= 2 && strcmp(base + len - 2, "++") == 0;
}

void lkd_scan(int argc, char *const argv[], struct lkd_invocation *inv) {
  memset(inv, 0, sizeof *inv);
  inv->cxx = argc > 0 && is_cxx_name(argv[0]);
  inv->phase = LKD_PHASE_LINK;
  inv->opt_level = "0";

  struct tokens t = {0};
  struct file_id chain[MAX_RESPFILE_DEPTH];
  for (int i = 1; i < argc; i++)
    expand(&t, argv[i], i, 0, chain, inv);

  struct scan_state st = {0};
  bool options_ended = false;
  for (size_t i = 0; i < t.args.n; i++) {
    const char *arg = t.args.v[i];
    if (options_ended || arg[0] != '-' || arg[1] == 0) {
      add_input(inv, &st, arg);
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      options_ended = true;
      inv->end_of_options = t.argi[i];
      continue;
    }
    const struct lkd_option *o = lkd_option_find(arg);
    if (!o)
      continue;
    const char *value = arg + strlen(o->name);
    if (!*value && (o->flags & LKD_TAKES_ARG)) {
      if (i + 1 == t.args.n) {
        inv->malformed = true;
        break;
      }
      value = t.args.v[++i];
    }
    apply(inv, &st, o, arg, value);
  }
  inv->language_pending = st.have_lang;
  free(t.argi);
  lkd_strvec_free(&t.args);
}

void lkd_invocation_free(struct lkd_invocation *inv) {
  for (size_t i = 0; i < inv->owned.n; i++)
    free((void *)inv->owned.v[i]);
  lkd_strvec_free(&inv->owned);
  free(inv->inputs);
  inv->inputs = NULL;
}
