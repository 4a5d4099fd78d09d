#!/bin/sh
# Builds each reproducer with leakcc at -O0 -O1 -O2 -O3 and -O2 -flto, runs
# it in mode=precise (MODE=conservative: the other marking) and prints, per
# level, "ok" or the sizes of the blocks that marking gets wrong (FALSE: a
# live block reported, MISSED: a leaked block not reported).  Each
# reproducer says which block sizes are live ("// LIVE: 301 ...") and which
# leak ("// LEAKED: 203 ..."); "// LIB:" names a file to build with plain
# clang and link in.
#
#   test/gen/repro/check.sh [BUILD_DIR] [FILE.c ...]
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../../build}
[ $# -gt 0 ] && shift
files=${*:-$here/*.c}
clang=/usr/lib/llvm-19/bin/clang
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LEAKCC_OPTIONS LSAN_OPTIONS
for f in $files; do
  case $f in */plainlib.c) continue ;; esac
  live=$(sed -n 's|^// LIVE: *||p' "$f")
  leaked=$(sed -n 's|^// LEAKED: *||p' "$f")
  lib=$(sed -n 's|^// LIB: *||p' "$f")
  line=$(printf '%-32s' "$(basename "$f")")
  for opt in O0 O1 O2 O3 O2-flto; do
    flags="-${opt%-flto}"
    [ "$opt" = O2-flto ] && flags="-O2 -flto"
    extra=
    if [ -n "$lib" ]; then
      $clang -O2 -c "$here/$lib" -o "$tmp/lib.o" || exit 2
      extra="$tmp/lib.o"
    fi
    if ! "$build/bin/leakcc" -w $flags "$f" $extra -lpthread -o "$tmp/t" 2>"$tmp/err"; then
      line="$line $(printf '%-8s' "$opt:BUILD")"
      continue
    fi
    LEAKCC_OPTIONS=symbolize=0:mode=${MODE:-precise} "$tmp/t" >/dev/null 2>"$tmp/out"
    sizes=$(sed -n 's/^.*leak of \([0-9]*\) byte(s) in 1 object.*$/\1/p' "$tmp/out")
    bad=
    for s in $live; do
      echo "$sizes" | grep -qx "$s" && bad="$bad FALSE:$s"
    done
    for s in $leaked; do
      echo "$sizes" | grep -qx "$s" || bad="$bad MISSED:$s"
    done
    line="$line $opt:${bad:- ok}"
  done
  echo "$line"
done
