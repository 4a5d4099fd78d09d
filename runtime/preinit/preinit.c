/*
 * Static archive only (a shared object may not have .preinit_array): runs
 * lk_init before any constructor of the executable or of the shared
 * libraries it loads, so options, the shadow and the allocator are ready
 * before user code runs.  libleakrt.so relies on its priority-0 constructor
 * and the allocator's lazy lk_init instead.
 */
#include "lk.h"

__attribute__((section(".preinit_array"), used)) static void (*const lk_preinit)(void) = lk_init;
