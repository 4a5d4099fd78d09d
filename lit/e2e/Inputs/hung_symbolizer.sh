#!/bin/sh
# A stand-in for llvm-symbolizer that never answers and leaves helpers
# holding its stderr (issue 13, F14): one in its process group, whose pid it
# writes to $HUNG_SYMBOLIZER_PIDS, and, when setsid exists, one that escapes
# the group into a session of its own.  Both sleep long after leakcc gives
# up on the symbolizer (10 s).
echo "hung_symbolizer: started" >&2
sleep 120 &
echo $! > "$HUNG_SYMBOLIZER_PIDS"
if command -v setsid > /dev/null; then
  setsid sleep 30 &
fi
exec sleep 120
