# Recipe for the Debian source package zlib (see ../README.md for the
# interface).  Builds with zlib's own ./configure and Makefile, with the
# CFLAGS debian/rules passes, and the static and shared minigzip/example.

# Debian's CFLAGS for amd64 (debian/rules), LDFLAGS from dpkg-buildflags.
pkg_build() {
  CC=$1 CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS) -Wall -D_REENTRANT -O3 -DUNALIGNED_OK" \
    LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" ./configure \
    && make -j"$REAL_JOBS" all
}

# zlib's own tests: example and minigzip, static, shared and 64-bit builds.
pkg_check() {
  make test
}

# zlib_text FILE N: N lines of text that compresses like logs (50 bytes each).
zlib_text() {
  awk -v n="$2" 'BEGIN { srand(7); for (i = 0; i < n; i++)
         printf "%08d %s level=%d value=%.6f key%d\n", i, (i % 3 ? "INFO" : "WARN"),
                i % 7, rand() * 1000, int(rand() * 5000) }' > "$1"
}

# Inputs shared by both variants: about 6 MB of text that compresses like
# logs, plus 1 MB of pseudo-random bytes that does not compress.
pkg_data() {
  zlib_text "$1/text" 120000 \
    && LC_ALL=C awk 'BEGIN { srand(11); for (i = 0; i < 1048576; i++) printf "%c", int(rand() * 256) }' \
         > "$1/random" \
    && cat "$1/text" "$1/random" > "$1/mixed"
}

# Compresses each input at levels 1, 6 and 9 with the static and the shared
# minigzip, and decompresses each result; outputs must match byte for byte.
pkg_workload() {
  for f in text random mixed; do
    for l in 1 6 9; do
      real_run "$f.$l.gz" ./minigzip -"$l" < "$REAL_DATA/$f"
      real_run "$f.$l.out" ./minigzip -d < "$REAL_OUT/$f.$l.gz.out"
      real_same "$f.$l.roundtrip" "$REAL_DATA/$f" "$REAL_OUT/$f.$l.out.out"
    done
    real_run "$f.sh.gz" env LD_LIBRARY_PATH="$PWD" ./minigzipsh -6 < "$REAL_DATA/$f"
    real_run "$f.sh.out" env LD_LIBRARY_PATH="$PWD" ./minigzipsh -d < "$REAL_OUT/$f.sh.gz.out"
    real_same "$f.sh.roundtrip" "$REAL_DATA/$f" "$REAL_OUT/$f.sh.out.out"
  done
  real_expect
}

# About 25 MB of text, compressed at level 6 and decompressed again by the
# static minigzip (zlib allocates little: this measures instrumented code).
pkg_bench_data() {
  zlib_text "$1/text" $((500000 * $2 / 100))
}

pkg_bench() {
  real_timed ./minigzip -6 < "$1/text" > "$REAL_OUT/text.gz"
  real_timed ./minigzip -d < "$REAL_OUT/text.gz" > "$REAL_OUT/text"
}
