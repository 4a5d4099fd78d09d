# Shared helpers for the real-package runs (sourced by run.sh and
# timing.sh).  POSIX sh.  Every helper that can fail
# returns non-zero and says why on stderr; none of them exits.
#
# Layout under $REAL_WORK (default build/real, ignored by git):
#   src/PKG/         `apt-get source` download (.dsc, tarballs) and its
#                    pristine unpacked tree src/PKG/tree
#   PKG/VARIANT/     a fresh copy of the tree built with one compiler
#                    (VARIANT is plain or leakcc)
#   PKG/logs/        build and run logs, leak reports (leak.PID files)

# Settings both run.sh and timing.sh take from the environment (the caller
# sets ROOT, the project's top directory, before sourcing this file).
LEAKCC=${LEAKCC:-$ROOT/build/bin/leakcc}
LEAKCXX=${LEAKCXX:-$(dirname "$LEAKCC")/leakc++}
PLAIN_CC=${PLAIN_CC:-clang-19}
PLAIN_CXX=${PLAIN_CXX:-clang++-19}
REAL_WORK=${REAL_WORK:-$ROOT/build/real}

# The source entry added when no deb-src entry for bookworm main exists.
REAL_SRC_ENTRY='http://deb.debian.org/debian bookworm main'
REAL_SRC_FILE=/etc/apt/sources.list.d/leakcc-src.list
REAL_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

real_log() { printf '[real] %s\n' "$*" >&2; }

# Succeeds when apt has a Sources index target for bookworm main, whatever
# file (one-line .list or deb822 .sources) declares it.
real_have_deb_src() {
  [ -n "$(apt-get indextargets --no-release-info --format '$(IDENTIFIER)' \
           'Identifier: Sources' 'Release: bookworm' 'Component: main' 2>/dev/null)" ]
}

# Sources indexes are present when `apt-get source` can see a package.
real_have_src_index() {
  apt-cache showsrc zlib 2>/dev/null | grep -q '^Package: zlib$'
}

# Writes $REAL_SRC_FILE.  apt rejects two entries for one URI and suite whose
# Signed-By differ, so the line takes the stock Debian keyring when the
# existing deb entry names it (deb822 images do), else none (classic
# sources.list); the candidate apt accepts is kept.
real_add_deb_src() {
  for _opt in "[signed-by=$REAL_KEYRING] " ""; do
    case $_opt in *signed-by*) [ -r "$REAL_KEYRING" ] || continue ;; esac
    printf 'deb-src %s%s\n' "$_opt" "$REAL_SRC_ENTRY" > "$REAL_SRC_FILE" || return 1
    if apt-get indextargets --no-release-info >/dev/null 2>&1 && real_have_deb_src; then
      real_log "added 'deb-src $_opt$REAL_SRC_ENTRY' as $REAL_SRC_FILE"
      return 0
    fi
  done
  rm -f "$REAL_SRC_FILE"
  real_log "error: apt accepts no deb-src line for $REAL_SRC_ENTRY; add one by hand"
  return 1
}

# Idempotent: adds $REAL_SRC_FILE only when no deb-src entry for bookworm
# main is configured, runs apt-get update only when the Sources index is
# missing, and installs dpkg-dev and the recipes' build tools only when absent.
real_ensure_apt() {
  if ! real_have_deb_src; then
    real_add_deb_src || return 1
  fi
  if ! real_have_src_index; then
    real_log "apt-get update"
    apt-get update -qq >&2 || { real_log "error: apt-get update failed"; return 1; }
  fi
  # dpkg-source and what the package recipes build with (scripts/deps.sh).
  "$ROOT/scripts/deps.sh" --bench >&2 || return 1
}

# variant_setup V: sets CC, CXX, OPTVAR (the variable naming the tool's
# runtime options, empty for none), OPTS (options added to log_path) and
# WRAP (a command that runs each workload command) for variant V.
variant_setup() {
  OPTVAR= WRAP= OPTS=
  case $1 in
    plain)  CC=$PLAIN_CC CXX=$PLAIN_CXX ;;
    leakcc) CC=$LEAKCC CXX=$LEAKCXX OPTVAR=LEAKCC_OPTIONS OPTS=$REAL_LEAKCC_OPTIONS ;;
    # Another leakcc (LEAKCC_BASE, e.g. an install of an earlier commit), to
    # compare two versions in one run.
    leakcc-base) CC=$LEAKCC_BASE CXX=$(dirname "$LEAKCC_BASE")/leakc++
                 OPTVAR=LEAKCC_OPTIONS OPTS=$REAL_LEAKCC_OPTIONS ;;
    # Frame pointers, as leakcc's driver adds, so both report whole stacks.
    lsan)   CC="$PLAIN_CC -fsanitize=leak -fno-omit-frame-pointer"
            CXX="$PLAIN_CXX -fsanitize=leak -fno-omit-frame-pointer" OPTVAR=LSAN_OPTIONS ;;
    # Memcheck on the workload of a plain build (slow: for explaining
    # reports, not for timing).  DWARF 4: valgrind 3.19 cannot read DWARF 5.
    valgrind) CC="$PLAIN_CC -gdwarf-4" CXX="$PLAIN_CXX -gdwarf-4"
              WRAP="valgrind --leak-check=full --show-leak-kinds=definite,indirect --trace-children=yes" ;;
    asan)   CC="$PLAIN_CC -fsanitize=address -fno-omit-frame-pointer"
            CXX="$PLAIN_CXX -fsanitize=address -fno-omit-frame-pointer" OPTVAR=ASAN_OPTIONS ;;
    *) real_log "error: unknown variant '$1' (plain, leakcc, leakcc-base, lsan, asan, valgrind)"; return 1 ;;
  esac
}

# real_fetch PKG: downloads and unpacks the Debian source package PKG (with
# Debian's patches applied, as Debian builds it) into $REAL_WORK/src/PKG/tree.
# Reuses an earlier download.
real_fetch() {
  _dir=$REAL_WORK/src/$1
  [ -d "$_dir/tree" ] && return 0
  mkdir -p "$_dir" || return 1
  real_log "fetching source package $1"
  (cd "$_dir" && apt-get source -qq --download-only "$1" >&2) || {
    real_log "error: apt-get source $1 failed"; return 1; }
  # dpkg-source -x needs a target that does not exist yet.
  (cd "$_dir" && dpkg-source -x --no-check ./*.dsc tree.tmp >&2 \
      && mv tree.tmp tree) || { real_log "error: unpacking $1 failed"; return 1; }
}

# real_copy PKG VARIANT: prints the path of a fresh copy of PKG's tree for
# VARIANT, so each build starts from the unchanged sources.
real_copy() {
  _to=$REAL_WORK/$1/$2
  rm -rf "$_to" && mkdir -p "$REAL_WORK/$1" && cp -a "$REAL_WORK/src/$1/tree" "$_to" \
    && printf '%s\n' "$_to"
}

# real_run NAME CMD...: runs CMD (a program or a shell function) with
# stdout in $REAL_OUT/NAME.out and stderr in $REAL_OUT/NAME.err, and appends
# "NAME exit STATUS" to $REAL_OUT/status.  $REAL_WRAP (e.g. a valgrind
# command line) is prepended when set.  Returns CMD's status.
real_run() {
  _name=$1; shift
  $REAL_WRAP "$@" > "$REAL_OUT/$_name.out" 2> "$REAL_OUT/$_name.err"
  _st=$?
  printf '%s exit %s\n' "$_name" "$_st" >> "$REAL_OUT/status"
  return "$_st"
}

# real_same NAME EXPECTED ACTUAL: records in $REAL_OUT/status whether two
# files are identical (a round trip, say); removes ACTUAL when it is, since
# the inputs are megabytes.
real_same() {
  if cmp -s "$2" "$3"; then
    printf '%s same\n' "$1" >> "$REAL_OUT/status"; rm -f "$3"
  else
    printf '%s DIFFERS\n' "$1" >> "$REAL_OUT/status"; return 1
  fi
}

# real_expect [NAME=STATUS...]: succeeds when every command real_run
# recorded in $REAL_OUT/status exited 0, except each NAME, which must have
# exited STATUS, and no real_same found a difference.  Names what failed.
real_expect() {
  _bad=$(awk -v want="$*" '
    BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) { split(w[i], kv, "="); want_st[kv[1]] = kv[2] } }
    $2 == "exit" { e = ($1 in want_st) ? want_st[$1] : 0; if ($3 != e) printf " %s(exit %s, expected %s)", $1, $3, e }
    $2 == "DIFFERS" { printf " %s(differs)", $1 }' "$REAL_OUT/status")
  [ -z "$_bad" ] && return 0
  real_log "unexpected results:$_bad"
  return 1
}

# real_leaks DIR: prints "PROCS RECORDS BYTES OTHER" for the report logs
# (leak.PID files) under DIR: processes that reported leaks, Direct/Indirect
# records, leaked bytes, and logs holding anything else (an error report
# without a leak).  Reads LSan-format reports (leakcc, LeakSanitizer) and
# memcheck logs, whose definitely and indirectly lost blocks count as leaks.
real_leaks() {
  _procs=0 _recs=0 _bytes=0 _other=0
  for _f in "$1"/*/leak.*; do
    [ -f "$_f" ] || continue
    if grep -q 'ERROR: [A-Za-z]*: detected memory leaks' "$_f"; then
      _recs1=$(grep -c '^\(Direct\|Indirect\) leak of' "$_f")
      _b=$(sed -n 's/^SUMMARY: [A-Za-z]*: \([0-9]*\) byte.*/\1/p' "$_f" | head -n 1)
    elif grep -q '== HEAP SUMMARY:' "$_f"; then
      _recs1=$(grep -c 'are \(definitely\|indirectly\) lost in loss record' "$_f")
      _b=$(sed -n 's/.*\(definitely\|indirectly\) lost: \([0-9,]*\) bytes.*/\2/p' "$_f" \
             | tr -d , | awk '{ s += $1 } END { print s + 0 }')
      if grep -q 'ERROR SUMMARY: [1-9]' "$_f" && [ "$_recs1" = 0 ]; then _other=$((_other + 1)); fi
      [ "$_recs1" = 0 ] && continue
    elif [ -s "$_f" ]; then
      _other=$((_other + 1)); continue
    else
      continue
    fi
    _procs=$((_procs + 1)) _recs=$((_recs + _recs1)) _bytes=$((_bytes + ${_b:-0}))
  done
  printf '%s %s %s %s\n' "$_procs" "$_recs" "$_bytes" "$_other"
}

# real_timed CMD...: runs the program CMD (not a shell function: its own
# process is measured) under /usr/bin/time, prefixed by $REAL_WRAP when set,
# and appends "WALL_SECONDS PEAK_RSS_KB STATUS" to $REAL_TIMES and the
# command line to $REAL_TIMES.cmd.  The wall time is taken around time(1)
# in nanoseconds (its own %e has 10 ms steps).  The program's stdin, stdout
# and stderr are the caller's.  Returns CMD's status.
real_timed() {
  _t0=$(date +%s%N)
  /usr/bin/time -o "$REAL_TIMES.tmp" -f 'TIMED %M %x' $REAL_WRAP "$@"
  _st=$?
  _t1=$(date +%s%N)
  # time prepends a "Command exited with non-zero status" line then.
  sed -n "s/^TIMED /$(((_t1 - _t0) / 1000000)) /p" "$REAL_TIMES.tmp" \
    | awk '{ printf "%.3f %s %s\n", $1 / 1000, $2, $3 }' >> "$REAL_TIMES"
  printf '%s\n' "$*" >> "$REAL_TIMES.cmd"
  rm -f "$REAL_TIMES.tmp"
  return "$_st"
}

# stamp B: what build B (a variant_setup name) depends on besides the
# sources: the compilers and, for leakcc, a checksum of the driver, the
# plugin and the runtime (linked statically, so a new one needs a relink).
# timing.sh and verdicts.sh keep a build whose stamp is unchanged.
stamp() {
  variant_setup "$1" || return 1
  printf 'CC=%s CXX=%s' "$CC" "$CXX"
  case $1 in
    leakcc|leakcc-base)
      _cc=$LEAKCC
      [ "$1" = leakcc-base ] && _cc=$LEAKCC_BASE
      _lib=$(dirname "$_cc")/../lib/leakcc
      printf ' %s' "$(cat "$_cc" "$_lib/leakpass.so" "$_lib/libleakrt.a" 2>/dev/null | cksum)" ;;
  esac
  echo
}

# build_tree PKG B TREE LOG: builds PKG's sources with build B (a
# variant_setup name) into TREE, logging to LOG, with the tools' leak checks
# off (configure probes, build tools); with REAL_REUSE=1 an earlier build in
# TREE with the same stamp is kept.
build_tree() {
  _stamp=$(stamp "$2") || return 1
  variant_setup "$2" || return 1
  if [ "$REAL_REUSE" = 1 ] && [ "$(cat "$3/.real-built" 2>/dev/null)" = "$_stamp" ]; then
    real_log "$1/$2: reusing $3"; return 0
  fi
  rm -rf "$3" && cp -a "$REAL_WORK/src/$1/tree" "$3" || return 1
  real_log "$1/$2: building with CC='$CC'"
  (cd "$3" && export LEAKCC_OPTIONS=detect_leaks=0 LSAN_OPTIONS=detect_leaks=0 \
     ASAN_OPTIONS=detect_leaks=0 && . "$REAL_HERE/pkg/$1.sh" && pkg_build "$CC" "$CXX") \
    > "$4" 2>&1 || { real_log "error: $1/$2: build failed, see $4"; return 1; }
  printf '%s\n' "$_stamp" > "$3/.real-built"
}
