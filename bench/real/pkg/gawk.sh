# Recipe for the Debian source package gawk (see ../README.md for the
# interface).  Builds as debian/rules does: dh_auto_configure with
# --disable-rpath and dpkg-buildflags, the doc sources' dates set so that
# make does not rebuild the manuals, then make (gawk and its extensions).

pkg_build() {
  touch --date="Jan 01 2000" doc/gawktexi.in doc/sidebar.awk doc/gawk.texi doc/gawk.info \
    doc/gawkinet.texi doc/gawkinet.info doc/gawkworkflow.texi doc/gawkworkflow.info \
    doc/pm-gawk.texi doc/pm-gawk.info || return 1
  CC=$1 CFLAGS="$(dpkg-buildflags --get CFLAGS)" CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" \
    LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" ./configure --disable-rpath \
    && make -j"$REAL_JOBS"
}

# gawk's own suite (basic, unix, extension, locale and gawk-specific tests),
# its output made comparable: the compiler's name and the timestamps in the
# diffs of failing tests (the locale tests fail without en_US.UTF-8 and
# other locales) are masked.
pkg_check() {
  make check > check.log 2>&1
  _st=$?
  sed -e 's/^.* makepmafile\.c -o makepmafile$/CC makepmafile.c -o makepmafile/' \
      -e 's/^\(+++ _[^[:space:]]*\)[[:space:]].*/\1/' check.log
  return "$_st"
}

# gawk_log FILE LINES: a deterministic web-server-like log of LINES lines.
gawk_log() {
  awk -v n="$2" 'BEGIN { srand(3); split("GET POST PUT DELETE HEAD", m, " ")
    for (i = 0; i < n; i++)
      printf "10.%d.%d.%d - user%d [%02d/Nov/2026:%02d:%02d:%02d] \"%s /p/%d/item%d.html HTTP/1.1\" %d %d \"agent %d\"\n",
        i % 256, int(rand() * 256), int(rand() * 256), int(rand() * 5000), 1 + i % 28, i % 24, i % 60, (i * 7) % 60,
        m[1 + int(rand() * 5)], int(rand() * 300), int(rand() * 20000), (rand() < 0.9 ? 200 : 404), int(rand() * 100000), i % 13 }' > "$1"
}

pkg_data() {
  gawk_log "$1/access.log" 100000
}

# The report program of the benchmark: field splitting, associative arrays
# keyed by built strings, sprintf, gsub/match, split, and sorted traversal.
gawk_prog='
{ ip[$1]++; u = $3; bytes[u] += $9; n[u]++
  split($6, p, "/"); path = p[2] "/" p[3]; hits[path]++
  if ($8 == 404) miss[path] = miss[path] " " NR
  s = $4; gsub(/[0-9]/, "#", s); shape[s]++
  if (match($0, /"agent ([0-9]+)"/, a)) agent[a[1]] = agent[a[1]] sprintf("%d,", NR % 97)
  words[tolower(substr($5, 2)) ":" $9 % 10]++ }
END {
  PROCINFO["sorted_in"] = "@val_num_desc"; k = 0
  for (x in bytes) { if (++k > 20) break; printf "%s %d %.1f\n", x, bytes[x], bytes[x] / n[x] }
  PROCINFO["sorted_in"] = "@ind_str_asc"
  for (x in shape) print "shape", x, shape[x]
  for (x in words) print "word", x, words[x]
  m = 0; for (x in miss) m += split(miss[x], t, " ")
  l = 0; for (x in agent) l += length(agent[x])
  print length(ip), length(hits), m, l }'

# Reports over the log, also with gawk-only features (-M needs MPFR).
pkg_workload() {
  real_run report ./gawk "$gawk_prog" "$REAL_DATA/access.log"
  real_run csv ./gawk -F'"' -v OFS=, '{ $1 = $1; print NR, $2, length($0) }' "$REAL_DATA/access.log"
  real_run bignum ./gawk -M 'BEGIN { x = 1; for (i = 1; i <= 300; i++) x *= i; print x, length(x) }'
  real_run sort ./gawk 'BEGIN { srand(1); for (i = 0; i < 50000; i++) a[i] = rand(); n = asort(a); print n, a[1] < a[n] }'
  real_run error ./gawk 'BEGIN { print 1 / 0 }'
  real_run syntax ./gawk 'BEGIN { print ( }'
  real_expect error=1 syntax=1
}

pkg_bench_data() {
  gawk_log "$1/access.log" $((100000 * $2 / 100))
}

pkg_bench() {
  real_timed ./gawk "$gawk_prog" "$1/access.log" > "$REAL_OUT/report.out"
}
