# Turns LSan-format leak reports (leakcc's and LeakSanitizer's, written with
# report_objects=1) into one line per leaked object, so that reports of
# different tools and runs can be compared block by block.
#
#   awk -f leaks.awk -v phase=PHASE -v frames=3 LOGS...
#
# Output, tab-separated: PHASE KIND SIZE STACK, where KIND is direct or
# indirect, SIZE the object's size in bytes and STACK its allocation stack's
# top FRAMES frames below the allocator, "FUNC FILE:LINE" each (the file's
# base name, no column: the tools agree on lines but not on paths or
# columns), joined by " < ".  Leading allocator frames (malloc and its kin,
# operator new, the tools' interceptors and hooks) are dropped, since LSan
# shows them and leakcc does not.  A record whose objects are not listed
# (report_objects off, or a log cut short) gives its remaining objects the
# record's mean size.
#
# A log file that holds anything but leak reports (an error, a warning) is
# named on stderr as "other FILE", so the caller can count and show it.

function flush(    n) {
  if (kind == "") return
  for (n = listed; n < count; n++)
    printf "%s\t%s\t%d\t%s\n", phase, kind, (count > listed ? (bytes - listed_bytes) / (count - listed) : 0), stack
  kind = ""
}

function allocator(f) {
  return f ~ /^(_+interceptor_|__leakcc_|__lsan|__sanitizer|__asan)/ ||
         f ~ /^(malloc|calloc|realloc|reallocarray|free|strdup|strndup|posix_memalign|aligned_alloc|memalign|valloc|pvalloc)$/ ||
         f ~ /^operator new/
}

# frame LINE: "FUNC FILE:LINE", "FUNC (MODULE)" or "(MODULE)"; sets
# frame_fn to FUNC ("" when unknown).
function frame(line,    rest, fn, loc, n, parts) {
  frame_fn = ""
  rest = line
  sub(/^[ \t]*#[0-9]+ 0x[0-9a-fA-F]+ +/, "", rest)
  sub(/ \(BuildId: [0-9a-fA-F]*\)$/, "", rest)
  sub(/^in /, "", rest)
  if (rest ~ /\([^ ()]*\+0x[0-9a-fA-F]+\)$/) {
    # Unsymbolized: FUNC (MODULE+0xOFF) or (MODULE+0xOFF).
    match(rest, /\([^ ()]*\+0x[0-9a-fA-F]+\)$/)
    fn = substr(rest, 1, RSTART - 1); loc = substr(rest, RSTART + 1, RLENGTH - 2)
    sub(/\+0x[0-9a-fA-F]+$/, "", loc); sub(/.*\//, "", loc); sub(/ +$/, "", fn)
    frame_fn = fn
    return (fn == "" ? "" : fn " ") "(" loc ")"
  }
  n = split(rest, parts, " ")
  loc = parts[n]; fn = substr(rest, 1, length(rest) - length(loc)); sub(/ +$/, "", fn)
  if (loc ~ /:[0-9]+:[0-9]+$/) sub(/:[0-9]+$/, "", loc)
  sub(/.*\//, "", loc)
  frame_fn = fn
  return fn == "" ? loc : fn " " loc
}

FNR == 1 { flush(); if (NR > 1 && other_here) print "other " prev_file > "/dev/stderr"; other_here = 0; prev_file = FILENAME }

/^(Direct|Indirect) leak of [0-9]+ byte\(s\) in [0-9]+ object\(s\) allocated from:/ {
  flush()
  kind = $1 == "Direct" ? "direct" : "indirect"
  bytes = $4; count = $7; listed = 0; listed_bytes = 0; stack = ""; nframes = 0; in_objects = 0
  next
}

kind != "" && !in_objects && /^[ \t]+#[0-9]+ / {
  f = frame($0)
  if (nframes == 0 && allocator(frame_fn)) next
  if (nframes < frames) { stack = stack (nframes ? " < " : "") f; nframes++ }
  next
}

/^Objects leaked above:/ { in_objects = 1; next }

kind != "" && in_objects && /^0x[0-9a-fA-F]+ \([0-9]+ bytes\)/ {
  size = $2; sub(/^\(/, "", size)
  printf "%s\t%s\t%d\t%s\n", phase, kind, size, stack
  listed++; listed_bytes += size
  next
}

# Report furniture: separators, headers, the summary, the top-N notice.
/^=+$/ || /^==[0-9]+==ERROR: [A-Za-z]+: detected memory leaks/ || /^SUMMARY: / || /^The [0-9]+ top leak/ || /^[ \t]*$/ { next }
# Anything else that is not part of a record.
!(kind != "" && in_objects == 0) { other_here = 1 }

END { flush(); if (other_here) print "other " prev_file > "/dev/stderr" }
