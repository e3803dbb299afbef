#!/bin/sh
# Benchmark of `rct estimate` on data of the reference design's shape (MISSION, Kortrijk):
# N = 112 families, 17 outcomes × 2 follow-up waves = 34 outcome columns, a 0/1 treatment, 3 baseline
# covariates and 4 randomisation strata; Lin (2013) with HC2 and strata fixed effects, every outcome.
#
# Usage: bench/estimation/run.sh [RUNS] [BINARY]   (defaults: 21 runs, .build/release/rct if built,
# else .build/debug/rct). Prints the time of every run and the median, in milliseconds.
# The data are generated with awk's seeded generator (srand(20170401)); they are not a test fixture.
set -eu
RUNS=${1:-21}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -ge 2 ]; then BIN=$2
elif [ -x "$ROOT/.build/release/rct" ]; then BIN="$ROOT/.build/release/rct"
else BIN="$ROOT/.build/debug/rct"; fi
[ -x "$BIN" ] || { echo "build rct first (swift build -c release, or swift build)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DATA="$WORK/mission-shape.csv"

awk -v n=112 'BEGIN {
  srand(20170401)
  printf "id,stratum,treatment,age,income,children"
  for (w = 6; w <= 12; w += 6) for (k = 1; k <= 17; k++) printf ",y%02d_m%d", k, w
  printf "\n"
  for (i = 1; i <= n; i++) {
    s = (i - 1) % 4; t = (int((i - 1) / 4) % 2)
    age = 20 + 20 * rand(); income = 800 + 1200 * rand(); kids = 1 + int(4 * rand())
    printf "%d,s%d,%d,%.3f,%.2f,%d", i, s, t, age, income, kids
    for (w = 1; w <= 2; w++) for (k = 1; k <= 17; k++) {
      # Box–Muller normal noise; outcomes 1–12 continuous, 13–17 binary (0/1)
      u1 = rand(); if (u1 < 1e-12) u1 = 1e-12
      z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * rand())
      v = 0.3 * t + 0.02 * (age - 30) + 0.0005 * (income - 1400) + 0.1 * s + z
      if (k > 12) v = (v > 0.5) ? 1 : 0
      printf ",%.4f", v
    }
    printf "\n"
  }
}' > "$DATA"

OUTCOMES=$(head -1 "$DATA" | tr ',' '\n' | grep '^y' | paste -sd, -)
CMD="$BIN estimate --data $DATA --outcome $OUTCOMES --treatment treatment --estimator lin --covariates age,income,children --fixed-effects stratum --se hc2 --format csv"

# One warm-up run, checked: 34 outcomes × 7 terms (treatment, 3 centred covariates, 3 interactions).
LINES=$($CMD | wc -l)
[ "$LINES" -eq $((34 * 7 + 1)) ] || { echo "unexpected output: $LINES lines" >&2; exit 1; }

echo "binary: $BIN"
echo "command: rct estimate --data mission-shape.csv --outcome <34 outcomes> --treatment treatment --estimator lin --covariates age,income,children --fixed-effects stratum --se hc2 --format csv"
TIMES="$WORK/times"
i=0
while [ $i -lt "$RUNS" ]; do
  start=$(date +%s%N)
  $CMD > /dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 )) >> "$TIMES"
  i=$((i + 1))
done
sort -n "$TIMES" | awk '{ t[NR] = $1 / 1000 } END {
  printf "runs: %d  min: %.1f ms  median: %.1f ms  max: %.1f ms\n", NR, t[1], (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), t[NR] }'
