// log_path survives a program that owns its descriptors: a daemon that closes
// every descriptor and reopens the number for its own file gets no report in
// that file (the report still goes to PATH.PID), and a forked child reports to
// its own PATH.CHILDPID instead of its parent's file.
// RUN: %leakcc -O0 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %env_leakcc_opts=log_path=%t.dir/report not %run %t %t.dir/user.txt
// RUN: FileCheck %s --check-prefix=USER < %t.dir/user.txt
// RUN: ls %t.dir | FileCheck %s --check-prefix=NAMES
// RUN: grep -H -e ERROR -e "leak of" %t.dir/report.* | FileCheck %s
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/scrub.h"

void *volatile sink;

__attribute__((noinline)) static void leak(size_t n) {
  sink = malloc(n);
  sink = NULL;
}

int main(int argc, char **argv) {
  for (int fd = 3; fd < 1024; fd++) /* a daemon's start-up */
    close(fd);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, "user data\n", 10) != 10)
    return 1;
  pid_t pid = fork();
  if (pid < 0)
    return 1;
  leak(pid == 0 ? 11 : 22);
  scrub_stack();
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return 0;
}
// USER: user data
// USER-NOT: leak

// NAMES: report.{{[0-9]+}}
// NAMES-NEXT: report.{{[0-9]+}}
// NAMES-NEXT: user.txt

// Each file holds one report, of the process its name says, with its leak.
// CHECK: report.[[P1:[0-9]+]]:==[[P1]]==ERROR: leakcc: detected memory leaks
// CHECK-NEXT: report.[[P1]]:Direct leak of {{11|22}} byte(s)
// CHECK-NEXT: report.[[P2:[0-9]+]]:==[[P2]]==ERROR: leakcc: detected memory leaks
// CHECK-NEXT: report.[[P2]]:Direct leak of {{11|22}} byte(s)
// CHECK-NOT: report
