#!/bin/sh
# Builds real Debian source packages unchanged with leakcc and with plain
# clang, runs their own tests and a workload with every build, and reports
# whether each build works, behaves the same as the plain one, and which
# leak reports it printed.  See README.md beside this file for the
# environment variables, the layout of the work directory and the package
# recipe interface.
#
#   bench/real/run.sh                  # zlib and lua5.4, default settings
#   LEAKCC=/opt/leakcc/bin/leakcc REAL_PACKAGES="lua5.4" bench/real/run.sh
#
# Exit status: 0 when every build succeeded and every build behaved as the
# plain one; 1 otherwise (leak reports alone do not fail the run: each one
# must be explained, not hidden).
set -u

REAL_HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$REAL_HERE/../.." && pwd)
. "$REAL_HERE/lib.sh"

REAL_PACKAGES=${REAL_PACKAGES:-zlib lua5.4}
REAL_VARIANTS=${REAL_VARIANTS:-plain leakcc lsan}
REAL_JOBS=${REAL_JOBS:-2}
REAL_LEAKCC_OPTIONS=${REAL_LEAKCC_OPTIONS:-}
REAL_WRAP=
export REAL_HERE REAL_WORK REAL_JOBS

# with_opts PHASE CMD...: runs CMD (a program or a recipe function) in a
# subshell with the variant's options variable exported, so that reports go
# to $LOGS/PHASE/leak.PID, never into the output.  $LOGS/PHASE/options
# records the setting used.
with_opts() (
  _phase=$1; shift
  mkdir -p "$LOGS/$_phase" || exit 1
  unset LEAKCC_OPTIONS LSAN_OPTIONS
  if [ -n "$OPTVAR" ]; then
    _o="log_path=$LOGS/$_phase/leak${OPTS:+:$OPTS}"
    printf '%s=%s\n' "$OPTVAR" "$_o" > "$LOGS/$_phase/options"
    export "$OPTVAR=$_o"
  elif [ -n "$WRAP" ]; then
    REAL_WRAP="$WRAP --log-file=$LOGS/$_phase/leak.%p"
    printf '%s\n' "$REAL_WRAP" > "$LOGS/$_phase/options"
  fi
  "$@"
)

# run_variant PKG V: builds PKG for variant V, runs its tests (unless V
# wraps commands) and its workload, and writes $REAL_WORK/PKG/result.V.
run_variant() {
  p=$1 v=$2
  variant_setup "$v" || return 1
  LOGS=$REAL_WORK/$p/logs/$v
  REAL_OUT=$REAL_WORK/$p/out/$v
  rm -rf "$LOGS" "$REAL_OUT" && mkdir -p "$LOGS" "$REAL_OUT"
  export REAL_OUT REAL_DATA=$REAL_WORK/$p/data
  res=$REAL_WORK/$p/result.$v
  : > "$res"
  start=$(date +%s)
  tree=$(real_copy "$p" "$v") || return 1
  real_log "$p/$v: building with CC='$CC'"
  # WRAP applies to the workload only: the build and tests run bare.
  (cd "$tree" && WRAP= with_opts build pkg_build "$CC" "$CXX") > "$LOGS/build.log" 2>&1
  echo "build $?" >> "$res"
  if ! grep -q '^build [1-9]' "$res"; then
    if [ -z "$WRAP" ]; then
      real_log "$p/$v: package tests"
      (cd "$tree" && REAL_OUT=$REAL_OUT/check && mkdir -p "$REAL_OUT" \
         && with_opts check real_run check pkg_check)
      echo "check $?" >> "$res"
      # make prints the directory it enters; make that comparable.
      sed -i "s|$tree|@TREE@|g" "$REAL_OUT/check/check.out" "$REAL_OUT/check/check.err"
    fi
    real_log "$p/$v: workload"
    (cd "$tree" && with_opts workload pkg_workload)
    echo "workload $?" >> "$res"
  fi
  echo "seconds $(($(date +%s) - start))" >> "$res"
  echo "leaks $(real_leaks "$LOGS")" >> "$res"
  # Compare with the plain build's outputs when both workloads ran.
  if [ "$v" != plain ] && grep -q '^workload ' "$res" \
     && grep -q '^workload ' "$REAL_WORK/$p/result.plain" 2>/dev/null; then
    if [ -n "$WRAP" ]; then
      # Only the workload ran; memcheck writes nothing into its output.
      diff -r "$REAL_WORK/$p/out/plain" "$REAL_OUT" -x check > "$LOGS/diff" 2>&1
    else
      diff -r "$REAL_WORK/$p/out/plain" "$REAL_OUT" > "$LOGS/diff" 2>&1
    fi
    echo "same $?" >> "$res"
  fi
}

# run_package PKG: fetches PKG, makes its inputs once, runs each variant.
run_package() {
  p=$1
  [ -f "$REAL_HERE/pkg/$p.sh" ] || { real_log "error: no recipe $REAL_HERE/pkg/$p.sh"; return 1; }
  (
    . "$REAL_HERE/pkg/$p.sh"
    real_fetch "$p" || exit 1
    rm -rf "$REAL_WORK/$p/data" && mkdir -p "$REAL_WORK/$p/data" || exit 1
    pkg_data "$REAL_WORK/$p/data" || { real_log "error: $p: making workload inputs failed"; exit 1; }
    for v in $REAL_VARIANTS; do
      run_variant "$p" "$v" || exit 1
    done
  )
}

# field FILE KEY: the value recorded for KEY, or "-".
field() { sed -n "s/^$2 //p" "$1" 2>/dev/null | head -n 1 | grep . || echo -; }

# status_cell VALUE: "ok" for 0, "FAIL (N)" otherwise, "-" when not run.
status_cell() {
  case $1 in -) echo - ;; 0) echo ok ;; *) echo "FAIL ($1)" ;; esac
}

summary() {
  echo "| package | variant | build | tests | workload | same as plain | leak reports (processes / records / bytes) | time |"
  echo "|---|---|---|---|---|---|---|---|"
  for p in $REAL_PACKAGES; do
    for v in $REAL_VARIANTS; do
      r=$REAL_WORK/$p/result.$v
      [ -f "$r" ] || { echo "| $p | $v | not run | | | | | |"; continue; }
      set -- $(field "$r" leaks)
      case $(field "$r" same) in 0) same=yes ;; -) same=- ;; *) same="NO (see $p/logs/$v/diff)" ;; esac
      leaks="${1:-0} / ${2:-0} / ${3:-0}"
      [ "${4:-0}" = 0 ] || leaks="$leaks, +$4 other reports"
      [ "$v" = plain ] && leaks=-
      echo "| $p | $v | $(status_cell "$(field "$r" build)") | $(status_cell "$(field "$r" check)")" \
           "| $(status_cell "$(field "$r" workload)") | $same | $leaks | $(field "$r" seconds)s |"
    done
  done
}

REAL_SUMMARY_ONLY=${REAL_SUMMARY_ONLY:-0}
[ "$REAL_SUMMARY_ONLY" = 1 ] && { summary; exit 0; }
real_ensure_apt || exit 1
mkdir -p "$REAL_WORK" || exit 1
case $REAL_VARIANTS in *leakcc*)
  [ -x "$LEAKCC" ] || command -v "$LEAKCC" >/dev/null 2>&1 || {
    real_log "error: no leakcc driver at '$LEAKCC' (set LEAKCC=/path/to/bin/leakcc)"; exit 1; } ;;
esac
case $REAL_VARIANTS in *valgrind*)
  command -v valgrind >/dev/null 2>&1 || {
    real_log "error: the valgrind variant needs valgrind (apt-get install valgrind)"; exit 1; } ;;
esac

failed=0
for p in $REAL_PACKAGES; do
  run_package "$p" || failed=1
done
summary | tee "$REAL_WORK/summary.md"
echo
echo "Logs and leak reports: $REAL_WORK/PKG/logs/VARIANT/{build.log,build,check,workload}/"
grep -q '^\(build\|check\|workload\) [1-9]\|^same [1-9]' "$REAL_WORK"/*/result.* 2>/dev/null && failed=1
exit "$failed"
