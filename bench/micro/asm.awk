# Summarises the kernels of stores.c in an assembly file (clang -S, x86-64,
# AT&T syntax): what the store instrumentation emitted for each, counted
# statically (an unrolled loop repeats its body, so counts are per copy in
# the code, not per store executed).
#
#   awk -f asm.awk -v offset=0x7fff8000 -v values="NONE=0 RAW=1 MASK=2 SIDE=4" FILE.s
#
# offset is LEAKCC_SHADOW_OFFSET and values the shadow byte names and
# values (run.sh reads both from abi.h).  Output, one line of tokens:
#   KERNEL_insns=N   instructions of the kernel
#   KERNEL_shadow=N  of which touch shadow (an operand with offset) or call
#                    a __leakcc_ hook
#   KERNEL_how=LIST  those, as WHAT*COUNT joined by ",", "-" for none; WHAT
#                    is a shadow value's name (a byte stored as an
#                    immediate: movw $257 is two RAW), "reg" (a byte stored
#                    from a register: a copied shadow), "rmw-OP" (OP in
#                    place), "read", "addr" (an address computed, when the
#                    optimizer keeps a shadow pointer), or a hook's name
#                    without __leakcc_ (a call).

BEGIN {
  off_dec = sprintf("%d", offset)
  n = split(values, pairs, " ")
  for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); name_of[kv[2] + 0] = kv[1] }
}

function tally(what) {
  if (!((kernel, what) in how)) kinds[kernel] = kinds[kernel] " " what
  how[kernel, what]++
}

# An immediate stored into shadow: each of its bytes is a shadow value.
function immediate(mnemonic, imm,    width, v, b, k) {
  width = mnemonic ~ /q$/ ? 8 : mnemonic ~ /l$/ ? 4 : mnemonic ~ /w$/ ? 2 : 1
  v = imm + 0
  if (v < 0) v += 2 ^ (8 * width)
  for (k = 0; k < width; k++) {
    b = v % 256; v = (v - b) / 256
    tally((b in name_of) ? name_of[b] : "0x" sprintf("%02x", b))
  }
}

/^kernel_[a-z]+:/ { kernel = substr($1, 8, length($1) - 8); order[++nk] = kernel; insns[kernel] = 0; next }
/^\.Lfunc_end/ { kernel = ""; next }

kernel != "" && /^\t[a-z]/ {
  insns[kernel]++
  line = $0; sub(/#.*/, "", line)
  if (match(line, /__leakcc_[a-z_]+/)) {
    shadow[kernel]++; tally(substr(line, RSTART + 9, RLENGTH - 9)); next
  }
  if (!index(line, off_dec) && !index(line, offset)) next
  shadow[kernel]++
  mnemonic = $1
  ops = line; sub(/^[ \t]*[a-z0-9]+[ \t]*/, "", ops)
  last = ops; sub(/.*\),?[ \t]*/, "", last)    # text after the last memory operand
  if (mnemonic ~ /^lea/ || index(line, "$" off_dec)) tally("addr")
  else if (last != "") tally("read")           # shadow is a source operand
  else if (mnemonic ~ /^mov[bwlq]?$/ && ops ~ /^\$/) { imm = ops; sub(/^\$/, "", imm); sub(/,.*/, "", imm); immediate(mnemonic, imm) }
  else if (mnemonic ~ /^mov/) tally("reg")
  else tally("rmw-" mnemonic)
}

END {
  for (i = 1; i <= nk; i++) {
    k = order[i]; list = ""
    nkinds = split(kinds[k], w, " ")
    for (j = 1; j <= nkinds; j++) list = list (j > 1 ? "," : "") w[j] "*" how[k, w[j]]
    printf "%s%s_insns=%d %s_shadow=%d %s_how=%s", (i > 1 ? " " : ""), k, insns[k], k, shadow[k] + 0, k, list == "" ? "-" : list
  }
  printf "\n"
}
