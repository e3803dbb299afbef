#!/usr/bin/env bash
# Builds the panel benchmark (`panel-derive` of the benchmark package bench/Package.swift: Panel.derive on
# synthetic records made in memory) in release mode and runs it with /usr/bin/time (wall time, peak memory).
# Usage: bench/panel/run.sh [FAMILIES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --package-path bench --product panel-derive
BIN="$(swift build -c release --package-path bench --show-bin-path)/panel-derive"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$BIN" "$@" 2> >(grep -E "Elapsed|Maximum resident" >&2)
else
  "$BIN" "$@"
fi
