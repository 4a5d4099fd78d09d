// LD_PRELOADed: pthread_getattr_np fails in threads other than the main
// one, as it does when it cannot allocate (glibc mallocs in it), so the
// runtime must find a new thread's stack without it.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
int pthread_getattr_np(pthread_t t, pthread_attr_t *a) {
  if (syscall(SYS_gettid) != getpid())
    return ENOMEM;
  int (*real)(pthread_t, pthread_attr_t *) =
      (int (*)(pthread_t, pthread_attr_t *))dlsym(RTLD_NEXT,
                                                  "pthread_getattr_np");
  return real(t, a);
}
