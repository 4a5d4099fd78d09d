#!/bin/sh
# nobody_dir.sh LINK           a fresh directory for a test that runs programs
#                              as user nobody; LINK points at it
# nobody_dir.sh --remove LINK  removes that directory and LINK
#
# The directory is made under /tmp by mktemp, owned by root with mode 0755,
# so that nobody can reach it: %t may lie under a directory nobody cannot
# search (a checkout in /root).  Tests `cd LINK` (the cwd is then the real
# directory) and give nobody only relative paths, or $(pwd -P) in `sh -c`.
# A directory an earlier run left behind (a failed test keeps it for
# inspection) is removed when LINK is made again.
set -eu
remove=false
if [ "$1" = --remove ]; then
  remove=true
  shift
fi
link=$1
if [ -L "$link" ]; then
  old=$(readlink "$link")
  case $old in
  /tmp/leakcc-lit.*) rm -rf "$old" ;;
  esac
  rm -f "$link"
fi
$remove && exit 0
rm -rf "$link"
dir=$(mktemp -d /tmp/leakcc-lit.XXXXXX)
chmod 0755 "$dir"
ln -s "$dir" "$link"
