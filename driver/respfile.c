/*
 * Response files (@file).  leakcc keeps "@file" in the command it runs, so
 * clang still reads the file itself; the driver only reads it to classify
 * the invocation (a "-c" or "-shared" hidden in a response file must count).
 */
#include "driver.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_whole_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  if (mem) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
      fwrite(buf, 1, n, mem);
    fclose(mem);
  }
  bool ok = !ferror(f);
  fclose(f);
  if (!ok) {
    free(text);
    return NULL;
  }
  return text;
}

/* Tokens are unquoted in place: each character of a token consumes at least
 * one character of the text, so the write position q never passes the read
 * position p, and the whole file costs one pass and one buffer (the text
 * itself, pushed once on OWNED).  A copy of the rest of the text per token
 * made a 300 000-token file take 36 s and 1.2 GB (issue 13). */
bool lkd_respfile_read(const char *path, struct lkd_strvec *out,
                       struct lkd_strvec *owned) {
  char *text = read_whole_file(path);
  if (!text)
    return false;
  lkd_strvec_push(owned, text);
  char *p = text;
  for (;;) {
    while (isspace((unsigned char)*p))
      p++;
    if (!*p)
      break;
    char *tok = p, *q = p;
    while (*p && !isspace((unsigned char)*p)) {
      if (*p == '\\' && p[1]) {
        *q++ = p[1];
        p += 2;
      } else if (*p == '\'' || *p == '"') {
        char quote = *p++;
        while (*p && *p != quote) {
          if (*p == '\\' && p[1])
            p++;
          *q++ = *p++;
        }
        if (*p)
          p++;
      } else {
        *q++ = *p++;
      }
    }
    /* p is at a blank or the end; step over the blank before the NUL at q
     * can overwrite it (q == p when nothing was unquoted). */
    if (*p)
      p++;
    *q = 0;
    lkd_strvec_push(out, tok);
  }
  return true;
}
