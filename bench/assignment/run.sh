#!/usr/bin/env bash
# Assignment benchmark: batch assignment, verification and one rolling enrolment on stores of growing size.
# Usage: bench/assignment/run.sh [RCT_BINARY]   (default: a release build, .build/release/rct)
# Writes nothing into the repository: cohorts and stores go to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
RCT=${1:-.build/release/rct}
[ -x "$RCT" ] || swift build -c release --product rct
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The test designs, with uncapped capacity so that large cohorts fit.
for kind in rolling complete; do
  sed -e 's/case_managers: 5/case_managers: 10000/' -e "s#../assignment/pseudonym.key#$PWD/fixtures/assignment/pseudonym.key#" \
    fixtures/designs/assign-$kind.yaml > "$TMP/$kind.yaml"
done
seconds() {
  local s=$(date +%s.%N)
  if ! "$@" > /dev/null; then echo "benchmark command failed: $*" >&2; exit 1; fi
  echo "$(date +%s.%N) - $s" | bc
}
printf "%-10s %-9s %12s %12s %14s\n" families design "assign (s)" "verify (s)" "enrol +1 (s)"
for n in 1000 10000; do
  python3 bench/assignment/make_cohort.py $n "$TMP/c$n.csv"
  for kind in complete rolling; do
    store="$TMP/$kind-$n.sqlite"
    "$RCT" init "$TMP/$kind.yaml" --store "$store" > /dev/null
    a=$(seconds "$RCT" assign --design "$TMP/$kind.yaml" --cohort "$TMP/c$n.csv" --store "$store")
    v=$(seconds "$RCT" verify --store "$store")
    e="–"
    if [ $kind = rolling ]; then
      e=$(seconds "$RCT" enrol --design "$TMP/$kind.yaml" --store "$store" --date 2019-12-31 \
        --field family_id=NEW --field insz=93051822361 --field birth_date=2019-04-01 --field consent=yes \
        --field weak_income=1 --field weak_education=1 --field weak_stimulation=1 --field weak_employment=0 \
        --field weak_housing=0 --field weak_health=0 --field deprivation_band=3 --field domains_weak=3 --field single_parent=0)
    fi
    printf "%-10s %-9s %12s %12s %14s\n" $n $kind "$a" "$v" "$e"
  done
done
