# Compares the leak verdicts of the runs of one package (verdicts.sh) and
# prints markdown: with what=row, one row of the summary table; with
# what=detail, the package's section (counts per run, then the blocks each
# run reported and another did not).
#
#   awk -f verdicts.awk -v what=row|detail -v pkg=PKG -v list=N -v diffs=DIR \
#       META run=precise OBJ.precise run=conservative OBJ.conservative run=lsan OBJ.lsan
#
# META lines: "RUN KEY VALUE" (procs: processes that reported leaks;
# records_direct, records_indirect: leak records; other: log files holding
# something else; check, workload: exit statuses of the phases; built: 0 or
# a failure).  OBJ lines come from leaks.awk: PHASE KIND SIZE STACK.
# A block is identified by (PHASE, STACK, SIZE); counts of identical blocks
# are compared, so "reported by A, not by B" means A reported more objects
# of that identity than B did.  Full difference lists go to
# DIFFS/A-not-B.tsv (objects, size, kinds, phase, stack); the section lists
# the LIST largest.

BEGIN { FS = "\t"; nruns = split("precise conservative lsan", runs, " ")
        title["precise"] = "precise"; title["conservative"] = "conservative"; title["lsan"] = "LSan" }

run == "" { split($0, m, " "); meta[m[1], m[2]] = m[3]; next }

{
  key = $1 SUBSEP $4 SUBSEP $3
  if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
  n[run, key]++
  nk[run, key, $2]++
  objs[run, $2]++; bytes[run, $2] += $3
}

function get(r, k) { return (r SUBSEP k) in meta ? meta[r, k] : "-" }
function num(a, k) { return (k in a) ? a[k] : 0 }

# diff A B SORTED: fills d_keys/d_count (objects A reported beyond B per
# key, largest first when SORTED), d_n, d_objs, d_bytes; and kind_moves
# (objects both reported, as another kind).
function diff(a, b, sorted,    i, k, ca, cb, parts) {
  d_n = 0; d_objs = 0; d_bytes = 0; kind_moves = 0
  for (i = 1; i <= nkeys; i++) {
    k = keys[i]; ca = num(n, a SUBSEP k); cb = num(n, b SUBSEP k)
    if (ca > cb) {
      split(k, parts, SUBSEP)
      d_keys[++d_n] = k; d_count[d_n] = ca - cb
      d_objs += ca - cb; d_bytes += (ca - cb) * parts[3]
    }
    kind_moves += (ca < cb ? ca : cb) - min2(num(nk, a SUBSEP k SUBSEP "direct"), num(nk, b SUBSEP k SUBSEP "direct")) \
                  - min2(num(nk, a SUBSEP k SUBSEP "indirect"), num(nk, b SUBSEP k SUBSEP "indirect"))
  }
  if (sorted) sort_diff()
}

function min2(x, y) { return x < y ? x : y }

# Largest first (objects x size), then by phase and stack for a stable order.
function sort_diff(    i, j, tk, tc) {
  for (i = 2; i <= d_n; i++)
    for (j = i; j > 1 && before(j, j - 1); j--) {
      tk = d_keys[j]; d_keys[j] = d_keys[j - 1]; d_keys[j - 1] = tk
      tc = d_count[j]; d_count[j] = d_count[j - 1]; d_count[j - 1] = tc
    }
}

function weight(i,    parts) { split(d_keys[i], parts, SUBSEP); return d_count[i] * parts[3] }
function before(i, j,    wi, wj) {
  wi = weight(i); wj = weight(j)
  return wi != wj ? wi > wj : d_keys[i] < d_keys[j]
}

function kinds(r, k,    d, ind) {
  d = num(nk, r SUBSEP k SUBSEP "direct"); ind = num(nk, r SUBSEP k SUBSEP "indirect")
  return d && ind ? "direct+indirect" : d ? "direct" : "indirect"
}

function counts(r) {
  return sprintf("%d / %d (%d B)", num(objs, r SUBSEP "direct"), num(objs, r SUBSEP "indirect"),
                 num(bytes, r SUBSEP "direct") + num(bytes, r SUBSEP "indirect"))
}

function short(a, b) { diff(a, b, 0); return d_objs ? sprintf("%d (%d B)", d_objs, d_bytes) : "0" }

function status(r,    s) {
  if (get(r, "built") != "0") return "build failed"
  s = ""
  if (get(r, "check") != "0" && get(r, "check") != "-") s = s "check exit " get(r, "check") " "
  if (get(r, "workload") != "0") s = s "workload exit " get(r, "workload") " "
  if (get(r, "other") != "0" && get(r, "other") != "-") s = s get(r, "other") " other logs"
  return s == "" ? "ok" : s
}

function row(    r, i) {
  printf "| %s", pkg
  for (i = 1; i <= nruns; i++) {
    r = runs[i]
    printf " | %s", get(r, "built") != "0" ? "build failed" : counts(r)
  }
  printf " | %s | %s | %s | %s | %s | %s |\n", short("precise", "conservative"), short("conservative", "precise"),
    short("precise", "lsan"), short("lsan", "precise"), short("conservative", "lsan"), short("lsan", "conservative")
}

function listing(a, b,    i, parts, file) {
  diff(a, b, 1)
  file = diffs "/" a "-not-" b ".tsv"
  printf "" > file
  for (i = 1; i <= d_n; i++) {
    split(d_keys[i], parts, SUBSEP)
    printf "%d\t%d\t%s\t%s\t%s\n", d_count[i], parts[3], kinds(a, d_keys[i]), parts[1], parts[2] > file
  }
  close(file)
  printf "**%s, not %s**: ", title[a], title[b]
  if (!d_objs) printf "none"
  else printf "%d object(s), %d bytes", d_objs, d_bytes
  if (kind_moves) printf "; %d more reported by both, as another kind (direct/indirect)", kind_moves
  printf "\n\n"
  for (i = 1; i <= d_n && i <= list; i++) {
    split(d_keys[i], parts, SUBSEP)
    printf "- %s: %d x %d B, %s: `%s`\n", parts[1], d_count[i], parts[3], kinds(a, d_keys[i]), parts[2]
  }
  if (d_n > list) printf "- ... %d more stacks: `%s`\n", d_n - list, file
  if (d_n) printf "\n"
}

function detail(    i, r) {
  printf "### %s\n\n", pkg
  print "| run | processes reporting | records direct / indirect | objects direct / indirect | bytes direct / indirect | runs |"
  print "|---|---|---|---|---|---|"
  for (i = 1; i <= nruns; i++) {
    r = runs[i]
    printf "| %s | %s | %s / %s | %d / %d | %d / %d | %s |\n", title[r], get(r, "procs"),
      get(r, "records_direct"), get(r, "records_indirect"), num(objs, r SUBSEP "direct"), num(objs, r SUBSEP "indirect"),
      num(bytes, r SUBSEP "direct"), num(bytes, r SUBSEP "indirect"), status(r)
  }
  print ""
  listing("precise", "conservative"); listing("conservative", "precise")
  listing("precise", "lsan"); listing("lsan", "precise")
  listing("conservative", "lsan"); listing("lsan", "conservative")
}

END { if (what == "row") row(); else detail() }
