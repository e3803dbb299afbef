#!/usr/bin/env bash
# Benchmark of `rct import` into the trial store: simulate a MISSION-like trial with N screened families
# (rct simulate, seed 3; the design's capacity is switched to keep_randomising so every eligible family is
# assigned), create the store, assign, then time `rct import` of all seven sources with /usr/bin/time -v
# (wall time, peak RSS), the same with --stream into a second store, and a second, idempotent
# `rct import` (unchanged). Not a test: results go into docs/performance.md by hand.
#
#   bench/import/run.sh            # 12000 families (about 590,000 extract rows)
#   bench/import/run.sh 12000 debug
set -euo pipefail
cd "$(dirname "$0")/../.."
FAMILIES=${1:-12000}
MODE=${2:-release}
swift build -c "$MODE" --product rct >/dev/null
RCT=$PWD/.build/$MODE/rct
DIR=${BENCH_DIR:-/tmp/rct-bench-import}
rm -rf "$DIR" && mkdir -p "$DIR/designs" "$DIR/fixtures"
sed 's/when_full: pause/when_full: keep_randomising/' designs/mission-kortrijk.yaml > "$DIR/designs/mission-kortrijk.yaml"
cd "$DIR"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$RCT" simulate designs/mission-kortrijk.yaml --seed 3 --out fixtures/mission --families "$FAMILIES" | sed -n 2,11p
"$RCT" init designs/mission-kortrijk.yaml --store s.sqlite >/dev/null
"$RCT" assign --design designs/mission-kortrijk.yaml --cohort fixtures/mission/cohort.csv --store s.sqlite | sed -n 5p
echo "== rct import ($MODE), first import"
/usr/bin/time -v "$RCT" import designs/mission-kortrijk.yaml --store s.sqlite > import.txt 2> time.txt
grep -E "rows read" import.txt
grep -E "Maximum resident set size|Elapsed \(wall" time.txt | sed 's/^\s*/   /'
echo "   store: $(du -m s.sqlite | cut -f1) MB"
echo "== rct import --stream ($MODE), first import into a second store"
"$RCT" init designs/mission-kortrijk.yaml --store t.sqlite >/dev/null
"$RCT" assign --design designs/mission-kortrijk.yaml --cohort fixtures/mission/cohort.csv --store t.sqlite >/dev/null
/usr/bin/time -v "$RCT" import designs/mission-kortrijk.yaml --store t.sqlite --stream > stream.txt 2> time.txt
cmp -s import.txt <(sed 's/t\.sqlite/s.sqlite/g' stream.txt) \
  && echo "   same report as without --stream" || echo "   REPORT DIFFERS"
grep -E "Maximum resident set size|Elapsed \(wall" time.txt | sed 's/^\s*/   /'
echo "   store: $(du -m t.sqlite | cut -f1) MB"
echo "== rct import ($MODE), again (unchanged)"
/usr/bin/time -v "$RCT" import designs/mission-kortrijk.yaml --store s.sqlite > again.txt 2> time.txt
tail -1 again.txt
grep -E "Maximum resident set size|Elapsed \(wall" time.txt | sed 's/^\s*/   /'
