#!/usr/bin/env bash
# Runs Windows node.exe under Wine with the given arguments, from the project root.
# node.exe's stdout/stderr must be files under Wine (a Linux pipe makes console.log
# fail with EBADF), so they go to a log that is followed live and exit code passed on.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
source "$here/env.sh"
if [ ! -x "$LANE_WINE" ] || [ ! -f "$LANE_NODE_EXE" ]; then
  echo "node-exe: the Windows lane is not set up; run: npm run lane:setup" >&2
  exit 1
fi
cd "$LANE_ROOT"
log=$(mktemp "${TMPDIR:-/tmp}/winrpc-node-exe.XXXXXX")
"$LANE_WINE" "$LANE_NODE_EXE" "$@" >"$log" 2>&1 </dev/null &
pid=$!
tail -n +1 -f --pid="$pid" "$log"
wait "$pid"
status=$?
rm -f "$log"
exit "$status"
