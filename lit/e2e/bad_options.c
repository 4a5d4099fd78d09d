// Bad options never stop the program: an unknown name, a malformed value, a
// missing value or a bad enum value each give one warning naming the entry,
// the rest of the option string still applies, and help=1 lists the options
// before the program runs.  A suppressions file that is not there does not
// stop it either (bad_suppressions.c): the leak check reports it.
// RUN: %leakcc -O0 %s -o %t
// RUN: %env_leakcc_opts=no_such_option=1 %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,UNKNOWN
// RUN: env LSAN_OPTIONS=no_such_option=1 %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,UNKNOWN
// RUN: %env_leakcc_opts=exitcode=abc %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,BADINT
// RUN: %env_leakcc_opts=detect_leaks=maybe %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,BADBOOL
// RUN: %env_leakcc_opts=report_objects %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,NOVALUE
// RUN: %env_leakcc_opts=mode=telepathic %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,BADMODE
// RUN: %env_leakcc_opts=max_leaks=-3 %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,NEGATIVE
// RUN: %env_leakcc_opts=marker_threads=-2 %run %t 2>&1 | FileCheck %s --check-prefixes=RAN,MARKERS
// RUN: %env_leakcc_opts=suppressions=/no/such/file.supp sh -c '%run %t; echo "status=$?"' 2>&1 | FileCheck %s --check-prefixes=RAN,NOFILE
// RUN: %env_leakcc_opts="=:::,,bogus=:exitcode=" %run %t 2>&1 | FileCheck %s --check-prefix=RAN
// RUN: %env_leakcc_opts=bogus=1:exitcode=33 sh -c '%run %t leak; echo "status=$?"' 2>&1 | FileCheck %s --check-prefix=REST
// RUN: %env_leakcc_opts=help=1 %run %t 2>&1 | FileCheck %s --check-prefixes=HELP,RAN
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/scrub.h"

void *volatile sink;

int main(int argc, char **argv) {
  fprintf(stderr, "program ran\n");
  sink = malloc(8);
  if (argc < 2)
    free(sink);
  sink = NULL;
  scrub_stack();
  return 0;
}
// UNKNOWN: leakcc: warning: unknown option 'no_such_option'
// BADINT: leakcc: warning: {{.*}}'exitcode=abc'
// BADBOOL: leakcc: warning: {{.*}}'detect_leaks=maybe'
// NOVALUE: leakcc: warning: {{.*}}'report_objects'
// BADMODE: leakcc: warning: {{.*}}'mode=telepathic'
// NEGATIVE: leakcc: warning: {{.*}}'max_leaks=-3'
// MARKERS: leakcc: warning: {{.*}}'marker_threads=-2'
// HELP-DAG: detect_leaks
// HELP-DAG: exitcode
// HELP-DAG: suppressions
// HELP-DAG: report_objects
// HELP-DAG: max_leaks
// HELP-DAG: log_path
// HELP-DAG: malloc_context_size
// RAN: program ran
// RAN-NOT: ERROR: leakcc
// NOFILE: leakcc: error: suppressions file '/no/such/file.supp' could not be read
// NOFILE: status=1

// REST: leakcc: warning: unknown option 'bogus'
// REST: program ran
// REST: Direct leak of 8 byte(s)
// REST: status=33
