#!/bin/sh
# A stand-in for llvm-symbolizer, as a user could put one first in PATH or
# name in LEAKCC_SYMBOLIZER_PATH: it leaves a mark ("ran", beside itself,
# holding the ids it ran with) and answers nothing, so leakcc falls back to
# module+offset.  A test checks whether the mark exists.
id > "$(dirname "$0")/ran"
exit 1
