# Turns results.tsv (written by run.sh) into markdown tables.
#
#   awk -f report.awk results.tsv
#
# Input lines: BENCH \t CONFIG \t VARIANT \t ROUND \t key=value tokens, where
# the tokens come from the benchmark and from measure.c ("stores-asm" lines,
# written by run.sh from the stores builds' assembly, hold instruction
# counts instead of a run).  Every figure is the
# median over the runs that succeeded; a cell whose runs all failed shows FAIL
# and the failures are listed under the tables.  Status 23 (the tools' "leaks
# found" exit code) is a false report in every benchmark, since they leave no
# leaks; outside the exit check it does not touch the figure measured inside
# the program, so that figure is kept and the run is listed as a note.

function add(key, v) { vals[key] = (key in vals) ? vals[key] " " v : v }

function median(key,    n, a, i, j, t) {
  if (!(key in vals)) return ""
  n = split(vals[key], a, " ")
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function count(key,    a) { return (key in vals) ? split(vals[key], a, " ") : 0 }

function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "" : sprintf("%.2fx", a / b) }

# A cell: the value, "FAIL" when only failed runs exist, "n/a" when none ran.
function cell(bench, config, variant, v, fmt) {
  if (v != "") return sprintf(fmt, v)
  return ((bench SUBSEP config SUBSEP variant) in failed) ? "FAIL" : "n/a"
}

function with_ratio(text, r) { return r == "" ? text : text " (" r ")" }

BEGIN { FS = "\t"; name["plain"] = "glibc"; name["leakcc"] = "leakcc"; name["lsan"] = "LSan"; name["asan"] = "ASan" }

{
  bench = $1; config = $2; variant = $3
  ntok = split($5, tok, " ")
  delete kv
  for (i = 1; i <= ntok; i++) {
    eq = index(tok[i], "=")
    if (eq) kv[substr(tok[i], 1, eq - 1)] = substr(tok[i], eq + 1)
  }
  id = bench SUBSEP config SUBSEP variant
  if (bench == "stores-asm") { for (k in kv) asm[config, variant, k] = kv[k]; next }
  if (!((bench, config) in listed)) { listed[bench, config] = 1; configs[bench] = configs[bench] " " config }
  if (kv["status"] == "23" && bench != "exit") {
    reported = reported sprintf("- %s %s %s round %s: exit status 23 (leak report; figure kept)\n",
                                bench, config, name[variant], $4)
  } else if (kv["status"] != "0") {
    failed[id] = 1
    failures = failures sprintf("- %s %s %s round %s: status %s\n", bench, config, name[variant], $4,
                                kv["status"] == "" ? "none (no output)" : kv["status"])
    next
  }
  for (k in kv) add(id SUBSEP k, kv[k])
}

function pairs_table(    n, c, i, parts, g, l, s, a, cfg) {
  n = split(configs["pairs"], c, " ")
  if (!n) return
  print "### malloc+free pairs (ns per pair; ratio vs glibc in parentheses)\n"
  print "| pattern | threads | runs | glibc | leakcc | LSan | ASan | leakcc / LSan |"
  print "|---|---|---|---|---|---|---|---|"
  for (i = 1; i <= n; i++) {
    cfg = c[i]; split(cfg, parts, "/")
    g = median("pairs" SUBSEP cfg SUBSEP "plain" SUBSEP "ns_per_pair")
    l = median("pairs" SUBSEP cfg SUBSEP "leakcc" SUBSEP "ns_per_pair")
    s = median("pairs" SUBSEP cfg SUBSEP "lsan" SUBSEP "ns_per_pair")
    a = median("pairs" SUBSEP cfg SUBSEP "asan" SUBSEP "ns_per_pair")
    printf "| %s | %s | %d | %s | %s | %s | %s | %s |\n", parts[1], parts[2],
      count("pairs" SUBSEP cfg SUBSEP "plain" SUBSEP "ns_per_pair"),
      cell("pairs", cfg, "plain", g, "%.1f"),
      with_ratio(cell("pairs", cfg, "leakcc", l, "%.1f"), ratio(l, g)),
      with_ratio(cell("pairs", cfg, "lsan", s, "%.1f"), ratio(s, g)),
      with_ratio(cell("pairs", cfg, "asan", a, "%.1f"), ratio(a, g)),
      ratio(l, s)
  }
  print ""
}

# The check's time is the median tail (reap time minus the timestamp printed
# before main returned) with the check on, minus the median with it off.
# A tail with the check off that is not far below the tail with it on means
# detect_leaks=0 did not take effect, which would make the figure meaningless.
function check_s(nodes, variant,    on, off) {
  on = median("exit" SUBSEP nodes "/on" SUBSEP variant SUBSEP "tail_ns")
  off = median("exit" SUBSEP nodes "/off" SUBSEP variant SUBSEP "tail_ns")
  if (on == "" || off == "") return ""
  if (off > on / 2)
    suspect = suspect sprintf("- %s, %s nodes: median tail %.3f s with detect_leaks=0 vs %.3f s with the check;" \
                              " did detect_leaks=0 take effect?\n", name[variant], nodes, off / 1e9, on / 1e9)
  return (on - off) / 1e9
}

function per_obj(t, nodes) { return t == "" ? "" : sprintf(" = %.0f ns/object", t * 1e9 / nodes) }

function mb(nodes, onoff, variant,    v) {
  v = median("exit" SUBSEP nodes "/" onoff SUBSEP variant SUBSEP "maxrss_kb")
  return v == "" ? "" : v / 1024
}

function exit_tables(    n, c, i, nodes, seen_n, list, m, lc, sc, runs, parts, g, l, s) {
  n = split(configs["exit"], c, " ")
  if (!n) return
  for (i = 1; i <= n; i++) {
    split(c[i], parts, "/")
    if (!(parts[1] in seen_n)) { seen_n[parts[1]] = 1; list[++m] = parts[1] }
  }
  print "### Exit check time, all objects reachable (check = median tail with the check on - median tail with detect_leaks=0)\n"
  print "| live objects | runs (on/off) | leakcc check | LSan check | leakcc / LSan |"
  print "|---|---|---|---|---|"
  for (i = 1; i <= m; i++) {
    nodes = list[i]
    lc = check_s(nodes, "leakcc"); sc = check_s(nodes, "lsan")
    runs = count("exit" SUBSEP nodes "/on" SUBSEP "lsan" SUBSEP "tail_ns") "/" \
           count("exit" SUBSEP nodes "/off" SUBSEP "lsan" SUBSEP "tail_ns")
    printf "| %s | %s | %s | %s | %s |\n", nodes, runs,
      (lc == "" ? cell("exit", nodes "/on", "leakcc", "", "") : sprintf("%.3f s%s", lc, per_obj(lc, nodes))),
      (sc == "" ? cell("exit", nodes "/on", "lsan", "", "") : sprintf("%.3f s%s", sc, per_obj(sc, nodes))),
      ratio(lc, sc)
  }
  print ""
  if (suspect != "") { print "Suspect figures:\n"; printf "%s\n", suspect }
  print "### Exit-check program: peak RSS (MiB, check on) and time to build the heap (s)\n"
  print "| live objects | glibc RSS | leakcc RSS | LSan RSS | leakcc / LSan RSS | RSS added by the check: leakcc, LSan | build: glibc, leakcc, LSan |"
  print "|---|---|---|---|---|---|---|"
  for (i = 1; i <= m; i++) {
    nodes = list[i]
    g = mb(nodes, "off", "plain"); l = mb(nodes, "on", "leakcc"); s = mb(nodes, "on", "lsan")
    printf "| %s | %s | %s | %s | %s | %s, %s | %s, %s, %s |\n", nodes,
      cell("exit", nodes "/off", "plain", g, "%.0f"),
      with_ratio(cell("exit", nodes "/on", "leakcc", l, "%.0f"), ratio(l, g)),
      with_ratio(cell("exit", nodes "/on", "lsan", s, "%.0f"), ratio(s, g)),
      ratio(l, s),
      delta(l, mb(nodes, "off", "leakcc")), delta(s, mb(nodes, "off", "lsan")),
      secs(nodes "/off", "plain"), secs(nodes "/off", "leakcc"), secs(nodes "/off", "lsan")
  }
  print ""
}

function delta(on, off) { return (on == "" || off == "") ? "n/a" : sprintf("%+.0f", on - off) }

function secs(cfg, variant,    v) {
  v = median("exit" SUBSEP cfg SUBSEP variant SUBSEP "build_ns")
  return v == "" ? "n/a" : sprintf("%.2f", v / 1e9)
}

function overhead_table(    n, c, i, size, g, l, s) {
  n = split(configs["overhead"], c, " ")
  if (!n) return
  print "### Per-block memory overhead (resident bytes per block beyond the requested size: size-class rounding + metadata; ratios compare total resident bytes per block)\n"
  print "| block size | runs | glibc | leakcc | LSan | leakcc total / glibc | leakcc total / LSan |"
  print "|---|---|---|---|---|---|---|"
  for (i = 1; i <= n; i++) {
    size = c[i]
    g = median("overhead" SUBSEP size SUBSEP "plain" SUBSEP "rss_per_block")
    l = median("overhead" SUBSEP size SUBSEP "leakcc" SUBSEP "rss_per_block")
    s = median("overhead" SUBSEP size SUBSEP "lsan" SUBSEP "rss_per_block")
    printf "| %s | %d | %s | %s | %s | %s | %s |\n", size,
      count("overhead" SUBSEP size SUBSEP "plain" SUBSEP "rss_per_block"),
      cell("overhead", size, "plain", g == "" ? "" : g - size, "%.1f"),
      cell("overhead", size, "leakcc", l == "" ? "" : l - size, "%.1f"),
      cell("overhead", size, "lsan", s == "" ? "" : s - size, "%.1f"),
      ratio(l, g), ratio(l, s)
  }
  print ""
}

# Store cost: ns per store of each kernel, uninstrumented and instrumented
# (both linked with the runtime), and the instrumented cost against the
# instrumented pointer store, which issue 3 bounds by 2x for the constant
# encodings (lowtag, nanbox, hightag).  The last two columns come from the
# builds' assembly (asm.awk): each kernel's instruction count, and the
# instrumented kernel's shadow code, counted statically (shadow values
# stored, copies, hook calls).
function stores_table(    n, c, i, j, cfg, nk, kn, k, u, s, p, rp, verdict, asm_u, asm_i, code) {
  n = split(configs["stores"], c, " ")
  if (!n) return
  nk = split("data ptr lowtag nanbox hightag copy int", kn, " ")
  print "### Store cost (ns per store, median; ratio instrumented / uninstrumented in parentheses)\n"
  for (i = 1; i <= n; i++) {
    cfg = c[i]
    printf "%s (runs: %d):\n\n", cfg, count("stores" SUBSEP cfg SUBSEP "inst" SUBSEP "ptr_ns")
    print "| kernel | uninstrumented | instrumented | vs instrumented ptr store | instructions uninstr. / instr. | shadow code (instr. asm) |"
    print "|---|---|---|---|---|---|"
    p = median("stores" SUBSEP cfg SUBSEP "inst" SUBSEP "ptr_ns")
    for (j = 1; j <= nk; j++) {
      k = kn[j]
      u = median("stores" SUBSEP cfg SUBSEP "uninst" SUBSEP k "_ns")
      s = median("stores" SUBSEP cfg SUBSEP "inst" SUBSEP k "_ns")
      rp = ratio(s, p)
      verdict = ""
      if (rp != "" && (k == "lowtag" || k == "nanbox" || k == "hightag"))
        verdict = (s / p <= 2) ? " ok (<= 2x)" : " OVER 2x"
      asm_u = ((cfg, "uninst", k "_insns") in asm) ? asm[cfg, "uninst", k "_insns"] : "?"
      asm_i = ((cfg, "inst", k "_insns") in asm) ? asm[cfg, "inst", k "_insns"] : "?"
      code = ((cfg, "inst", k "_how") in asm) ? asm[cfg, "inst", k "_how"] : "?"
      gsub(/,/, ", ", code); gsub(/\*/, " x", code)
      printf "| %s | %s | %s | %s | %s / %s | %s |\n", k,
        cell("stores", cfg, "uninst", u, "%.3f"),
        with_ratio(cell("stores", cfg, "inst", s, "%.3f"), ratio(s, u)),
        rp verdict, asm_u, asm_i, code
    }
    print ""
  }
}

END {
  pairs_table()
  exit_tables()
  overhead_table()
  stores_table()
  if (failures != "") { print "Failed runs (not counted):\n"; printf "%s\n", failures }
  if (reported != "") { print "Runs that printed a leak report although the program leaks nothing:\n"; printf "%s\n", reported }
}
