#!/usr/bin/env bash
# Two perennial binaries on the same whole-store analysis from the CSV, run alternately so the machine's
# load falls on both alike; prints each one's median wall time.
#
#   bash Benchmarks/compare_analyze.sh BINARY_A BINARY_B [RUNS] [FILE]
#
# FILE defaults to online_retail.csv.gz in $PERENNIAL_DATASETS (the UCI Online Retail data set).
set -euo pipefail
A=$1; B=$2; N=${3:-15}
FILE=${4:-${PERENNIAL_DATASETS:-../shared/datasets}/online_retail.csv.gz}
[[ -f $FILE ]] || { echo "no $FILE: pass the Online Retail CSV as the fourth argument or set PERENNIAL_DATASETS" >&2; exit 1; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
for _ in $(seq 1 "$N"); do
  for which in a b; do
    bin=$A; [[ $which == b ]] && bin=$B
    s=$(date +%s%N); "$bin" analyze "$FILE" --format online-retail --json > /dev/null; e=$(date +%s%N)
    echo $(((e - s) / 1000000)) >> "$TMP/$which"
  done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m / 1000}'; }
echo "A $(median "$TMP/a") s   B $(median "$TMP/b") s   (medians of $N, alternating)"
