#!/usr/bin/env bash
# Import benchmark: generate a VDAB month-status extract (semicolon, decimal comma, synthetic national
# numbers) and stream it through the importer (read + validate + pseudonymise), measuring rows per second
# and peak RSS with /usr/bin/time -v. Runs `import-bench` of the benchmark package (bench/Package.swift),
# built in release mode into bench/.build. Not a test: results go into docs/performance.md by hand.
#
#   bench/ingest/run.sh                 # 1 million rows
#   bench/ingest/run.sh 1000000 10000000 30000000
#
# Files are written to $BENCH_DIR (default /tmp/rct-bench-ingest; 1 M rows is about 48 MB) and kept, so a
# second run skips generation. Each size is run with and without duplicate detection.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --package-path bench --product import-bench >/dev/null
BENCH=$(swift build -c release --package-path bench --show-bin-path)/import-bench
DIR=${BENCH_DIR:-/tmp/rct-bench-ingest}
mkdir -p "$DIR"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
for rows in "${sizes[@]}"; do
  f="$DIR/vdab_$rows.csv"
  [ -f "$f" ] || "$BENCH" generate --rows "$rows" --out "$f"
  echo "== $rows rows, $(du -m "$f" | cut -f1) MB"
  for mode in "" "--no-duplicate-check"; do
    /usr/bin/time -v "$BENCH" run "$f" $mode 2> "$DIR/time.txt" | sed "s/^/   ${mode:-with duplicate check}: /"
    grep -E "Maximum resident set size|Elapsed \(wall" "$DIR/time.txt" | sed 's/^\s*/      /'
  done
done
