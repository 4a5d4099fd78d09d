#!/bin/sh
# fuzz_smoke (ctest): runs each fuzz target for SECONDS, starting from its
# seed corpus, and fails if any finds a crash, a leak, a timeout (10 s per
# input) or a broken promise.  New inputs go to BIN/smoke/TARGET/corpus,
# never into the source tree; a failing input is saved there as crash-*,
# leak-*, timeout-* or oom-* (docs/reliability.md, "Fuzzing").
#
#   fuzz_smoke.sh BIN CORPUS SECONDS TARGET...
set -u
bin=$1 corpus=$2 seconds=$3
shift 3
status=0
for t in "$@"; do
  work=$bin/smoke/$t
  rm -rf "$work" && mkdir -p "$work/corpus" || exit 1
  if "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$work/" \
       "$work/corpus" "$corpus/$t" > "$work/log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    echo "fuzz_$t: ok, $runs runs in ${seconds}s"
  else
    echo "fuzz_$t: FAILED (log: $work/log)"
    tail -n 40 "$work/log"
    status=1
  fi
done
exit $status
