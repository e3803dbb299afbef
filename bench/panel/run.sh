#!/usr/bin/env bash
# Builds the panel benchmark in release mode and runs it with /usr/bin/time (wall time, peak memory).
# Usage: bench/panel/run.sh [FAMILIES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product panel-bench
BIN="$(swift build -c release --show-bin-path)/panel-bench"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$BIN" "$@" 2> >(grep -E "Elapsed|Maximum resident" >&2)
else
  "$BIN" "$@"
fi
