/*
 * Fuzz target: the parser of llvm-symbolizer's answers
 * (runtime/symbolize.c, lk_symbolizer_parse).  The answer comes from a
 * child process that may be a different version, a wrapper, or (with
 * LEAKCC_SYMBOLIZER_PATH) any program at all, so any bytes must be safe.
 *
 * Input: byte 0 chooses how many frames may be written (1..LK_MAX_FRAMES);
 * the rest is the answer (as the runtime reads it: NUL-terminated).
 *
 * Promises checked (lk.h): at most max frames, each keeping base's module
 * and offset; a function or file, when known, is a non-empty string with no
 * newline; an unknown file has line and column 0.
 */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  unsigned max = 1 + data[0] % LK_MAX_FRAMES;
  char *answer = malloc(size);
  memcpy(answer, data + 1, size - 1);
  answer[size - 1] = 0;

  lk_frame_info base = {.module = "/fuzz/module", .module_offset = 0x1234};
  lk_frame_info out[LK_MAX_FRAMES + 1];
  memset(out, 0xa5, sizeof out);
  unsigned n = lk_symbolizer_parse(answer, &base, out, max);
  FUZZ_ASSERT(n <= max);
  for (unsigned i = 0; i < n; i++) {
    FUZZ_ASSERT(out[i].module == base.module &&
                out[i].module_offset == base.module_offset);
    FUZZ_ASSERT(!out[i].function ||
                (out[i].function[0] && !strchr(out[i].function, '\n')));
    FUZZ_ASSERT(!out[i].file || (out[i].file[0] && !strchr(out[i].file, '\n')));
    FUZZ_ASSERT(out[i].file || (out[i].line == 0 && out[i].column == 0));
  }
  lk_symbolize_reset();
  free(answer);
  return 0;
}
