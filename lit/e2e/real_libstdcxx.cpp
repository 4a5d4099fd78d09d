// Sound precision (issue 9, mechanism 8): libstdc++, built without leakcc,
// used as programs use it.  The containers' templates are compiled into the
// program, but parts of their work is done out of line in libstdc++.so:
// std::map's red-black rebalancing and std::list's hooking write the node
// links, std::string's out-of-line members write the buffer pointer of the
// explicitly instantiated std::string.  Containers kept in globals until
// exit hold blocks from malloc: a vector (40-byte blocks), a map (56), an
// unordered_map with string keys (64), a list (72), shared_ptrs to 88-byte
// objects, a std::function whose heap-stored lambda holds a 96-byte block,
// and 100-character strings appended to in place.  All of that is live.  A
// list holding a 99-byte block is cleared without freeing it: the leak.
// Every build must also get the Inputs/sound.h decoys right (keep 120,
// report 136), which conservative marking gets wrong.
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
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "Inputs/scrub.h"
#include "Inputs/sound.h"

struct Obj {
  char name[88];
};

struct State {
  std::vector<char *> vec;
  std::map<int, char *> map;
  std::unordered_map<std::string, char *> umap;
  std::list<char *> list;
  std::vector<std::shared_ptr<Obj>> shared;
  std::function<const char *()> fn;
  std::string strings[3];
};

State *volatile state;

__attribute__((noinline)) static char *block(std::size_t size, const char *s) {
  char *p = static_cast<char *>(std::malloc(size));
  std::memset(p, 0, size);
  std::snprintf(p, size, "%s", s);
  return p;
}

__attribute__((noinline)) static void fill(State *st) {
  char name[32];
  for (int i = 0; i < 6; i++) {
    std::snprintf(name, sizeof name, "v%d", i);
    st->vec.push_back(block(40, name));
    std::snprintf(name, sizeof name, "m%d", i);
    st->map[(i * 5) % 6] = block(56, name);
    std::snprintf(name, sizeof name, "unordered key number %d", i);
    st->umap[name] = block(64, name);
    std::snprintf(name, sizeof name, "l%d", i);
    if (i % 2)
      st->list.push_back(block(72, name));
    else
      st->list.push_front(block(72, name));
    auto obj = std::make_shared<Obj>();
    std::snprintf(obj->name, sizeof obj->name, "s%d", i);
    st->shared.push_back(obj);
  }
  char *captured = block(96, "captured");
  long a = 1, b = 2, c = 3; /* too big for std::function's local buffer */
  st->fn = [captured, a, b, c]() -> const char * {
    return a + b + c == 6 ? captured : "";
  };
  for (int i = 0; i < 3; i++) {
    st->strings[i].assign(60, char('a' + i));
    st->strings[i].append(40, char('A' + i)); /* 100 characters */
  }
}

__attribute__((noinline)) static void lose() {
  std::list<char *> scratch;
  scratch.push_back(block(99, "lost"));
  scratch.clear(); /* the element is not freed: the leak */
}

__attribute__((noinline)) static void build() {
  State *st = new State;
  fill(st);
  lose();
  state = st;
}

__attribute__((noinline)) static void show() {
  State *st = state;
  std::fprintf(stderr, "%s %s %s %s %s %s %s %s %zu\n", st->vec[5],
               st->map.begin()->second, st->map.rbegin()->second,
               st->umap["unordered key number 3"], st->list.front(),
               st->shared[4]->name, st->fn(), st->strings[2].c_str() + 98,
               st->strings[0].size());
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
// PRECISE: v5 m0 m1 unordered key number 3 l4 s4 captured CC 100
// PRECISE-NOT: leak of {{40|56|64|72|96|120}} byte
// PRECISE-DAG: Direct leak of 136 byte(s) in 1 object(s)
// PRECISE-DAG: Direct leak of 99 byte(s) in 1 object(s)
// PRECISE-NOT: leak of {{40|56|64|72|96|120}} byte
// PRECISE: SUMMARY: leakcc: 235 byte(s) leaked in 2 allocation(s).

// CONS: hidden
// CONS: v5 m0 m1 unordered key number 3 l4 s4 captured CC 100
// CONS-NOT: leak of {{40|56|64|72|96|136}} byte
// CONS-DAG: Direct leak of 120 byte(s) in 1 object(s)
// CONS-DAG: Direct leak of 99 byte(s) in 1 object(s)
// CONS-NOT: leak of {{40|56|64|72|96|136}} byte
// CONS: SUMMARY: {{leakcc|LeakSanitizer}}: 219 byte(s) leaked in 2 allocation(s).
