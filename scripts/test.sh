#!/bin/sh
# The README's test command: install what is needed, build everything, run
# the unit tests and the lit suite through ctest (which prints the summary
# and fails on any failing test), then check that the plugin also builds
# against LLVM 22 and passes the IR tests there.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/deps.sh --llvm22
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-llvm22 -DLLVM_DIR=/usr/lib/llvm-22/lib/cmake/llvm
cmake --build build-llvm22 -j"$jobs"
ctest --test-dir build-llvm22 --output-on-failure -j"$jobs"
