/*
 * leakcc public interface.
 *
 * Programs built with leakcc may use LeakSanitizer's interface unchanged
 * (#include <sanitizer/lsan_interface.h>, shipped with clang); this header
 * declares the same functions for code that wants no clang-specific include,
 * plus leakcc's own additions.  All functions are provided by libleakrt.
 */
#ifndef LEAKCC_LEAKCC_H
#define LEAKCC_LEAKCC_H

#include <stddef.h>

#define LEAKCC_VERSION_MAJOR 0
#define LEAKCC_VERSION_MINOR 1

#ifdef __cplusplus
extern "C" {
#endif

/* LeakSanitizer interface (<sanitizer/lsan_interface.h>). */
void __lsan_disable(void);
void __lsan_enable(void);
void __lsan_ignore_object(const void *p);
void __lsan_register_root_region(const void *p, size_t size);
void __lsan_unregister_root_region(const void *p, size_t size);
void __lsan_do_leak_check(void);
int __lsan_do_recoverable_leak_check(void);
/* Hooks the program may define. */
int __lsan_is_turned_off(void);
const char *__lsan_default_options(void);
const char *__lsan_default_suppressions(void);

#ifdef __cplusplus
} /* extern "C" */

namespace __lsan {
/* Allocations made while an instance lives are never reported. */
class ScopedDisabler {
public:
  ScopedDisabler() { __lsan_disable(); }
  ~ScopedDisabler() { __lsan_enable(); }
};
} /* namespace __lsan */
#endif

#endif /* LEAKCC_LEAKCC_H */
