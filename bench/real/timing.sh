#!/bin/sh
# Timed real-program benchmark of issue 4: builds each Debian source package
# with plain clang, leakcc, -fsanitize=leak and -fsanitize=address, runs each
# recipe's timed workload (pkg_bench) REAL_RUNS times per variant, the
# variants interleaved, and prints one markdown table of median wall time and
# peak RSS with their ratios to plain, plus the geomean of the ratios per
# variant.  timing.md beside this file describes the output and records the
# last full run.
#
#   bench/real/timing.sh                          # all six packages, 5 runs
#   REAL_PACKAGES="zlib jq" REAL_RUNS=3 bench/real/timing.sh
#   REAL_REUSE=1 bench/real/timing.sh             # keep earlier builds
#   REAL_SUMMARY_ONLY=1 bench/real/timing.sh      # reprint the last run's
#
# Variants (REAL_TIMING_VARIANTS):
#   plain        PLAIN_CC -gdwarf-4 with the package's flags (-O2 -g ...)
#   leakcc       LEAKCC, LEAKCC_OPTIONS=mode=precise
#   leakcc-cons  the same build, LEAKCC_OPTIONS=mode=conservative (the default)
#   leakcc-base  LEAKCC_BASE (another leakcc, e.g. an install of an earlier
#                commit), mode=precise: two versions side by side in one run
#   lsan         PLAIN_CC -fsanitize=leak -fno-omit-frame-pointer
#   asan         PLAIN_CC -fsanitize=address -fno-omit-frame-pointer
#   valgrind     the plain build under valgrind --leak-check=full, on the
#                workload scaled to REAL_VALGRIND_SCALE percent; its ratios
#                are to plain on that same scaled workload ("plain-small").
# Leak checking stays on as users run it: each tool's log_path (valgrind's
# --log-file) sends reports to PKG/logs/VARIANT/leak.PID.
#
# Work directory: $REAL_WORK/timing/PKG/{build-B,data,logs,runs,out}; the
# document goes to stdout and to $REAL_WORK/timing/timing.md.
# Exit status: 1 when a build, a run or an output comparison failed.
set -u

REAL_HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$REAL_HERE/../.." && pwd)
. "$REAL_HERE/lib.sh"

REAL_PACKAGES=${REAL_PACKAGES:-zlib lua5.4 jq sqlite3 gawk libxml2}
REAL_TIMING_VARIANTS=${REAL_TIMING_VARIANTS:-plain leakcc leakcc-cons lsan asan valgrind}
REAL_RUNS=${REAL_RUNS:-5}
REAL_VALGRIND_SCALE=${REAL_VALGRIND_SCALE:-10}
REAL_JOBS=${REAL_JOBS:-2}
REAL_REUSE=${REAL_REUSE:-0}
REAL_LEAKCC_OPTIONS=${REAL_LEAKCC_OPTIONS:-}
REAL_WRAP=
T=$REAL_WORK/timing
export REAL_HERE REAL_WORK REAL_JOBS

# build_of V: the build that timing variant V runs.  plain and valgrind share
# one (DWARF 4 for valgrind 3.19 changes no code), leakcc-cons uses leakcc's.
build_of() {
  case $1 in
    plain|plain-small|valgrind) echo valgrind ;;
    leakcc|leakcc-cons) echo leakcc ;;
    leakcc-base) echo leakcc-base ;;
    lsan|asan) echo "$1" ;;
    *) real_log "error: unknown timing variant '$1'"; return 1 ;;
  esac
}

# The variants actually run: plain first (the reference), and plain-small
# (plain at valgrind's scale) whenever valgrind runs.
variants() {
  echo plain
  for _v in $REAL_TIMING_VARIANTS; do [ "$_v" = plain ] || echo "$_v"; done
  case " $REAL_TIMING_VARIANTS " in *" valgrind "*) echo plain-small ;; esac
}

# build PKG B: build_tree (lib.sh) into $T/PKG/build-B.
build() {
  build_tree "$1" "$2" "$T/$1/build-$2" "$T/$1/logs/build-$2.log"
}

# run_once PKG V RUN: one run of PKG's timed workload with variant V; appends
# "WALL RSS STATUSES" (seconds summed over the workload's commands, the
# largest peak RSS in KB, the exit statuses) to $T/PKG/runs/V.  RUN 0 is the
# check run: not timed, its outputs' checksums go to $T/PKG/out/V.sum.
run_once() {
  _b=$(build_of "$2") || return 1
  _scale=100 _data=$T/$1/data/full
  case $2 in plain-small|valgrind) _scale=$REAL_VALGRIND_SCALE _data=$T/$1/data/small ;; esac
  _logs=$T/$1/logs/$2
  REAL_OUT=$T/$1/out/$2.tmp REAL_TIMES=$T/$1/runs/$2.$3
  rm -rf "$REAL_OUT" "$REAL_TIMES" "$REAL_TIMES.cmd" && mkdir -p "$REAL_OUT" "$_logs" || return 1
  (
    unset LEAKCC_OPTIONS LSAN_OPTIONS ASAN_OPTIONS
    _lp="log_path=$_logs/leak"
    case $2 in
      leakcc|leakcc-base) export LEAKCC_OPTIONS="$_lp:mode=precise${REAL_LEAKCC_OPTIONS:+:$REAL_LEAKCC_OPTIONS}" ;;
      leakcc-cons) export LEAKCC_OPTIONS="$_lp:mode=conservative${REAL_LEAKCC_OPTIONS:+:$REAL_LEAKCC_OPTIONS}" ;;
      lsan) export LSAN_OPTIONS=$_lp ;;
      asan) export ASAN_OPTIONS=$_lp ;;
      valgrind) REAL_WRAP="valgrind --leak-check=full --log-file=$_logs/leak.%p" ;;
    esac
    export REAL_OUT REAL_TIMES REAL_WRAP
    . "$REAL_HERE/pkg/$1.sh" && cd "$T/$1/build-$_b" && pkg_bench "$_data" "$_scale"
  ) > "$T/$1/logs/$2.bench.log" 2>&1
  [ -s "$REAL_TIMES" ] || { real_log "error: $1/$2: the workload timed nothing, see $T/$1/logs/$2.bench.log"; return 1; }
  awk '{ w += $1; if ($2 > r) r = $2; s = s (NR > 1 ? "," : "") $3 } END { print w, r, s }' \
    "$REAL_TIMES" >> "$T/$1/runs/$2"
  if [ "$3" = 0 ]; then
    (cd "$REAL_OUT" && find . -type f | LC_ALL=C sort | xargs -r cksum) > "$T/$1/out/$2.sum"
  fi
  rm -rf "$REAL_OUT"
}

# rotate N WORDS...: WORDS rotated left by N, so that each variant takes
# every position in turn across the runs (drift in the machine's load then
# falls on all variants alike).
rotate() {
  _n=$1; shift
  _k=$(( _n % $# ))
  while [ "$_k" -gt 0 ]; do _f=$1; shift; set -- "$@" "$_f"; _k=$((_k - 1)); done
  echo "$@"
}

# median FILE COLUMN: the median of COLUMN over FILE's lines after the
# first (run 0, the check run, is not timed).
median() {
  awk -v c="$2" 'NR > 1 { print $c }' "$1" | sort -g \
    | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# table: the markdown table of the runs recorded under $T.
table() {
  echo "| package | variant | runs | wall s, median (min-max) | wall x plain | peak RSS MB, median | RSS x plain | exit | same output |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for p in $REAL_PACKAGES; do
    for v in $(variants); do
      r=$T/$p/runs/$v
      [ -f "$r" ] || { echo "| $p | $v | not run | | | | | | |"; continue; }
      base=plain
      case $v in valgrind|plain-small) base=plain-small ;; esac
      w=$(median "$r" 1) m=$(median "$r" 2) bw=$(median "$T/$p/runs/$base" 1) bm=$(median "$T/$p/runs/$base" 2)
      range=$(awk 'NR > 1 { if (lo == "" || $1 < lo) lo = $1; if ($1 > hi) hi = $1 } END { printf "%.2f-%.2f", lo, hi }' "$r")
      st=$(awk 'NR > 1 { print $3 }' "$r" | sort -u | tr '\n' ' ' | sed 's/ $//')
      same=-
      if [ "$v" != plain ] && [ "$v" != plain-small ]; then
        if cmp -s "$T/$p/out/$v.sum" "$T/$p/out/$base.sum"; then same=yes; else same=NO; fi
      fi
      echo "$p $v $w $m $bw $bm" >> "$T/ratios"
      awk -v p="$p" -v v="$v" -v n="$(($(wc -l < "$r") - 1))" -v w="$w" -v m="$m" -v bw="$bw" -v bm="$bm" \
          -v range="$range" -v st="$st" -v same="$same" 'BEGIN {
        printf "| %s | %s | %d | %.2f (%s) | %.2fx | %.1f | %.2fx | %s | %s |\n",
          p, v, n, w, range, (bw > 0 ? w / bw : 0), m / 1024, (bm > 0 ? m / bm : 0), st, same }'
    done
  done
  # Geomean over the packages of each variant's ratios.
  for v in $(variants); do
    case $v in plain|plain-small) continue ;; esac
    awk -v v="$v" '$2 == v && $5 > 0 && $6 > 0 { n++; lw += log($3 / $5); lm += log($4 / $6) }
      END { if (n) printf "| **geomean** | %s | %d pkgs | | **%.2fx** | | **%.2fx** | | |\n", v, n, exp(lw / n), exp(lm / n) }' "$T/ratios"
  done
}

# machine: the description of the machine and the tools, written when the
# runs end (to $T/machine, which the summary prints).
machine() {
  _cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  _mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "- machine: $_cpu, $(nproc) cores, $_mem RAM, Linux $(uname -r)"
  echo "- compilers: $($PLAIN_CC --version | head -n 1); leakcc at $LEAKCC; source tree $REV0 when the run started"
  echo "- $(valgrind --version 2>/dev/null || echo 'valgrind: not installed')"
  echo "- load average at start: $LOAD0; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# commands: how each variant was built and run, and each workload's commands.
commands() {
  for b in valgrind leakcc lsan asan; do
    variant_setup "$b" && echo "- build \`$(echo "$b" | sed 's/valgrind/plain/')\`: CC='$CC' CXX='$CXX', the package's own build (pkg/PKG.sh)"
  done
  echo "- runtime: leakcc \`LEAKCC_OPTIONS=log_path=LOGS/leak:mode=precise\`; leakcc-cons \`LEAKCC_OPTIONS=log_path=LOGS/leak:mode=conservative\`;" \
       "lsan \`LSAN_OPTIONS=log_path=LOGS/leak\`; asan \`ASAN_OPTIONS=log_path=LOGS/leak\` (leak checks on, reports to files);" \
       "valgrind \`valgrind --leak-check=full --log-file=LOGS/leak.%p\` at $REAL_VALGRIND_SCALE % scale"
  echo "- each run: every command of the workload under \`/usr/bin/time -f '%M %x'\` (lib.sh's real_timed);" \
       "wall = the sum over the commands, peak RSS = the largest; run 0 (outputs checked) is not timed"
  echo "- workloads, run in the package's build tree as \`pkg_bench DATA SCALE\` (SCALE 100, valgrind $REAL_VALGRIND_SCALE):"
  echo
  echo '```sh'
  for p in $REAL_PACKAGES; do
    echo "# $p (bench/real/pkg/$p.sh)"
    sed -n '/^pkg_bench() {/,/^}/p' "$REAL_HERE/pkg/$p.sh"
  done
  echo '```'
  echo
  echo "Inputs: \`pkg_bench_data\` of each recipe (generated, deterministic)."
}

# summary: the document, from the runs recorded under $T.
summary() {
  rm -f "$T/ratios"
  echo "# Real programs: run time and peak RSS (bench/real/timing.sh)"
  echo
  echo "Medians of $REAL_RUNS runs per variant, variants interleaved (rotated each run); runs ended $(sed -n 's/^- runs ended: //p' "$T/machine")."
  echo
  table
  echo
  grep -v '^- runs ended: ' "$T/machine"
  commands
  rm -f "$T/ratios"
}

REAL_SUMMARY_ONLY=${REAL_SUMMARY_ONLY:-0}
[ "$REAL_SUMMARY_ONLY" = 1 ] && { summary; exit 0; }
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
REV0="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
real_ensure_apt || exit 1
[ -x "$LEAKCC" ] || command -v "$LEAKCC" >/dev/null 2>&1 || {
  real_log "error: no leakcc driver at '$LEAKCC' (set LEAKCC=/path/to/bin/leakcc)"; exit 1; }
failed=0
pkgs=
for p in $REAL_PACKAGES; do
  [ -f "$REAL_HERE/pkg/$p.sh" ] || { real_log "error: no recipe $REAL_HERE/pkg/$p.sh"; failed=1; continue; }
  real_fetch "$p" || { failed=1; continue; }
  rm -rf "$T/$p/runs" "$T/$p/out" "$T/$p/logs" "$T/$p/data"
  mkdir -p "$T/$p/runs" "$T/$p/out" "$T/$p/logs" "$T/$p/data/full" "$T/$p/data/small" || exit 1
  ok=1
  for b in $(for v in $(variants); do build_of "$v"; done | awk '!seen[$0]++'); do
    build "$p" "$b" || { ok=0; break; }
  done
  (. "$REAL_HERE/pkg/$p.sh" && pkg_bench_data "$T/$p/data/full" 100 \
     && pkg_bench_data "$T/$p/data/small" "$REAL_VALGRIND_SCALE") \
    || { real_log "error: $p: making the timed workload's inputs failed"; ok=0; }
  if [ "$ok" = 1 ]; then pkgs="$pkgs $p"; else failed=1; fi
done

# Run 0 checks the outputs and warms the caches; runs 1..N are timed.
r=0
while [ "$r" -le "$REAL_RUNS" ]; do
  real_log "run $r of $REAL_RUNS"
  for p in $pkgs; do
    for v in $(rotate "$r" $(variants)); do
      run_once "$p" "$v" "$r" || failed=1
    done
  done
  r=$((r + 1))
done

{ machine; echo "- runs ended: $(date -u '+%Y-%m-%d %H:%M UTC')"; } > "$T/machine"
summary | tee "$T/timing.md"
grep -q '| NO |' "$T/timing.md" && failed=1
exit "$failed"
