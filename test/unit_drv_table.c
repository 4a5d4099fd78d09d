/* Unit test of the driver's option table (driver/options.c): sorted with
 * unique names (lookups are a binary search), flags consistent, and lookups
 * resolve exact names and joined values the way clang's parser does. */
#include "driver.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *found(const char *arg) {
  const struct lkd_option *o = lkd_option_find(arg);
  return o ? o->name : "(none)";
}

int main(void) {
  CHECK(lkd_num_options > 50);
  for (size_t i = 1; i < lkd_num_options; i++)
    if (strcmp(lkd_options[i - 1].name, lkd_options[i].name) >= 0) {
      printf("FAIL: table not sorted or duplicate at %s, %s\n",
             lkd_options[i - 1].name, lkd_options[i].name);
      failures++;
    }
  for (size_t i = 0; i < lkd_num_options; i++) {
    const struct lkd_option *o = &lkd_options[i];
    CHECK(o->name[0] == '-');
    /* Phase options never take values; options with values are not phases. */
    if (o->flags & LKD_STOPS_BEFORE_LINK)
      CHECK(!(o->flags & (LKD_TAKES_ARG | LKD_TAKES_CONCAT_ARG)));
    CHECK(((o->flags & LKD_STOPS_BEFORE_LINK) != 0) ==
          (o->effect >= LKD_FX_PREPROCESS && o->effect <= LKD_FX_OBJECT));
  }

  /* Exact names. */
  CHECK(strcmp(found("-o"), "-o") == 0);
  CHECK(strcmp(found("-c"), "-c") == 0);
  CHECK(strcmp(found("-###"), "-###") == 0);
  CHECK(strcmp(found("-include-pch"), "-include-pch") == 0);
  CHECK(strcmp(found("-gcc-toolchain"), "-gcc-toolchain") == 0);
  CHECK(strcmp(found("-static-pie"), "-static-pie") == 0);
  CHECK(strcmp(found("-ObjC"), "-ObjC") == 0);
  /* Joined values: the longest prefix with LKD_TAKES_CONCAT_ARG. */
  CHECK(strcmp(found("-ofoo"), "-o") == 0);
  CHECK(strcmp(found("-I/usr/include"), "-I") == 0);
  CHECK(strcmp(found("-includeconfig.h"), "-include") == 0);
  CHECK(strcmp(found("-isystem/x"), "-isystem") == 0);
  CHECK(strcmp(found("-MFdeps.d"), "-MF") == 0);
  CHECK(strcmp(found("-O2"), "-O") == 0);
  CHECK(strcmp(found("-g3"), "-g") == 0);
  CHECK(strcmp(found("-Wl,--as-needed"), "-Wl,") == 0);
  CHECK(strcmp(found("-fsanitize=address"), "-fsanitize=") == 0);
  CHECK(strcmp(found("-fno-sanitize=all"), "-fno-sanitize=") == 0);
  CHECK(strcmp(found("-xc++"), "-x") == 0);
  /* Options that are not in the table, and ones that only look alike. */
  CHECK(lkd_option_find("-Wall") == NULL);
  CHECK(lkd_option_find("-MD") == NULL);
  CHECK(lkd_option_find("-MMD") == NULL);
  CHECK(lkd_option_find("-fPIC") == NULL);
  CHECK(lkd_option_find("-rdynamic") == NULL);     /* not "-r" */
  CHECK(lkd_option_find("-shared-libgcc") == NULL); /* not "-shared" */
  CHECK(lkd_option_find("-static-libgcc") == NULL);
  CHECK(lkd_option_find("-cfoo") == NULL);          /* "-c" takes no value */
  CHECK(lkd_option_find("-Eonly") == NULL);

  if (failures)
    printf("%d failure(s)\n", failures);
  else
    printf("unit_drv_table: ok (%zu options)\n", lkd_num_options);
  return failures != 0;
}
