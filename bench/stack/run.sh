#!/bin/sh
# Stack use per recursion level, plain clang-19 against leakcc (issue 13,
# F8).  Builds bench/stack/fns.c plain (default flags, and with
# -fno-omit-frame-pointer, which the leakcc driver always adds) and with
# leakcc at -O0 and -O2; harness.c (always plain) measures the distance
# between probe()'s frame at two recursion depths.  Prints bytes per level
# and ratios, with their medians.
#   bench/stack/run.sh [BUILD_DIR]     (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
CC=${CC:-clang-19}
LEAKCC=${LEAKCC:-$build/bin/leakcc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fns="rec rec_locals walk destroy parse quicksort"

$CC -O2 -c "$here/harness.c" -o "$out/harness.o"
for opt in O0 O2; do
  $CC -$opt -c "$here/fns.c" -o "$out/plain-$opt.o"
  $CC -$opt -fno-omit-frame-pointer -c "$here/fns.c" -o "$out/plainfp-$opt.o"
  $LEAKCC -$opt -c "$here/fns.c" -o "$out/leakcc-$opt.o"
  $CC "$out/harness.o" "$out/plain-$opt.o" -o "$out/plain-$opt"
  $CC "$out/harness.o" "$out/plainfp-$opt.o" -o "$out/plainfp-$opt"
  $LEAKCC "$out/harness.o" "$out/leakcc-$opt.o" -o "$out/leakcc-$opt"
  for v in plain plainfp leakcc; do
    LEAKCC_OPTIONS=detect_leaks=0 "$out/$v-$opt" $fns > "$out/$v-$opt.txt"
  done
done

# One row per function and level: bytes per level of each build, and the
# ratios leakcc/plain and leakcc/plain -fno-omit-frame-pointer.
for opt in O0 O2; do
  paste "$out/plain-$opt.txt" "$out/plainfp-$opt.txt" "$out/leakcc-$opt.txt" |
    awk -v opt=$opt '{ print opt, $1, $2, $4, $6 }'
done | awk '
function median(a, n,   i, j, t) {
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
BEGIN {
  printf "%-4s %-11s %8s %10s %8s %12s %14s\n", "opt", "function", "plain", "plain+fp", "leakcc", "leakcc/plain", "leakcc/plain+fp"
}
{
  r1 = $3 > 0 ? $5 / $3 : 0; r2 = $4 > 0 ? $5 / $4 : 0
  printf "%-4s %-11s %8.1f %10.1f %8.1f %11.2fx %14.2fx\n", $1, $2, $3, $4, $5, r1, r2
  n[$1]++; a1[$1, n[$1]] = r1; a2[$1, n[$1]] = r2
}
END {
  for (o = 0; o <= 2; o += 2) {
    opt = "O" o
    for (i = 1; i <= n[opt]; i++) { x[i] = a1[opt, i]; y[i] = a2[opt, i] }
    printf "%-4s %-11s %8s %10s %8s %11.2fx %14.2fx\n", opt, "median", "", "", "", median(x, n[opt]), median(y, n[opt])
  }
}'
