#!/bin/sh
# Installs what leakcc needs to build and test on Debian 12, idempotently:
# packages already present are not touched, and `apt-get update` runs only
# when something is missing.  Needs root (or sudo) only in that case.
#   scripts/deps.sh            build + test dependencies (LLVM 19; zlib, expat
#                              and glib for the lit tests that use them
#                              uninstrumented)
#   scripts/deps.sh --llvm22   also LLVM 22, to check the plugin builds there
#   scripts/deps.sh --bench    also what bench/ builds the Debian packages with
set -eu
pkgs="clang-19 llvm-19-dev libclang-19-dev llvm-19-tools libclang-rt-19-dev lld-19
      cmake make python3 file pkg-config zlib1g-dev libexpat1-dev libglib2.0-dev"
case "${1:-}" in
  --llvm22) pkgs="$pkgs clang-22 llvm-22-dev libclang-22-dev llvm-22-tools libclang-rt-22-dev" ;;
  --bench) pkgs="$pkgs dpkg-dev autoconf automake libtool libreadline-dev bison flex
                 libonig-dev valgrind time tcl8.6-dev libmpfr-dev libicu-dev
                 liblzma-dev" ;;
esac

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "leakcc: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
