// C++ (issue 3, "Also"): a std::vector<T*> and a std::unique_ptr member.
// The vector's buffer is reallocated as it grows (libstdc++ relocates the
// pointers with memmove), and erase() shifts the tail down over the erased
// element.  A 101-byte buffer is referenced only from the vector, a
// 104-byte Part only by a unique_ptr member (after a move-assignment between
// widgets); a 203-byte buffer is erased from the vector without delete[],
// so it leaks.  mode=precise must keep the first two and report the third.
//
// No mode=conservative run line: the vector and the unique_ptr hold raw
// pointers, so conservative scanning happens to be right here.
// RUN: %leakcxx -O0 %s -o %t
// RUN: %env_leakcc_opts=mode=precise not %run %t 2>&1 | FileCheck %s
// RUN: %leakcxx -O2 %s -o %t.O2
// RUN: %env_leakcc_opts=mode=precise not %run %t.O2 2>&1 | FileCheck %s
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "Inputs/scrub.h"

__attribute__((noinline)) static char *buffer(size_t n, char c) {
  char *p = new char[n];
  std::memset(p, c, n);
  return p;
}

struct Part {
  char data[104];
  explicit Part(char c) { std::memset(data, c, sizeof data); }
};

struct Widget {
  std::unique_ptr<Part> part;
  std::vector<char *> items;
};

Widget *volatile widget;

__attribute__((noinline)) static std::unique_ptr<Part> make_part(char c) {
  return std::make_unique<Part>(c);
}

__attribute__((noinline)) static void fill(Widget &w) {
  w.items.push_back(buffer(203, 'B'));
  w.items.push_back(buffer(101, 'b'));
  for (int i = 0; i < 20; i++)
    w.items.push_back(nullptr); /* grows: the buffer is reallocated */
  w.items.erase(w.items.begin()); /* not deleted: the leak */
}

__attribute__((noinline)) static void build() {
  Widget scratch;
  scratch.part = make_part('p');
  Widget *w = new Widget;
  w->part = std::move(scratch.part);
  fill(*w);
  widget = w;
}

__attribute__((noinline)) static void show() {
  std::fprintf(stderr, "%zu items, first %c, part %c\n", widget->items.size(),
               widget->items.front()[100], widget->part->data[103]);
}

int main() {
  build();
  show();
  scrub_stack();
  return 0;
}
// CHECK: 21 items, first b, part p
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: Direct leak of 203 byte(s) in 1 object(s)
// CHECK-NOT: leak of {{101|104}} byte
// CHECK: SUMMARY: leakcc: 203 byte(s) leaked in 1 allocation(s).
