#!/bin/sh
# shellcheck disable=SC2086 # word lists (variants, sizes, args) split on purpose
# Microbenchmarks of issue 4: malloc+free pairs, exit-check time against the
# number of live objects, and per-block memory overhead, each built as plain
# clang (glibc malloc), leakcc, -fsanitize=leak and -fsanitize=address, run
# interleaved (every round runs each variant once, in a rotated order) and
# reported as medians in markdown tables with the machine description and the
# exact commands.  Issue 3's store-cost benchmark (stores.c) is built twice
# instead, with the same clang flags with and without the pass plugin, both
# linked with the leakcc runtime; its build checks that the instrumented
# kernels write shadow (MICRO_WORK/asm/).  Not part of CI's pass/fail.
#
#   bench/micro/run.sh                     # full run, about 10 minutes
#   QUICK=1 bench/micro/run.sh             # smoke run, about 1 minute
#   LEAKCC=/tmp/b/bin/leakcc MICRO_WORK=/tmp/micro bench/micro/run.sh
#
# Environment (defaults in brackets; QUICK=1 lowers the counts):
#   LEAKCC                 leakcc driver [ROOT/build/bin/leakcc]; when it is
#                          missing or cannot build, the leakcc column is n/a
#   CLANG                  compiler of the other variants [clang-19]
#   MICRO_WORK             binaries, logs, results.tsv, report.md [ROOT/build/micro]
#   MICRO_VARIANTS         subset of: plain leakcc lsan asan [all four]
#   MICRO_BENCHES          subset of: pairs exit overhead stores [all four]
#   MICRO_RUNS             runs per figure [5]
#   MICRO_PAIRS            pairs per thread, plain and leakcc [2000000]
#   MICRO_PAIRS_SAN        pairs per thread, LSan and ASan (~1 us each) [500000]
#   MICRO_WINDOW           live blocks kept by the window pattern [10000]
#   MICRO_EXIT_NODES       heap sizes of the exit check [1000000 4000000 16000000]
#   MICRO_EXIT_HUGE=1      also 46000000 nodes (~2.2 GB+ per tool, minutes)
#   MICRO_EXIT_RUNS_BIG    runs for heaps of 40M nodes or more [3]
#   MICRO_OVERHEAD_SIZES   block sizes of the overhead test [16 24 48 64 100 256]
#   MICRO_OVERHEAD_BLOCKS  blocks per overhead run [1000000]
#   MICRO_STORES_N         elements per array of the stores kernels [2048:
#                          16 KiB of words, so the stores hit L1]
#   MICRO_STORES_COUNT     stores per kernel and run [50000000]
#   MICRO_STORES_RUNS      runs (processes) per stores build and config [7]
#   LEAKCC_PLUGIN          the pass plugin of the stores benchmark, loaded with
#                          -fpass-plugin into CLANG [DIR/../lib/leakcc/leakpass.so
#                          for LEAKCC=DIR/leakcc, as the driver finds it]
#   MICRO_LEAKCC_OPTIONS   extra LEAKCC_OPTIONS for every leakcc run (e.g. to
#                          compare marker settings) []
#
# Each run goes through measure.c; results.tsv keeps one line per run, and
# `awk -f bench/micro/report.awk MICRO_WORK/results.tsv` redraws the tables.
# Leak reports and other stderr output of the runs go to MICRO_WORK/runs.log.
# Exit status: 0 when every run succeeded without a leak report and every
# instrumented stores kernel writes shadow, 1 otherwise.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

LEAKCC=${LEAKCC:-$ROOT/build/bin/leakcc}
CLANG=${CLANG:-clang-19}
MICRO_WORK=${MICRO_WORK:-$ROOT/build/micro}
MICRO_VARIANTS=${MICRO_VARIANTS:-plain leakcc lsan asan}
MICRO_BENCHES=${MICRO_BENCHES:-pairs exit overhead stores}
MICRO_LEAKCC_OPTIONS=${MICRO_LEAKCC_OPTIONS:-}
if [ "${QUICK:-0}" = 1 ]; then
  MICRO_RUNS=${MICRO_RUNS:-1}
  MICRO_PAIRS=${MICRO_PAIRS:-1000000}
  MICRO_PAIRS_SAN=${MICRO_PAIRS_SAN:-200000}
  MICRO_EXIT_NODES=${MICRO_EXIT_NODES:-1000000 4000000}
  MICRO_OVERHEAD_SIZES=${MICRO_OVERHEAD_SIZES:-16 48}
  MICRO_STORES_COUNT=${MICRO_STORES_COUNT:-10000000}
  MICRO_STORES_RUNS=${MICRO_STORES_RUNS:-3}
fi
MICRO_RUNS=${MICRO_RUNS:-5}
MICRO_PAIRS=${MICRO_PAIRS:-2000000}
MICRO_PAIRS_SAN=${MICRO_PAIRS_SAN:-500000}
MICRO_WINDOW=${MICRO_WINDOW:-10000}
MICRO_EXIT_NODES=${MICRO_EXIT_NODES:-1000000 4000000 16000000}
[ "${MICRO_EXIT_HUGE:-0}" = 1 ] && MICRO_EXIT_NODES="$MICRO_EXIT_NODES 46000000"
MICRO_EXIT_RUNS_BIG=${MICRO_EXIT_RUNS_BIG:-3}
MICRO_OVERHEAD_SIZES=${MICRO_OVERHEAD_SIZES:-16 24 48 64 100 256}
MICRO_OVERHEAD_BLOCKS=${MICRO_OVERHEAD_BLOCKS:-1000000}
MICRO_STORES_N=${MICRO_STORES_N:-2048}
MICRO_STORES_COUNT=${MICRO_STORES_COUNT:-50000000}
MICRO_STORES_RUNS=${MICRO_STORES_RUNS:-7}
LEAKCC_PLUGIN=${LEAKCC_PLUGIN:-$(dirname "$LEAKCC")/../lib/leakcc/leakpass.so}

BIN=$MICRO_WORK/bin
RESULTS=$MICRO_WORK/results.tsv
RUNLOG=$MICRO_WORK/runs.log
REPORT=$MICRO_WORK/report.md
FAILED=0

say() { printf 'micro: %s\n' "$*" >&2; }

# compile_cmd VARIANT: the compiler command line of VARIANT (without sources
# and -o).  The sanitizers get -fno-omit-frame-pointer as their docs advise;
# the leakcc driver adds it (and -gline-tables-only) itself.
compile_cmd() {
  case $1 in
    plain)  echo "$CLANG -O2 -pthread" ;;
    leakcc) echo "$LEAKCC -O2 -pthread" ;;
    lsan)   echo "$CLANG -O2 -pthread -fno-omit-frame-pointer -fsanitize=leak" ;;
    asan)   echo "$CLANG -O2 -pthread -fno-omit-frame-pointer -fsanitize=address" ;;
  esac
}

# options_var VARIANT: the environment variable holding the tool's options.
# uninst and inst are the stores benchmark's builds (both with the runtime).
options_var() {
  case $1 in
    plain)  echo MICRO_NO_OPTIONS ;;
    leakcc|uninst|inst) echo LEAKCC_OPTIONS ;;
    lsan)   echo LSAN_OPTIONS ;;
    asan)   echo ASAN_OPTIONS ;;
  esac
}

# build_measure: compiles measure with plain clang (every benchmark needs it).
build_measure() {
  mkdir -p "$BIN" || exit 1
  if ! $CLANG -O2 -Wall -o "$BIN/measure" "$HERE/measure.c" 2>>"$MICRO_WORK/build.log"; then
    say "error: cannot build measure.c with $CLANG (see $MICRO_WORK/build.log)"
    exit 1
  fi
}

# build: compiles every benchmark but stores per variant; drops a variant
# (with a message) when it does not build.
build() {
  BUILT=
  for v in $MICRO_VARIANTS; do
    case $v in plain|leakcc|lsan|asan) ;; *) say "error: unknown variant '$v'"; exit 1 ;; esac
    if [ "$v" = leakcc ] && [ ! -x "$LEAKCC" ]; then
      say "warning: no leakcc driver at $LEAKCC (set LEAKCC); skipping leakcc"
      continue
    fi
    mkdir -p "$BIN/$v"
    ok=1
    for prog in pairs exitcheck overhead; do
      cmd="$(compile_cmd "$v") -o $BIN/$v/$prog $HERE/$prog.c"
      echo "$cmd" >>"$MICRO_WORK/build.log"
      $cmd >>"$MICRO_WORK/build.log" 2>&1 || ok=0
    done
    if [ $ok = 1 ]; then BUILT="$BUILT $v"; else
      say "warning: $v does not build (see $MICRO_WORK/build.log); skipping it"
    fi
  done
  [ -n "$BUILT" ] || { say "error: no variant built"; exit 1; }
}

# rotated N WORDS...: WORDS rotated left by N, so that no variant always runs
# first (or right after the most expensive one) in a round.
rotated() {
  n=$(($1 % ($# - 1))); shift
  while [ "$n" -gt 0 ]; do x=$1; shift; set -- "$@" "$x"; n=$((n - 1)); done
  echo "$@"
}

# run_one BENCH CONFIG ROUND VARIANT OPTIONS PROG ARGS...: one measured run of
# BIN/VARIANT/PROG with the tool's options variable set to OPTIONS; appends
# its line to results.tsv.
run_one() {
  bench=$1 config=$2 round=$3 variant=$4 opts=$5 prog=$6; shift 6
  printf '== %s %s %s round %s: %s=%s %s %s\n' "$bench" "$config" "$variant" "$round" \
    "$(options_var "$variant")" "$opts" "$BIN/$variant/$prog" "$*" >>"$RUNLOG"
  line=$(env "$(options_var "$variant")=$opts" "$BIN/measure" "$BIN/$variant/$prog" "$@" 2>>"$RUNLOG")
  case $line in
    *" status=0"*) ;;
    *" status=23"*) FAILED=1; say "warning: $bench $config $variant round $round printed a leak report (see $RUNLOG)" ;;
    *) FAILED=1; say "warning: $bench $config $variant round $round failed: ${line:-no output} (see $RUNLOG)" ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\n' "$bench" "$config" "$variant" "$round" "$line" >>"$RESULTS"
}

# opts_with BASE EXTRA: "BASE:EXTRA" without stray separators.
opts_with() { if [ -n "$1" ] && [ -n "$2" ]; then echo "$1:$2"; else echo "$1$2"; fi; }

base_opts() { case $1 in leakcc|uninst|inst) echo "$MICRO_LEAKCC_OPTIONS" ;; *) echo "" ;; esac; }

bench_pairs() {
  r=1
  while [ $r -le "$MICRO_RUNS" ]; do
    say "pairs: round $r/$MICRO_RUNS"
    for pattern in lifo window; do
      for threads in 1 2; do
        for v in $(rotated $r $BUILT); do
          case $v in lsan|asan) n=$MICRO_PAIRS_SAN ;; *) n=$MICRO_PAIRS ;; esac
          args="$pattern $threads $n"
          [ $pattern = window ] && args="$args $MICRO_WINDOW"
          run_one pairs "$pattern/$threads" $r $v "$(base_opts $v)" pairs $args
        done
      done
    done
    r=$((r + 1))
  done
}

# The exit check needs a tool with a check (leakcc, lsan); plain runs once a
# round for the RSS and build-time baselines.  Each tool runs with the check
# on and with detect_leaks=0.
bench_exit() {
  runs_of=""
  for v in $BUILT; do
    case $v in plain) runs_of="$runs_of plain/off" ;; leakcc|lsan) runs_of="$runs_of $v/on $v/off" ;; esac
  done
  [ -n "$runs_of" ] || { say "exit: no variant with an exit check built; skipped"; return; }
  for nodes in $MICRO_EXIT_NODES; do
    rounds=$MICRO_RUNS
    [ "$nodes" -ge 40000000 ] && [ "$MICRO_EXIT_RUNS_BIG" -lt "$rounds" ] && rounds=$MICRO_EXIT_RUNS_BIG
    r=1
    while [ $r -le "$rounds" ]; do
      say "exit: $nodes nodes, round $r/$rounds"
      for vo in $(rotated $r $runs_of); do
        v=${vo%/*} onoff=${vo#*/}
        opts=$(base_opts $v)
        [ $onoff = off ] && [ $v != plain ] && opts=$(opts_with "$opts" detect_leaks=0)
        run_one exit "$nodes/$onoff" $r $v "$opts" exitcheck "$nodes"
      done
      r=$((r + 1))
    done
  done
}

# The check is off in overhead runs: only the RSS measured inside matters.
bench_overhead() {
  r=1
  while [ $r -le "$MICRO_RUNS" ]; do
    say "overhead: round $r/$MICRO_RUNS"
    for size in $MICRO_OVERHEAD_SIZES; do
      for v in $(rotated $r $BUILT); do
        [ $v = asan ] && continue
        opts=$(base_opts $v)
        [ $v != plain ] && opts=$(opts_with "$opts" detect_leaks=0)
        run_one overhead "$size" $r $v "$opts" overhead "$size" "$MICRO_OVERHEAD_BLOCKS"
      done
    done
    r=$((r + 1))
  done
}

# The stores benchmark's configs: vec is -O2 as users build (the loop
# vectorizer turns most kernels into 16-byte stores); scalar turns the
# vectorizers off, so that every store is one instruction.
STORES_CONFIGS="vec scalar"
STORES_BUILT=0

# stores_flags CONFIG: the flags of both stores builds of CONFIG: -O2 and the
# code-generation flags the leakcc driver adds, so that the two builds differ
# only in -fpass-plugin.
stores_flags() {
  f="-O2 -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -gline-tables-only"
  case $1 in
    vec) echo "$f" ;;
    scalar) echo "$f -fno-vectorize -fno-slp-vectorize" ;;
  esac
}

# stores_asm CONFIG BUILD: summarises each kernel of MICRO_WORK/asm/BUILD-CONFIG.s
# (asm.awk: instructions, and which touch shadow and how) into a "stores-asm"
# line of results.tsv, which report.awk prints beside the times.  Warns when
# an instrumented kernel has no shadow code (its figure would measure
# nothing) or an uninstrumented one has some.
stores_asm() {
  abi=$ROOT/include/leakcc/abi.h
  summary=$(awk -f "$HERE/asm.awk" \
    -v offset="$(sed -n 's/^#define LEAKCC_SHADOW_OFFSET \(0x[0-9a-fA-F]*\).*/\1/p' "$abi")" \
    -v values="$(sed -n 's/^#define LEAKCC_SHADOW_\(NONE\|RAW\|MASK\|SIDE\) \([0-9]*\)$/\1=\2/p' "$abi" | tr '\n' ' ')" \
    "$MICRO_WORK/asm/$2-$1.s")
  printf 'stores-asm\t%s\t%s\t0\t%s\n' "$1" "$2" "$summary" >>"$RESULTS"
  for tok in $summary; do
    case $tok in
      *_shadow=0) [ "$2" = inst ] && { FAILED=1; say "warning: stores $1: instrumented ${tok%_shadow=0} has no shadow code (see $MICRO_WORK/asm/$2-$1.s)"; } ;;
      *_shadow=*) [ "$2" = uninst ] && { FAILED=1; say "warning: stores $1: uninstrumented ${tok%_shadow=*} touches shadow?"; } ;;
    esac
  done
}

# build_stores: stores.c per config, uninstrumented (uninst) and with the
# plugin (inst): compiled and turned into assembly by CLANG, linked by the
# leakcc driver (a link of objects only: it adds the runtime, not the
# plugin).  Sets STORES_BUILT=1 when all four binaries built.
build_stores() {
  if [ ! -x "$LEAKCC" ] || [ ! -f "$LEAKCC_PLUGIN" ]; then
    say "warning: stores needs the leakcc driver and plugin ($LEAKCC, $LEAKCC_PLUGIN); skipping it"
    return 1
  fi
  mkdir -p "$BIN/uninst" "$BIN/inst" "$MICRO_WORK/asm" || exit 1
  for c in $STORES_CONFIGS; do
    for v in uninst inst; do
      flags=$(stores_flags $c)
      [ $v = inst ] && flags="$flags -fpass-plugin=$LEAKCC_PLUGIN"
      for cmd in "$CLANG $flags -c -o $BIN/$v/stores-$c.o $HERE/stores.c" \
                 "$CLANG $flags -S -o $MICRO_WORK/asm/$v-$c.s $HERE/stores.c" \
                 "$LEAKCC -o $BIN/$v/stores-$c $BIN/$v/stores-$c.o"; do
        echo "$cmd" >>"$MICRO_WORK/build.log"
        if ! $cmd >>"$MICRO_WORK/build.log" 2>&1; then
          say "warning: stores $c $v does not build (see $MICRO_WORK/build.log); skipping stores"
          FAILED=1
          return 1
        fi
      done
      stores_asm $c $v
    done
  done
  STORES_BUILT=1
}

# Every round runs both builds of each config once, in a rotated order; one
# process measures every kernel.
bench_stores() {
  build_stores || return
  r=1
  while [ $r -le "$MICRO_STORES_RUNS" ]; do
    say "stores: round $r/$MICRO_STORES_RUNS"
    for c in $STORES_CONFIGS; do
      for v in $(rotated $r uninst inst); do
        run_one stores "$c" $r $v "$(base_opts $v)" "stores-$c" "$MICRO_STORES_N" "$MICRO_STORES_COUNT"
      done
    done
    r=$((r + 1))
  done
}

# selected BENCH: succeeds when MICRO_BENCHES names BENCH.
selected() { case " $MICRO_BENCHES " in *" $1 "*) return 0 ;; esac; return 1; }

# describe: the machine, the build commands and the run commands, in markdown.
describe() {
  lk_opts=${MICRO_LEAKCC_OPTIONS:+LEAKCC_OPTIONS=$MICRO_LEAKCC_OPTIONS}
  echo "## Microbenchmarks ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n1)," \
    "$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)," \
    "Linux $(uname -r), transparent huge pages:" \
    "$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)," \
    "$(uptime | sed 's/.*load average/load average/') at the end."
  echo "Compiler: $($CLANG --version | head -n1)." \
    "leakcc: $([ -x "$LEAKCC" ] && "$LEAKCC" --version 2>&1 | head -n1 || echo absent)."
  echo
  if [ -n "$BUILT" ]; then
    echo "Builds (\`CMD -o BIN/VARIANT/PROG bench/micro/PROG.c\` for PROG in pairs, exitcheck, overhead):"
    echo
    for v in $BUILT; do echo "- $v: \`$(compile_cmd $v)\`"; done
    echo
  fi
  if [ "$STORES_BUILT" = 1 ]; then
    echo "stores builds: \`$CLANG FLAGS [-fpass-plugin=$LEAKCC_PLUGIN] -c bench/micro/stores.c\`" \
      "(uninstrumented, instrumented), linked by \`$LEAKCC\` (runtime only), FLAGS per config:"
    echo
    for c in $STORES_CONFIGS; do echo "- $c: \`$(stores_flags $c)\`"; done
    echo
  fi
  echo "Runs: each is \`BIN/measure BIN/VARIANT/PROG ARGS\` with the tool's options variable as shown;" \
    "every round runs each variant once, in an order rotated every round."
  echo
  selected pairs && echo "- pairs: \`pairs lifo|window 1|2 PAIRS [$MICRO_WINDOW]\`, PAIRS = $MICRO_PAIRS per thread" \
    "(LSan, ASan: $MICRO_PAIRS_SAN); options: ${lk_opts:-defaults}; runs: $MICRO_RUNS."
  selected exit && echo "- exit: \`exitcheck N\`, N in $MICRO_EXIT_NODES; check on: ${lk_opts:-default options};" \
    "check off: \`LEAKCC_OPTIONS=${lk_opts:+$MICRO_LEAKCC_OPTIONS:}detect_leaks=0\`," \
    "\`LSAN_OPTIONS=detect_leaks=0\`; runs: $MICRO_RUNS ($MICRO_EXIT_RUNS_BIG for N >= 40000000)."
  selected overhead && echo "- overhead: \`overhead SIZE $MICRO_OVERHEAD_BLOCKS\`, SIZE in $MICRO_OVERHEAD_SIZES;" \
    "detect_leaks=0 for both tools; runs: $MICRO_RUNS."
  [ "$STORES_BUILT" = 1 ] && echo "- stores: \`stores-CONFIG $MICRO_STORES_N $MICRO_STORES_COUNT\` (arrays of $MICRO_STORES_N elements," \
    "$MICRO_STORES_COUNT stores per kernel, after as many untimed); options: ${lk_opts:-defaults};" \
    "runs: $MICRO_STORES_RUNS (one process each)."
  echo
}

mkdir -p "$MICRO_WORK" || exit 1
: >"$MICRO_WORK/build.log"
build_measure
BUILT=
# The stores benchmark builds its own two variants.
if selected pairs || selected exit || selected overhead; then
  build
  say "variants:$BUILT; results in $RESULTS"
fi
: >"$RESULTS"
: >"$RUNLOG"
for b in $MICRO_BENCHES; do
  case $b in
    pairs) bench_pairs ;;
    exit) bench_exit ;;
    overhead) bench_overhead ;;
    stores) bench_stores ;;
    *) say "error: unknown benchmark '$b' (pairs, exit, overhead, stores)"; exit 1 ;;
  esac
done
{ describe; awk -f "$HERE/report.awk" "$RESULTS"; } >"$REPORT"
cat "$REPORT"
exit $FAILED
