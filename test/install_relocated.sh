#!/bin/sh
# Installs the build tree into a prefix, moves the prefix elsewhere, and
# checks the moved tree is complete and works: the drivers find the plugin
# and runtime relative to themselves, a leaking C and C++ program report,
# and the shared runtime links with -lleakrt.
#   install_relocated.sh BUILD_DIR
set -eu
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/first" >/dev/null
mv "$tmp/first" "$tmp/moved"
p=$tmp/moved
libdir=$(dirname "$(find "$p" -name leakpass.so)")
for f in bin/leakcc bin/leakc++ include/leakcc/leakcc.h include/leakcc/abi.h \
         share/man/man1/leakcc.1; do
  [ -e "$p/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
for f in leakpass.so libleakrt.a libleakrt.so; do
  [ -e "$libdir/$f" ] || { echo "FAIL: $libdir/$f not installed"; exit 1; }
done

cat > "$tmp/leak.c" <<'SRC'
#include <stdlib.h>
void *volatile sink;
int main(void) { sink = malloc(7); sink = 0; return 0; }
SRC
cat > "$tmp/leak.cpp" <<'SRC'
int *volatile sink;
int main() { sink = new int[3]; sink = nullptr; return 0; }
SRC

expect_leak() { # NAME BYTES: run $tmp/NAME, expect status 23 and the report
  status=0
  "$tmp/$1" > "$tmp/$1.out" 2>&1 || status=$?
  if [ "$status" -ne 23 ] || ! grep -q "Direct leak of $2 byte(s) in 1 object(s)" "$tmp/$1.out"; then
    echo "FAIL: $1 exited $status; output:"; cat "$tmp/$1.out"; exit 1
  fi
}
"$p/bin/leakcc" -g "$tmp/leak.c" -o "$tmp/c"
expect_leak c 7
"$p/bin/leakc++" -g "$tmp/leak.cpp" -o "$tmp/cxx"
expect_leak cxx 12
"$p/bin/leakcc" -g -c "$tmp/leak.c" -o "$tmp/leak.o"
cc "$tmp/leak.o" -L"$libdir" -lleakrt -Wl,-rpath,"$libdir" -o "$tmp/shared"
expect_leak shared 7
echo "PASS: installed tree works after moving to $p"
