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
`help=1` prints this table with the current values.
`LEAKCC_SYMBOLIZER_PATH`, when set, overrides `external_symbolizer_path`.

| option | type | default | meaning |
|---|---|---|---|
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
    return HEADER + "\n".join(rows) + "\n"


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
