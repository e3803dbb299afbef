#!/usr/bin/env bash
# Randomization-inference benchmark (not a test): 10,000 Monte Carlo permutations of a blocked design
# with the OLS-with-covariates statistic (`rct ri --statistic ols`), for N = 112 and N = 20,000.
#
# Data are generated with awk's seeded generator (srand(2026)): blocks of equal size (4 blocks of 28 for
# N = 112; 20 blocks of 1,000 for N = 20,000), half of each block treated, three covariates, and an
# outcome y = 1 + 0.5 x1 − 0.3 x2 + 0.2 x3 + 0.25 z + block shift + noise.
#
# Two per-permutation times are printed: the wall time of the whole 10,000-permutation command divided
# by 10,000 (start-up, CSV and QR included: an upper bound), and the marginal cost, the difference
# between runs with 1,000 + K and 1,000 permutations divided by K (K = 10,000 for N = 20,000; K =
# 1,000,000 for N = 112, where 10,000 permutations take less time than starting the process), best of
# three. Uses the release build; both cores (Dispatch).
#
# Usage: bash bench/inference/run.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product rct >/dev/null
RCT=.build/release/rct
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

generate() { # N BLOCKS FILE
  awk -v n="$1" -v blocks="$2" 'BEGIN {
    srand(2026)
    print "id,block,z,x1,x2,x3,y"
    size = n / blocks
    for (i = 0; i < n; i++) {
      b = int(i / size); z = (i % 2 == 0) ? 1 : 0
      x1 = rand() * 2 - 1; x2 = rand(); x3 = (rand() < 0.3) ? 1 : 0
      e = (rand() + rand() + rand() - 1.5) * 2
      y = 1 + 0.5 * x1 - 0.3 * x2 + 0.2 * x3 + 0.25 * z + 0.1 * b + e
      printf "%d,b%d,%d,%.6f,%.6f,%d,%.6f\n", i, b, z, x1, x2, x3, y
    }
  }' > "$3"
}

seconds() { # FILE PERMUTATIONS
  local start end
  start=$(date +%s%N)
  "$RCT" ri --data "$1" --outcome y --treatment z --blocks block --covariates x1,x2,x3 --statistic ols \
    --permutations "$2" --seed 1 --format json >"$WORK/out.json" 2>/dev/null
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", (b - a) / 1e9 }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for spec in "112 4 1000000" "20000 20 10000"; do
  set -- $spec
  extra=$3
  generate "$1" "$2" "$WORK/data.csv"
  best_small=1e9; best_large=1e9
  for rep in 1 2 3; do
    s=$(seconds "$WORK/data.csv" 1000); l=$(seconds "$WORK/data.csv" $((1000 + extra)))
    best_small=$(min "$s" "$best_small"); best_large=$(min "$l" "$best_large")
  done
  full=$(seconds "$WORK/data.csv" 10000)
  per=$(awk -v a="$best_small" -v b="$best_large" -v k="$extra" 'BEGIN { print (b - a) / k * 1e6 }')
  whole=$(awk -v t="$full" 'BEGIN { print t / 10000 * 1e6 }')
  printf "N = %6d: 10,000 permutations in %.3f s wall (whole command: %.2f µs per permutation); marginal %.2f µs per permutation\n" \
    "$1" "$full" "$whole" "$per"
  printf "          p_two_tailed = %s\n" "$(sed -E 's/.*"p_two_tailed": ([^,]*).*/\1/' "$WORK/out.json")"
done
