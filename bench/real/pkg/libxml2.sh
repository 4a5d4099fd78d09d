# Recipe for the Debian source package libxml2 (see ../README.md for the
# interface).  Configures as debian/rules does (autoreconf) for its main (non-Python)
# build: dpkg-buildflags with hardening=+all and -Wall -O3 appended,
# --with-history --with-icu --without-python.  Builds the library and the
# two tools; pkg_check builds the test programs it runs.

pkg_build() {
  export DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CFLAGS_MAINT_APPEND="-Wall -O3"
  # dh_autoreconf, as debian/rules: the tarball's Makefile.in are stale.
  autoreconf -fi || return 1
  CC=$1 CFLAGS="$(dpkg-buildflags --get CFLAGS)" CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" \
    LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" ./configure --with-history --without-python --with-icu \
    && make -j"$REAL_JOBS" libxml2.la xmllint xmlcatalog
}

# The source's tests that need no data files: Debian's tarball drops test/
# and result/ (debian/copyright, Files-Excluded), so `make check`'s runtest
# finds almost nothing and its thread test prints in a random order.
# testapi calls every public function (1164 of them, 280 000 calls); it
# leaks about 39 MB in 40 500 blocks (LSan agrees), so under a leak checker
# it exits 23: the other two run anyway.
pkg_check() {
  make testapi testchar testdict || return 1
  _st=0
  for _t in testapi testchar testdict; do ./$_t || _st=1; done
  return "$_st"
}

# xml_doc FILE N: a deterministic catalogue of N records with an internal
# DTD (so --valid has work to do), attributes, entities, CDATA, comments and
# mixed content; about 300 bytes per record.
xml_doc() {
  awk -v n="$2" 'BEGIN { srand(9)
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<!DOCTYPE catalog [\n<!ELEMENT catalog (item*)>\n<!ELEMENT item (title, price, tags, note?, desc)>"
    print "<!ATTLIST item id ID #REQUIRED kind (book|disc|tool) \"book\" ref IDREF #IMPLIED>"
    print "<!ELEMENT title (#PCDATA)>\n<!ELEMENT price (#PCDATA)>\n<!ATTLIST price cur CDATA #REQUIRED>"
    print "<!ELEMENT tags (tag*)>\n<!ELEMENT tag (#PCDATA)>\n<!ELEMENT note (#PCDATA)>"
    print "<!ELEMENT desc (#PCDATA|b|i)*>\n<!ELEMENT b (#PCDATA)>\n<!ELEMENT i (#PCDATA)>"
    print "<!ENTITY co \"Example &amp; Sons Ltd.\">\n]>\n<catalog>"
    split("book disc tool", k, " ")
    for (i = 0; i < n; i++) {
      printf "  <item id=\"i%d\" kind=\"%s\"%s>\n", i, k[1 + i % 3], (i ? sprintf(" ref=\"i%d\"", int(rand() * i)) : "")
      printf "    <title>Title %d &co; &#x263A; %c%c%c</title>\n", i, 65 + i % 26, 97 + (i * 7) % 26, 97 + (i * 3) % 26
      printf "    <price cur=\"EUR\">%.2f</price>\n    <tags>", rand() * 500
      for (t = 0; t < 1 + i % 4; t++) printf "<tag>t%d</tag>", int(rand() * 50)
      printf "</tags>\n"
      if (i % 5 == 0) printf "    <note><![CDATA[raw <text> & %d]]></note>\n", i
      printf "    <desc>Item %d is <b>%s</b> and <i>%d</i> units; <!-- c%d --> value %f.</desc>\n  </item>\n",
        i, (rand() < 0.5 ? "new" : "used"), int(rand() * 1000), i, rand() }
    print "</catalog>" }' > "$1"
}

pkg_data() {
  xml_doc "$1/doc.xml" 20000 \
    && printf '<a><b>unclosed</a>\n' > "$1/bad.xml"
}

# Parsing, validation, formatting, XPath, streaming and C14N, and the error
# paths of a malformed document and a missing file.
pkg_workload() {
  _x=./xmllint _in=$REAL_DATA/doc.xml
  real_run valid $_x --noout --valid "$_in"
  real_run format $_x --format "$_in"
  real_run noent $_x --noent --nocdata "$_in"
  real_run xpath $_x --xpath 'count(//item[@kind="disc"]/tags/tag)' "$_in"
  real_run stream $_x --stream --noout --valid "$_in"
  real_run c14n $_x --c14n "$_in"
  real_run sax $_x --sax --noout "$_in"
  real_run bad $_x --noout "$REAL_DATA/bad.xml"
  real_run missing $_x --noout "$REAL_DATA/missing.xml"
  real_expect bad=1 missing=1
}

# About 24 MB: big enough that parsing and the DOM dominate the run.
pkg_bench_data() {
  xml_doc "$1/doc.xml" $((80000 * $2 / 100))
}

# A validating parse and a --format pass of the document (a DOM of it).
pkg_bench() {
  export LD_LIBRARY_PATH=$PWD/.libs
  real_timed .libs/xmllint --noout --valid "$1/doc.xml"
  real_timed .libs/xmllint --format --output "$REAL_OUT/format.xml" "$1/doc.xml"
}
