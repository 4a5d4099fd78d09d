/*
 * Fuzz target: the suppressions parser and matcher (runtime/suppress.c:
 * lk_suppressions_parse, lk_template_match, lk_suppression_match), which
 * read suppressions files and __lsan_default_suppressions().
 *
 * Input: byte 0 chooses secure mode (bit 0) and verbosity (bit 1); the
 * rest is the file's text up to the first NUL, then a name that every rule
 * is matched against (as a function, file and module name).  suppress.c is
 * included, not linked, so that its rules are freed after every input.  A
 * malformed line ends in lk_die(), which fuzz_stubs.c turns into a return
 * here: a correct outcome.
 *
 * Promises checked: every rule kept is a non-empty, one-line pattern, and
 * matching never reads outside the strings (AddressSanitizer).
 */
#include "fuzz.h"

#include <string.h>

#include "suppress.c"

/* lk_suppression_match symbolizes each frame: here one frame named after
 * the input's subject. */
static const char *subject;

unsigned lk_symbolize(uintptr_t pc, lk_frame_info *out, unsigned max) {
  (void)pc;
  if (max == 0)
    return 0;
  out[0] = (lk_frame_info){.function = subject, .file = subject,
                           .line = 1, .module = "/fuzz/module"};
  return 1;
}

static void reset(void) {
  for (size_t i = 0; i < supp.n; i++)
    lk_ifree((void *)supp.rules[i].templ, strlen(supp.rules[i].templ) + 1);
  lk_ifree(supp.rules, supp.cap * sizeof *supp.rules);
  memset(&supp, 0, sizeof supp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  lk_secure = data[0] & 1;
  lk_flags.verbosity = (data[0] & 2) ? 1 : 0;
  char *text = malloc(size);
  memcpy(text, data + 1, size - 1);
  text[size - 1] = 0;
  size_t text_len = strlen(text);
  subject = text_len + 1 < size - 1 ? text + text_len + 1 : "main";

  jmp_buf die;
  if (setjmp(die) == 0) {
    lk_fuzz_die = &die;
    lk_suppressions_parse(text, "fuzz.supp");
  }
  lk_fuzz_die = NULL;

  for (size_t i = 0; i < supp.n; i++) {
    const char *t = supp.rules[i].templ;
    FUZZ_ASSERT(t[0] != 0 && !strchr(t, '\n'));
    if (lk_template_match(t, subject))
      supp.rules[i].hit_count++;
  }
  struct __leakcc_site site = {.file = subject, .function = subject};
  lk_stack *st = malloc(sizeof *st + 2 * sizeof st->frames[0]);
  *st = (lk_stack){.site = &site, .nframes = 2};
  st->frames[0] = 0x1001;
  st->frames[1] = 0;
  lk_suppression *r = lk_suppression_match(st);
  free(st);
  if (r) {
    FUZZ_ASSERT(r >= supp.rules && r < supp.rules + supp.n);
    r->hit_bytes += 8;
  }
  lk_suppressions_print_used();
  reset();
  free(text);
  return 0;
}
