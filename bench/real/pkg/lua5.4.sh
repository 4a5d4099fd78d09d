# Recipe for the Debian source package lua5.4 (see ../README.md for the
# interface).  Debian's patched src/Makefile builds through libtool, which
# debian/rules generates from debian/configure.ac; this does the same steps
# as override_dh_auto_configure and override_dh_auto_build, so the build is
# Debian's own: liblua5.4.so (C and C++ flavours), lua5.4 and luac5.4.

pkg_build() {
  _ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH) || return 1
  mkdir debian/libtool && cp debian/configure.ac debian/libtool/ || return 1
  (cd debian/libtool && LIBTOOLIZE='libtoolize -i' autoreconf -f -i \
     && CC=$1 CXX=$2 ./configure) || return 1
  printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "%s"\n#endif\n' \
    "$_ma" > src/lua5.4-deb-multiarch.h || return 1
  # -j1: src/Makefile builds liblua5.4.la and liblua5.4-c++.la with one
  # two-target rule, which make -jN runs twice at once (ranlib then races).
  make -j1 linux-readline DEB_HOST_MULTIARCH="$_ma" \
    LIBTOOL="$PWD/debian/libtool/libtool" CC="$1 -std=gnu99" CXX="$2"
}

# The package's only test target: runs `lua5.4 -v` through libtool.
pkg_check() {
  make test LIBTOOL="$PWD/debian/libtool/libtool"
}

pkg_data() {
  cp "$REAL_HERE/lua/workload.lua" "$REAL_HERE/lua/exit.lua" "$1/"
}

# The workload script run from source and as luac bytecode, the bytecode
# listing, and the interpreter's error and os.exit paths.
pkg_workload() {
  _lua=src/lua5.4
  real_run workload "$_lua" "$REAL_DATA/workload.lua"
  real_run luac src/luac5.4 -o "$REAL_OUT/workload.luac" "$REAL_DATA/workload.lua"
  real_run bytecode "$_lua" "$REAL_OUT/workload.luac"
  real_run listing src/luac5.4 -l -p "$REAL_DATA/workload.lua"
  # The listing prints prototype addresses, which differ from run to run.
  sed -i 's/0x[0-9a-f]\{1,\}/0xADDR/g' "$REAL_OUT/listing.out"
  real_run stdin "$_lua" - < "$REAL_DATA/workload.lua"
  real_run error "$_lua" -e 'local t = setmetatable({}, {__index = function() error("boom") end}) return t.x'
  real_run syntax "$_lua" -e 'return +'
  real_run exit "$_lua" "$REAL_DATA/exit.lua"
  real_expect error=1 syntax=1 exit=3
}

pkg_bench_data() {
  cp "$REAL_HERE/lua/bench.lua" "$1/"
}

# lua/bench.lua at the scale given (src/lua5.4 links liblua statically).
pkg_bench() {
  real_timed src/lua5.4 "$1/bench.lua" "$2" > "$REAL_OUT/bench.out"
}
