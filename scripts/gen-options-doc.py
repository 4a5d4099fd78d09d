#!/usr/bin/env python3
"""Writes docs/options.md from runtime/flags.inc, the one option table.

  scripts/gen-options-doc.py          rewrite docs/options.md
  scripts/gen-options-doc.py --check  exit 1 if docs/options.md is stale
                                      (run by ctest as options_doc)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = os.path.join(ROOT, "runtime", "flags.inc")
DOC = os.path.join(ROOT, "docs", "options.md")

HEADER = """# Runtime options

<!-- Generated from runtime/flags.inc by scripts/gen-options-doc.py; do not edit by hand. -->

Options are read at start-up, later sources overriding earlier ones:

1. `__lsan_default_options()`, if the program defines it;
2. `LSAN_OPTIONS`, so existing LeakSanitizer set-ups keep working;
3. `LEAKCC_OPTIONS`.

The syntax is LeakSanitizer's: `name=value` pairs separated by `:` (also `,`
or whitespace), values optionally quoted with `'` or `"`. Booleans accept
`0/1`, `false/true`, `no/yes`. An unknown option, a missing value or a value of
the wrong type prints one `leakcc: warning:` line naming the option and where
it came from; the option keeps its previous value and the program runs on.
An out-of-range value (`exitcode=300`, `malloc_context_size=99`,
`max_leaks=-1`, `marker_threads=-1`, `mode=fast`) is warned about the same
way and replaced by the default.
`help=1` prints this table with the current values.

A `suppressions` file that cannot be used (missing, a directory,
unreadable, or with a malformed line) does not stop the program either: as
with LeakSanitizer, the file is read when the first leak check runs (at
exit, or at `__lsan_do_leak_check()` / `__lsan_do_recoverable_leak_check()`),
and that check then prints one `leakcc: error:` line naming the file (and
the line) and ends the process with status 1, after flushing the program's
buffered output. The status is 1, not `exitcode`, so that a CI job fails
even when leaks are expected, and no report is printed, since it would show
leaks the file was meant to suppress. A relative path is looked up at that
time, in the working directory and then beside the executable. With
`detect_leaks=0` or `leak_check_at_exit=0` (and no explicit check) the file
is never read.
`LEAKCC_SYMBOLIZER_PATH`, when set, overrides `external_symbolizer_path`.
In setuid and setgid programs the environment may not name files or
programs: see [Secure mode](#secure-mode-setuidsetgid-programs).

| option | type | default | meaning |
|---|---|---|---|
"""

FOOTER = """
## Secure mode (setuid/setgid programs)

When the kernel marks a process as secure (`getauxval(AT_SECURE)` is set: a
setuid or setgid program, or file capabilities, raised its privileges at
exec), its environment belongs to a less privileged user, and the runtime
trusts it less:

- Options from `LSAN_OPTIONS` and `LEAKCC_OPTIONS` that name files or
  programs (`suppressions`, `log_path`, `external_symbolizer_path`) are
  ignored, whatever their value, and so is `LEAKCC_SYMBOLIZER_PATH`. One
  line on stderr names what was ignored and where it came from, e.g.
  `leakcc: warning: setuid/setgid program (AT_SECURE): ignoring suppressions
  (from LEAKCC_OPTIONS), LEAKCC_SYMBOLIZER_PATH: the environment may not
  name files or programs here (docs/options.md, Secure mode)`. Other options
  from the environment still apply.
- Options from `__lsan_default_options()` are compiled into the program and
  stay trusted, file names included.
- No symbolizer runs at all, not even one found in `PATH` or beside clang:
  it would run with the raised privileges and the user's environment. Frame
  #0 keeps the `file:line:column` of the allocation site the pass recorded;
  the other frames are printed as `(module+offset)`, which
  `llvm-symbolizer --obj=MODULE OFFSET` resolves afterwards. Suppressions
  then match frame #0's function and file and every frame's module, but not
  the functions and files of the other frames.
- Error messages show no file content: a malformed line of a suppressions
  file is named by file and line number only (outside secure mode the line
  is quoted).
- The `log_path` file (from `__lsan_default_options()`) must be a regular
  file owned by the program's effective user with one link; any other file
  at `PATH.PID` (a link, or a file the user planted) is left untouched, one
  `leakcc: error:` line says why, and the report goes to stderr.

In every process, secure or not, `log_path` files are created with mode
0640 and never opened through a symbolic link at `PATH.PID` (`O_NOFOLLOW`;
one already there is refused at start-up); the report then goes to stderr.
More in [reliability.md](reliability.md#security).
"""

TYPES = {"bool": "bool", "int": "int", "lk_str": "string"}


def render():
    rows = []
    pat = re.compile(r'^LK_FLAG\((\w+),\s*(\w+),\s*("(?:[^"\\]|\\.)*"|[^,]+),\s*"((?:[^"\\]|\\.)*)"\)\s*$')
    for line in open(FLAGS):
        if not line.startswith("LK_FLAG("):
            continue
        m = pat.match(line.strip())
        if not m:
            sys.exit("gen-options-doc: cannot parse flags.inc line: " + line.strip())
        typ, name, dflt, help_ = m.groups()
        dflt = dflt.strip()
        if dflt.startswith('"'):
            dflt = dflt[1:-1] or "(empty)"
        rows.append("| `%s` | %s | `%s` | %s |" % (name, TYPES[typ], dflt, help_.replace("|", "\\|")))
    return HEADER + "\n".join(rows) + "\n" + FOOTER


def main():
    text = render()
    if "--check" in sys.argv:
        current = open(DOC).read() if os.path.exists(DOC) else ""
        if current != text:
            print("docs/options.md is out of date with runtime/flags.inc; "
                  "run scripts/gen-options-doc.py")
            return 1
        print("docs/options.md matches runtime/flags.inc")
        return 0
    with open(DOC, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
