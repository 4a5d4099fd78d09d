/*
 * Static archive only (a shared object may not have .preinit_array): runs
 * lk_init before any constructor of the executable or of the shared
 * libraries it loads, so options, the shadow and the allocator are ready
 * before user code runs.  libleakrt.so relies on its priority-0 constructor
 * and the allocator's lazy lk_init instead.
 *
 * In a dynamically linked program glibc has not yet set environ when
 * preinit functions run, but it passes envp to them: without this, getenv()
 * would return NULL and every LEAKCC_OPTIONS setting would be lost.
 */
#include "lk.h"

#include <unistd.h>

static void lk_preinit(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  if (!environ)
    environ = envp;
  lk_init();
}

__attribute__((section(".preinit_array"), used)) static void (*const lk_preinit_entry)(int, char **, char **) = lk_preinit;
