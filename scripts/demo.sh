#!/bin/sh
# The README's main job: install what is needed, build leakcc, compile
# examples/linked_list.c with it, run the program and show its leak report.
# The program exits with leakcc's leak status (23); this script reports it
# and succeeds when the report appeared.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
cmake --install build --prefix build/install >/dev/null

out=build/linked_list
build/install/bin/leakcc -g -O0 examples/linked_list.c -o "$out"
echo "\$ LEAKCC_OPTIONS=report_objects=1 ./$out"
status=0
LEAKCC_OPTIONS=report_objects=1 "./$out" || status=$?
echo "(exit status $status: leakcc exits with 23 when it finds leaks)"
[ "$status" -eq 23 ]
