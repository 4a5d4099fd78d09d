// Sound precision (issue 9, mechanism 4): blocks handed to uninstrumented
// code through an allocator callback.  std::pmr::monotonic_buffer_resource
// and std::pmr::unsynchronized_pool_resource are compiled into libstdc++
// (built without leakcc); they get their chunks from a custom upstream
// memory_resource in the program, whose do_allocate mallocs (so the chunks
// are blocks of instrumented code), and chain them and their bookkeeping
// with libstdc++'s own stores.  The program allocates through both, drops
// some of what it allocated (a monotonic resource never frees, a pool keeps
// the memory for reuse) and keeps the resources and a container on each in
// globals until exit: every chunk is live, reachable from a resource, and no
// report may mention upstream_block.  A 99-byte array leaks.  Every build
// must also get the Inputs/sound.h decoys right (keep 120, report 136),
// which conservative marking gets wrong.
// RUN: %leakcxx -O0 %s -o %t.O0
// RUN: not %run %t.O0 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O0 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcxx -O1 %s -o %t.O1
// RUN: not %run %t.O1 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcxx -O2 %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %env_leakcc_opts=mode=conservative not %run %t.O2 2>&1 | FileCheck %s --check-prefix=CONS
// RUN: %leakcxx -O3 %s -o %t.O3
// RUN: not %run %t.O3 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %leakcxx -O2 -flto %s -o %t.lto
// RUN: not %run %t.lto 2>&1 | FileCheck %s --check-prefix=PRECISE
// RUN: %if lsan %{ %lsanxx -O2 %s -o %t.lsan %}
// RUN: %if lsan %{ not %run %t.lsan 2>&1 | FileCheck %s --check-prefix=CONS %}
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory_resource>
#include <string>
#include <vector>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

__attribute__((noinline)) static void *upstream_block(std::size_t bytes,
                                                      std::size_t align) {
  if (align < 16)
    align = 16;
  void *p = std::aligned_alloc(align, (bytes + align - 1) / align * align);
  if (!p)
    std::abort();
  return p;
}

struct Upstream : std::pmr::memory_resource {
  unsigned long n = 0;
  void *do_allocate(std::size_t bytes, std::size_t align) override {
    n++;
    return upstream_block(bytes, align);
  }
  void do_deallocate(void *p, std::size_t, std::size_t) override {
    std::free(p);
  }
  bool do_is_equal(const std::pmr::memory_resource &o) const noexcept override {
    return this == &o;
  }
};

using Strings = std::pmr::vector<std::pmr::string>;

Upstream *volatile upstream;
std::pmr::monotonic_buffer_resource *volatile mono;
std::pmr::unsynchronized_pool_resource *volatile pool;
Strings *volatile on_mono, *volatile on_pool;
char *volatile lost;

__attribute__((noinline)) static void fill(Strings *v, const char *what,
                                           int n) {
  char buf[96];
  for (int i = 0; i < n; i++) {
    std::snprintf(buf, sizeof buf, "%s string %d, long enough for the heap",
                  what, i);
    v->emplace_back(buf);
  }
}

__attribute__((noinline)) static void build() {
  Upstream *up = new Upstream;
  auto *m = new std::pmr::monotonic_buffer_resource(200, up);
  auto *p = new std::pmr::unsynchronized_pool_resource(up);
  /* Allocated and forgotten: only the resources' chunk lists keep these. */
  for (int i = 0; i < 8; i++) {
    std::memset(m->allocate(300 + 100 * i), 'm', 300);
    std::memset(p->allocate(40 + 8 * i), 'p', 40);
  }
  Strings *a = new Strings(m), *b = new Strings(p);
  fill(a, "monotonic", 20);
  fill(b, "pooled", 20);
  upstream = up;
  mono = m;
  pool = p;
  on_mono = a;
  on_pool = b;
  lost = new char[99];
  std::memset(lost, 'l', 99);
  lost = nullptr; /* the leak */
}

__attribute__((noinline)) static void show() {
  std::fprintf(stderr, "%s; %s; %s upstream chunks\n", (*on_mono)[19].c_str(),
               (*on_pool)[0].c_str(), upstream->n > 10 ? "many" : "few");
}

int main() {
  sound_decoys();
  sound_print();
  build();
  show();
  scrub_stack();
  return 0;
}
// PRECISE: hidden
// PRECISE: monotonic string 19, long enough for the heap; pooled string 0, long enough for the heap; many upstream chunks
// PRECISE-NOT: upstream_block
// PRECISE-NOT: leak of 120 byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 99 byte(s) in 1 object(s)
// PRECISE-NOT: upstream_block
// PRECISE-NOT: leak of 120 byte
// PRECISE: SUMMARY: leakcc: 235 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: monotonic string 19, long enough for the heap; pooled string 0, long enough for the heap; many upstream chunks
// CONS-NOT: upstream_block
// CONS-NOT: leak of 136 byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 99 byte(s) in 1 object(s)
// CONS-NOT: upstream_block
// CONS-NOT: leak of 136 byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 219 byte(s) leaked in 2 allocation(s).
