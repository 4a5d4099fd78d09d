/*
 * Fuzz target: the runtime's option parser (runtime/options.c,
 * lk_options_parse), which reads LEAKCC_OPTIONS and LSAN_OPTIONS, text any
 * user controls.
 *
 * Input: byte 0 chooses secure mode (bit 0), whether the text comes from
 * the environment (bit 1) and whether help=1's listing is printed after it
 * (bit 2); the rest is the option text.  options.c is included, not linked,
 * so that its string pool and warning buffer are emptied for every input.
 *
 * Promises checked beyond memory safety: after any text, every value
 * validate() covers is in range, every string option is a NUL-terminated
 * string, and in secure mode the environment changes no option that names
 * a file or a program.
 */
#include "fuzz.h"

#include <string.h>

#include "options.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static struct lk_flags initial;
  static bool saved;
  if (!saved) {
    initial = lk_flags;
    saved = true;
  }
  if (size == 0)
    return 0;
  lk_flags = initial;
  str_pool_used = 0;
  secure_ignored[0] = 0;
  lk_secure = data[0] & 1;
  bool from_env = data[0] & 2;
  char *text = malloc(size);
  memcpy(text, data + 1, size - 1);
  text[size - 1] = 0;

  lk_options_parse(text, "fuzz", from_env);

  FUZZ_ASSERT(!strcmp(lk_flags.mode, "precise") ||
              !strcmp(lk_flags.mode, "conservative"));
  FUZZ_ASSERT(lk_flags.malloc_context_size >= 0 &&
              lk_flags.malloc_context_size <= LK_MAX_FRAMES);
  FUZZ_ASSERT(lk_flags.exitcode >= 0 && lk_flags.exitcode <= 255);
  FUZZ_ASSERT(lk_flags.max_leaks >= 0);
  for (size_t i = 0; i < NFLAGS; i++)
    if (flag_table[i].type == T_lk_str)
      FUZZ_ASSERT(strlen(*(const char **)flag_table[i].ptr) < sizeof str_pool);
  if (lk_secure && from_env) {
    FUZZ_ASSERT(lk_flags.suppressions == initial.suppressions);
    FUZZ_ASSERT(lk_flags.log_path == initial.log_path);
    FUZZ_ASSERT(lk_flags.external_symbolizer_path ==
                initial.external_symbolizer_path);
  }
  if (data[0] & 4)
    lk_options_print_help();
  free(text);
  return 0;
}
