# Recipe for the Debian source package jq (see ../README.md for the
# interface).  Builds as debian/rules does (dh with autoreconf, hardening
# flags, --disable-static) minus the man page, which needs rake; Debian
# runs the same test suite under valgrind --leak-check=full, so it is
# expected to be free of leaks.

pkg_build() {
  export DEB_BUILD_MAINT_OPTIONS=hardening=+all
  autoreconf -fi \
    && CC=$1 CFLAGS="$(dpkg-buildflags --get CFLAGS)" CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" \
       LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" ./configure --disable-static --disable-docs \
    && make -j"$REAL_JOBS"
}

# jq's own suite (man page examples, jq.test, regexes, shell tests); without
# valgrind, which it would otherwise wrap around every run.
pkg_check() {
  make check NO_VALGRIND=1
}

# jq_records FILE N: N JSON records, one per line (about 130 bytes each).
jq_records() {
  awk -v n="$2" 'BEGIN { srand(5); for (i = 0; i < n; i++)
         printf "{\"id\":%d,\"name\":\"user%05d\",\"group\":\"g%d\",\"score\":%.3f,\"tags\":[\"t%d\",\"t%d\"],\"nested\":{\"a\":[%d,%d,{\"b\":\"x%d\"}],\"ok\":%s}}\n",
           i, i, i % 17, rand() * 100, i % 5, i % 11, i, i * 2, i % 3, (i % 2 ? "true" : "false") }' > "$1"
}

# About 4 MB of JSON records, one per line.
pkg_data() {
  jq_records "$1/records.json" 30000 \
    && printf '{"a": [1, 2, }\n' > "$1/bad.json"
}

pkg_workload() {
  _in=$REAL_DATA/records.json
  real_run identity ./jq -c . "$_in"
  real_run slurp ./jq -s 'group_by(.group) | map({group: .[0].group, n: length, best: (max_by(.score).name), mean: (map(.score) | add / length)})' "$_in"
  real_run select ./jq -c 'select(.nested.ok and (.tags | index("t3"))) | {id, s: "\(.name):\(.score)"}' "$_in"
  real_run reduce ./jq -n 'reduce inputs as $r ({}; .[$r.group] += [$r.id]) | map_values(length)' "$_in"
  real_run csv ./jq -r '[.id, .name, .score, (.tags | join("+"))] | @csv' "$_in"
  real_run paths ./jq -c '[paths] | length' "$_in"
  real_run stream ./jq -c --stream 'select(length == 2)' "$_in"
  real_run regex ./jq -c 'select(.name | test("user0+1[0-9]$")) | .name | sub("user"; "u") | ascii_upcase' "$_in"
  real_run args ./jq -n --arg x hello --argjson y '{"k":[1,2]}' '[$x, $y, ($x | explode | implode), ($y | tojson | fromjson)]'
  real_run defs ./jq -n 'def f(g): [range(0; 200)] | map(g) | add; [f(. * 2), f(tostring | length), ([limit(5; repeat(1))])]'
  real_run bad_input ./jq . "$REAL_DATA/bad.json"
  real_run error ./jq -n '{"a": 1} | error'
  real_run exit_status ./jq -e '.missing' "$REAL_DATA/bad.json"
  real_run compile_error ./jq -n '{a: }'
  real_expect bad_input=4 error=5 exit_status=4 compile_error=3
}

# About 10 MB of records: a streaming filter and a slurping aggregation.
pkg_bench_data() {
  jq_records "$1/records.json" $((80000 * $2 / 100))
}

# The real binary, not libtool's wrapper script, is measured.
pkg_bench() {
  export LD_LIBRARY_PATH=$PWD/.libs
  real_timed .libs/jq -c 'select(.nested.ok and (.tags | index("t3"))) | {id, s: "\(.name):\(.score)"}' \
    "$1/records.json" > "$REAL_OUT/select.out"
  real_timed .libs/jq -s 'group_by(.group) | map({group: .[0].group, n: length, best: (max_by(.score).name), mean: (map(.score) | add / length)})' \
    "$1/records.json" > "$REAL_OUT/slurp.out"
}
