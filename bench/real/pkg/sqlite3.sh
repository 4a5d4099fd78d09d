# Recipe for the Debian source package sqlite3 (see ../README.md for the
# interface).  Configures as debian/rules does (autoreconf, its CFLAGS and configure
# options: lookaside off, so every row and statement goes through malloc)
# and builds `speedtest1`, SQLite's own performance test, which the Makefile
# links from the amalgamation sqlite3.c that it generates with tclsh.  The
# library, the shell and the Tcl extension are not built: nothing here runs
# them, and the amalgamation is the same code.

pkg_build() {
  _ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH) || return 1
  export DEB_BUILD_MAINT_OPTIONS="hardening=+all future=+lfs"
  _defs="-O2 -fno-strict-aliasing -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA
    -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1
    -DSQLITE_SOUNDEX=1 -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1
    -DSQLITE_ENABLE_LOAD_EXTENSION -DSQLITE_ENABLE_JSON1 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS
    -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1
    -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION
    -DSQLITE_ENABLE_STMTVTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000"
  # The build runs tools it compiles with CC; lemon leaks its tables (LSan
  # reports the same three blocks), so a leak checker's exit status must
  # not fail the build.  The reports stay in the logs.
  for _v in LEAKCC_OPTIONS LSAN_OPTIONS ASAN_OPTIONS; do
    eval "export $_v=\"\${$_v:-}\${$_v:+:}exitcode=0\""
  done
  # dh_autoreconf, as debian/rules: the tarball's libtool needs bash.
  autoreconf -fi || return 1
  CC=$1 CFLAGS="$(dpkg-buildflags --get CFLAGS) $(echo $_defs)" CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" \
    LDFLAGS="$(dpkg-buildflags --get LDFLAGS) -Wl,--as-needed" \
    ./configure --prefix=/usr --enable-threadsafe --enable-load-extension --enable-json \
      --enable-fts4 --enable-fts5 --disable-amalgamation --libdir="/usr/lib/$_ma" \
      --with-tcl="/usr/lib/$_ma/tcl8.6" SHELL=/bin/sh \
    && make -j"$REAL_JOBS" speedtest1
}

# The source's own test suites need the Tcl testfixture and take an hour;
# speedtest1 --verify checks every test's results instead.  It prints each
# test's time: masked, so outputs compare.
pkg_check() {
  ./speedtest1 --size 5 --verify --memdb --nomemstat > check.log
  _st=$?
  sed 's/[0-9.]*s$/TIME/' check.log
  return "$_st"
}

pkg_data() { :; }

# Test sets at --size 10 on a file database, times masked.  The rtree set
# leaks its aCheck array (speedtest1.c's testset_rtree never frees it; LSan
# reports the same 20008 bytes), so leak-checking builds exit 23 there.
pkg_workload() {
  for _t in main cte rtree orm fp; do
    rm -f "$REAL_OUT/db"
    real_run "$_t" ./speedtest1 --size 10 --testset "$_t" --verify --nosync "$REAL_OUT/db"
    sed -i 's/[0-9.]*s$/TIME/' "$REAL_OUT/$_t.out"
  done
  rm -f "$REAL_OUT/db"
  real_expect
}

pkg_bench_data() { :; }

# The default test set on a database file, at --size 40 per 100 % of scale.
pkg_bench() {
  rm -f "$REAL_OUT/db"
  real_timed ./speedtest1 --size $((40 * $2 / 100)) --nosync "$REAL_OUT/db" > "$REAL_OUT/speedtest1.out"
  # The padding too: times print as %8.3f, so 10 s and more take a space.
  sed -i 's/ *[0-9.]*s$/ TIME/' "$REAL_OUT/speedtest1.out"
  rm -f "$REAL_OUT/db"
}
