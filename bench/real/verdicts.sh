#!/bin/sh
# Leak verdicts of issue 3 on the real packages: each package is built with
# leakcc and with clang -fsanitize=leak, its own tests (pkg_check) and its
# workload (pkg_workload) run three times -- leakcc mode=precise, leakcc
# mode=conservative, LSan -- and the leak reports are compared block by
# block.  The markdown goes to stdout and to REAL_VERDICTS_OUT: a summary
# table, then per package the counts of each run and the blocks (phase,
# allocation stack's top frames, size) that one run reported and another
# did not.  Every run uses report_objects=1 (sizes per object) and
# exitcode=0, so that a leak report never changes what a test suite runs
# next and the three runs execute the same processes.
#
#   bench/real/verdicts.sh                          # all six packages
#   REAL_PACKAGES="zlib jq" bench/real/verdicts.sh
#   REAL_REUSE=1 bench/real/verdicts.sh             # keep unchanged builds
#   REAL_SUMMARY_ONLY=1 bench/real/verdicts.sh      # re-read the last run's logs
#
# Environment (lib.sh's LEAKCC, LEAKCXX, PLAIN_CC, PLAIN_CXX and REAL_WORK
# too; README.md describes the recipes):
#   REAL_PACKAGES         [zlib lua5.4 jq sqlite3 gawk libxml2]
#   REAL_PARALLEL         packages processed at once [2]
#   REAL_JOBS             make -j of each build [2 / REAL_PARALLEL, at least 1]
#   REAL_REUSE=1          keep a build whose compiler (and, for leakcc, the
#                         driver, plugin and runtime bytes) did not change [0]
#   REAL_LEAKCC_OPTIONS   added to the options of both leakcc runs []
#   REAL_VERDICTS_FRAMES  top frames that identify an allocation stack [3]
#   REAL_VERDICTS_LIST    blocks listed per difference in the markdown [15]
#   REAL_VERDICTS_OUT     where the markdown goes [bench/real/verdicts.md]
#
# Work directory: $REAL_WORK/verdicts/PKG/{build-leakcc,build-lsan__,data,
# logs/RUN/{check,workload}/leak.PID, out/RUN, objects.RUN, diff/}; RUN is
# precise, conservative or lsan; objects.RUN has one line per leaked object
# (leaks.awk), diff/A-not-B.tsv every difference (verdicts.awk).
# Exit status: 1 when a build failed or the runs could not be compared.
# Leak reports, differing verdicts and failing tests do not fail the run:
# they are what it reports.
set -u

REAL_HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$REAL_HERE/../.." && pwd)
. "$REAL_HERE/lib.sh"

REAL_PACKAGES=${REAL_PACKAGES:-zlib lua5.4 jq sqlite3 gawk libxml2}
REAL_PARALLEL=${REAL_PARALLEL:-2}
REAL_JOBS=${REAL_JOBS:-$((REAL_PARALLEL < 2 ? 2 : 1))}
REAL_REUSE=${REAL_REUSE:-0}
REAL_LEAKCC_OPTIONS=${REAL_LEAKCC_OPTIONS:-}
REAL_VERDICTS_FRAMES=${REAL_VERDICTS_FRAMES:-3}
REAL_VERDICTS_LIST=${REAL_VERDICTS_LIST:-15}
REAL_VERDICTS_OUT=${REAL_VERDICTS_OUT:-$REAL_HERE/verdicts.md}
REAL_SUMMARY_ONLY=${REAL_SUMMARY_ONLY:-0}
REAL_WRAP=
V=$REAL_WORK/verdicts
RUNS="precise conservative lsan"
export REAL_HERE REAL_WORK REAL_JOBS REAL_WRAP

# build_of RUN: the build RUN uses.
build_of() { case $1 in lsan) echo lsan ;; *) echo leakcc ;; esac; }

# tree_of B: the directory of build B.  Both names have the same length:
# paths end up in leaked strings (jq's tests leak strings that hold the
# build directory), and a block's identity includes its size.
tree_of() { echo "$V/$1/build-$(printf '%-6s' "$2" | tr ' ' _)"; }

# run_options RUN: the tool's options of RUN, without log_path.
run_options() {
  case $1 in
    precise|conservative) echo "mode=$1:report_objects=1:exitcode=0${REAL_LEAKCC_OPTIONS:+:$REAL_LEAKCC_OPTIONS}" ;;
    lsan) echo "report_objects=1:exitcode=0" ;;
  esac
}

# build PKG B: build_tree (lib.sh) into tree_of PKG B.
build() {
  build_tree "$1" "$2" "$(tree_of "$1" "$2")" "$V/$1/build-$2.log"
}

# run_phase PKG RUN PHASE CMD...: runs CMD (a recipe function) in PKG's
# build for RUN with RUN's options, reports into logs/RUN/PHASE/leak.PID,
# outputs into out/RUN/PHASE; records "PHASE STATUS" in status.RUN.
run_phase() {
  _p=$1 _r=$2 _ph=$3; shift 3
  _logs=$V/$_p/logs/$_r/$_ph
  rm -rf "$_logs" "$V/$_p/out/$_r/$_ph" && mkdir -p "$_logs" "$V/$_p/out/$_r/$_ph" || return 1
  case $_r in lsan) _var=LSAN_OPTIONS ;; *) _var=LEAKCC_OPTIONS ;; esac
  (
    unset LEAKCC_OPTIONS LSAN_OPTIONS ASAN_OPTIONS
    export "$_var=log_path=$_logs/leak:$(run_options "$_r")"
    export REAL_OUT="$V/$_p/out/$_r/$_ph" REAL_DATA="$V/$_p/data"
    . "$REAL_HERE/pkg/$_p.sh" && cd "$(tree_of "$_p" "$(build_of "$_r")")" && "$@"
  ) >> "$V/$_p/run-$_r.log" 2>&1
  echo "$_ph $?" >> "$V/$_p/status.$_r"
}

# package PKG: makes the inputs, both builds and the three runs.
package() {
  p=$1 start=$(date +%s)
  mkdir -p "$V/$p" && rm -f "$V/$p"/status.* "$V/$p"/run-*.log || return 1
  rm -rf "$V/$p/data" && mkdir -p "$V/$p/data" || return 1
  (. "$REAL_HERE/pkg/$p.sh" && pkg_data "$V/$p/data") > "$V/$p/data.log" 2>&1 \
    || { real_log "error: $p: making the workload's inputs failed"; return 1; }
  for b in leakcc lsan; do
    if build "$p" "$b"; then ok=0; else ok=1; fi
    for r in $RUNS; do [ "$(build_of "$r")" = "$b" ] && echo "built $ok" >> "$V/$p/status.$r"; done
  done
  for r in $RUNS; do
    grep -q '^built 0$' "$V/$p/status.$r" || continue
    real_log "$p: $r: tests and workload"
    run_phase "$p" "$r" check real_run check pkg_check
    run_phase "$p" "$r" workload pkg_workload
  done
  echo "$(($(date +%s) - start))" > "$V/$p/seconds"
}

# logs_of PKG RUN PHASE: the report logs of that phase, one per line.
logs_of() { find "$V/$1/logs/$2/$3" -type f -name 'leak.*' 2>/dev/null | LC_ALL=C sort; }

# collect PKG: objects.RUN (leaks.awk) and the meta file verdicts.awk reads.
collect() {
  _p=$1
  : > "$V/$_p/meta"
  for r in $RUNS; do
    _st=$V/$_p/status.$r
    for k in built check workload; do
      _v=$(sed -n "s/^$k //p" "$_st" 2>/dev/null | tail -n 1)
      echo "$r $k ${_v:--}" >> "$V/$_p/meta"
    done
    for ph in check workload; do
      logs_of "$_p" "$r" "$ph" | xargs -r awk -f "$REAL_HERE/leaks.awk" -v phase="$ph" -v frames="$REAL_VERDICTS_FRAMES"
    done > "$V/$_p/objects.$r" 2> "$V/$_p/others.$r"
    _all=$(for ph in check workload; do logs_of "$_p" "$r" "$ph"; done)
    if [ -n "$_all" ]; then
      echo "$r procs $(echo "$_all" | xargs grep -l 'ERROR: [A-Za-z]*: detected memory leaks' | wc -l)"
      echo "$r records_direct $(echo "$_all" | xargs cat | grep -c '^Direct leak of')"
      echo "$r records_indirect $(echo "$_all" | xargs cat | grep -c '^Indirect leak of')"
    else
      echo "$r procs 0"; echo "$r records_direct 0"; echo "$r records_indirect 0"
    fi >> "$V/$_p/meta"
    echo "$r other $(grep -c '^other ' "$V/$_p/others.$r")" >> "$V/$_p/meta"
  done
}

# verdicts PKG WHAT: verdicts.awk's row or detail for PKG.
verdicts() {
  mkdir -p "$V/$1/diff"
  awk -f "$REAL_HERE/verdicts.awk" -v what="$2" -v pkg="$1" -v list="$REAL_VERDICTS_LIST" -v diffs="$V/$1/diff" \
    "$V/$1/meta" run=precise "$V/$1/objects.precise" run=conservative "$V/$1/objects.conservative" \
    run=lsan "$V/$1/objects.lsan"
}

report() {
  echo "# Leak verdicts on real programs: precise vs conservative vs LSan (bench/real/verdicts.sh)"
  echo
  cat "$V/header"
  echo
  echo "Each package's own tests and its workload (README.md) ran with one leakcc build under"
  echo "\`mode=precise\` and \`mode=conservative\`, and with a \`-fsanitize=leak\` build; options"
  echo "\`$(run_options precise)\`, \`$(run_options conservative)\`, LSan \`$(run_options lsan)\`, each with log_path."
  echo "A block is (phase, the allocation stack's top $REAL_VERDICTS_FRAMES frames below the allocator, size);"
  echo "\"A, not B\" counts the objects A reported beyond those B reported with the same identity."
  echo
  echo "| package | precise: objects direct / indirect (bytes) | conservative | LSan | precise, not conservative | conservative, not precise | precise, not LSan | LSan, not precise | conservative, not LSan | LSan, not conservative |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for p in $REAL_PACKAGES; do
    if [ -f "$V/$p/meta" ]; then verdicts "$p" row; else echo "| $p | not run | | | | | | | | |"; fi
  done
  echo
  for p in $REAL_PACKAGES; do
    [ -f "$V/$p/meta" ] || continue
    verdicts "$p" detail
    echo "Build and runs: $(cat "$V/$p/seconds" 2>/dev/null || echo '?') s; logs in \`$V/$p/logs/RUN/PHASE/\`."
    echo
  done
}

finish() {
  failed=0
  for p in $REAL_PACKAGES; do
    [ -f "$V/$p/status.precise" ] || continue
    collect "$p" || failed=1
    grep -q '^built [1-9]' "$V/$p"/status.* && failed=1
  done
  report > "$V/verdicts.md" || failed=1
  cp "$V/verdicts.md" "$REAL_VERDICTS_OUT" || failed=1
  cat "$V/verdicts.md"
  exit "$failed"
}

[ "$REAL_SUMMARY_ONLY" = 1 ] && finish
real_ensure_apt || exit 1
[ -x "$LEAKCC" ] || command -v "$LEAKCC" >/dev/null 2>&1 || {
  real_log "error: no leakcc driver at '$LEAKCC' (set LEAKCC=/path/to/bin/leakcc)"; exit 1; }
mkdir -p "$V" || exit 1
REV0="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
T0=$(date +%s)

pkgs=
for p in $REAL_PACKAGES; do
  if [ ! -f "$REAL_HERE/pkg/$p.sh" ]; then real_log "error: no recipe $REAL_HERE/pkg/$p.sh"
  elif real_fetch "$p"; then pkgs="$pkgs $p"; fi
done
REAL_PACKAGES=${pkgs# }

# REAL_PARALLEL lanes, package i in lane i mod REAL_PARALLEL.
lane=0
while [ "$lane" -lt "$REAL_PARALLEL" ]; do
  (
    i=0
    for p in $REAL_PACKAGES; do
      [ $((i % REAL_PARALLEL)) = "$lane" ] && { package "$p" || real_log "error: $p: not run"; }
      i=$((i + 1))
    done
  ) &
  lane=$((lane + 1))
done
wait

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), $(( ($(date +%s) - T0) / 60 )) min with $REAL_PARALLEL package(s) at a time (make -j$REAL_JOBS)$([ "$REAL_REUSE" = 1 ] && echo ', unchanged builds reused');" \
    "source tree $REV0 at the start; leakcc at \`$LEAKCC\`; LSan: $($PLAIN_CC --version | head -n 1);" \
    "$(nproc) CPUs, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$V/header"
finish
