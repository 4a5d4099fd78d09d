/*
 * Runtime-private memory (lk.h, internal_alloc.c section).
 *
 * The runtime never calls the user-visible malloc for its own data: that
 * would recurse into the allocator it implements and make runtime tables
 * show up as heap blocks.  lk_ialloc serves small requests from power-of-two
 * size classes carved out of 1 MiB slabs (free lists per class, one mutex:
 * these paths are cold), and maps larger ones directly.  Callers pass the
 * size back to lk_ifree, so no header is needed.  The _try forms return
 * NULL when the kernel refuses memory (RLIMIT_AS, vm.max_map_count), for
 * callers that can do without; the others die with an error.
 */
#include "lk.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#define IA_MIN_SHIFT 4                   /* 16-byte granules */
#define IA_MAX_SHIFT 16                  /* up to 64 KiB from slabs */
#define IA_NCLASSES (IA_MAX_SHIFT - IA_MIN_SHIFT + 1)
#define IA_SLAB_SIZE (1u << 20)

/* All state of this file.  lock guards everything but the mmap calls. */
static struct {
  pthread_mutex_t lock;
  void *free_list[IA_NCLASSES]; /* singly linked through the first word */
  char *slab_cur, *slab_end;    /* bump range of the current slab */
  int atfork_registered;
} ia = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Near an address-space limit the shadow's spare mapping is given up for
 * runtime memory (lk_spare_give_up), so that the leak check still runs. */
void *lk_mmap_try(size_t size) {
  for (int attempt = 0;; attempt++) {
    void *p = lk_sys_mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED)
      return p;
    if (attempt || errno != ENOMEM || !lk_spare_give_up(size))
      return NULL;
  }
}

void *lk_mmap(size_t size, const char *what) {
  void *p = lk_mmap_try(size);
  if (!p) {
    lk_error("cannot map %zu bytes for %s: %m", size, what);
    lk_die();
  }
  return p;
}

void lk_munmap(void *p, size_t size) {
  if (lk_sys_munmap(p, size) != 0)
    lk_warn("munmap(%p, %zu) failed: %m", p, size);
}

static size_t page_round(size_t n) {
  return (n + 4095) & ~(size_t)4095;
}

static unsigned class_of(size_t size) {
  if (size <= (1u << IA_MIN_SHIFT))
    return 0;
  return (unsigned)(64 - __builtin_clzll(size - 1)) - IA_MIN_SHIFT;
}

static void ia_lock(void) { pthread_mutex_lock(&ia.lock); }
static void ia_unlock(void) { pthread_mutex_unlock(&ia.lock); }

/* A fork while another thread holds ia.lock must not leave the child's
 * runtime deadlocked; registered on first use (pthread_atfork may call
 * malloc, which never comes back here). */
static void ia_register_atfork(void) {
  if (__atomic_exchange_n(&ia.atfork_registered, 1, __ATOMIC_ACQ_REL))
    return;
  pthread_atfork(ia_lock, ia_unlock, ia_unlock);
}

void lk_ialloc_lock(void) { ia_lock(); }
void lk_ialloc_unlock(void) { ia_unlock(); }

void *lk_ialloc(size_t size) {
  void *p = lk_ialloc_try(size);
  if (!p) {
    lk_error("cannot map memory for %zu bytes of runtime data: %m", size);
    lk_die();
  }
  return p;
}

void *lk_ialloc_try(size_t size) {
  if (size > ((size_t)1 << IA_MAX_SHIFT))
    return lk_mmap_try(page_round(size));
  ia_register_atfork();
  unsigned c = class_of(size);
  size_t csize = (size_t)1 << (c + IA_MIN_SHIFT);
  ia_lock();
  void *p = ia.free_list[c];
  if (p) {
    ia.free_list[c] = *(void **)p;
    ia_unlock();
    memset(p, 0, csize);
    return p;
  }
  if ((size_t)(ia.slab_end - ia.slab_cur) < csize) {
    /* The tail of the old slab is dropped: at most 64 KiB per MiB. */
    char *slab = lk_mmap_try(IA_SLAB_SIZE);
    if (!slab) {
      ia_unlock();
      return NULL;
    }
    ia.slab_cur = slab;
    ia.slab_end = ia.slab_cur + IA_SLAB_SIZE;
  }
  p = ia.slab_cur; /* fresh mmap memory: already zero */
  ia.slab_cur += csize;
  ia_unlock();
  return p;
}

void lk_ifree(void *p, size_t size) {
  if (!p)
    return;
  if (size > ((size_t)1 << IA_MAX_SHIFT)) {
    lk_munmap(p, page_round(size));
    return;
  }
  unsigned c = class_of(size);
  ia_lock();
  *(void **)p = ia.free_list[c];
  ia.free_list[c] = p;
  ia_unlock();
}

void *lk_irealloc(void *p, size_t old_size, size_t new_size) {
  if (!p)
    return lk_ialloc(new_size);
  bool both_small = old_size <= ((size_t)1 << IA_MAX_SHIFT) &&
                    new_size <= ((size_t)1 << IA_MAX_SHIFT);
  if (both_small && class_of(old_size) == class_of(new_size)) {
    if (new_size > old_size) /* keep the "returns zeroed memory" promise */
      memset((char *)p + old_size, 0, new_size - old_size);
    return p;
  }
  void *q = lk_ialloc(new_size);
  memcpy(q, p, old_size < new_size ? old_size : new_size);
  lk_ifree(p, old_size);
  return q;
}

void *lk_igrow(void *array, size_t n, size_t *cap, size_t elt) {
  if (n < *cap)
    return array;
  size_t new_cap = *cap ? 2 * *cap : 16;
  array = lk_irealloc(array, *cap * elt, new_cap * elt);
  *cap = new_cap;
  return array;
}
