#!/usr/bin/env bash
# Benchmarks: wall time and peak memory of perennial against a DuckDB peer.
#
#   bash Benchmarks/run.sh [--quick]
#
# Builds the release binary, then measures on ../shared/datasets/online_retail.csv.gz
# (skipped if absent) and, unless --quick, on a generated store of ~10M order lines
# (cached in Benchmarks/data/). Prints a Markdown table and writes it to
# Benchmarks/results/latest.md. Progress goes to stderr, the table to stdout.
#
# Environment: PERENNIAL_BIN=path  benchmark that binary and skip `swift build`;
#              SCALE_LINES=n       target order lines of the generated store (10000000).
# Needs python3 with duckdb (installed with pip if missing) and /usr/bin/time (Debian `time`).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
case "${1:-}" in
  --quick) QUICK=1 ;;
  "") ;;
  *) echo "usage: bash Benchmarks/run.sh [--quick]" >&2; exit 2 ;;
esac
R=$((QUICK ? 3 : 7))
OR=${PERENNIAL_DATASETS:-../shared/datasets}/online_retail.csv.gz
SCALE_LINES=${SCALE_LINES:-10000000}
DATA=Benchmarks/data
PEER=(python3 Benchmarks/peer_duckdb.py)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
log() { echo "== $*" >&2; }

[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb >&2

if [[ -n "${PERENNIAL_BIN:-}" ]]; then
  BIN=$PERENNIAL_BIN
else
  log "swift build -c release --product perennial"
  swift build -c release --product perennial >&2
  BIN=.build/release/perennial
fi

# measure N CMD...: run CMD N times (stdout discarded); sets MED (median wall s) and PEAK (max RSS MB).
# With N=auto, runs once and twice more if that took under a minute.
measure() {
  local n=$1 i=0 s e; shift
  : > "$TMP/secs"; : > "$TMP/kb"
  while :; do
    s=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$TMP/rss" "$@" > /dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000000)) >> "$TMP/secs"; tail -n 1 "$TMP/rss" >> "$TMP/kb"
    i=$((i + 1))
    if [[ $n == auto ]]; then n=$(( $(head -n 1 "$TMP/secs") < 60000 ? 3 : 1 )); fi
    ((i < n)) || break
  done
  MED=$(sort -n "$TMP/secs" | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m / 1000}')
  PEAK=$(sort -n "$TMP/kb" | tail -n 1 | awk '{printf "%.1f", $1 / 1024}')
}

# peer FILE FORMAT RUNS: DuckDB peer at 2 threads; sets MED (its in-process median) and PEAK.
peer() {
  /usr/bin/time -f '%M' -o "$TMP/rss" "${PEER[@]}" "$1" --format "$2" --threads 2 --runs "$3" --json > "$TMP/peer.json"
  PEAK=$(tail -n 1 "$TMP/rss" | awk '{printf "%.1f", $1 / 1024}')
  MED=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["median_seconds"])' "$TMP/peer.json")
  log "duckdb: $(cat "$TMP/peer.json")"
}

ROWS=()
# row FIGURE COMMAND [PEER_SECONDS]: one table row from MED/PEAK.
row() {
  local ratio="" peer=${3:-}
  [[ -n $peer ]] && ratio=$(awk -v a="$MED" -v b="$peer" 'BEGIN {printf "%.2f", a / b}')
  ROWS+=("| $1 | \`$2\` | $MED | $PEAK | $peer | $ratio |")
  log "$1: ${MED}s, ${PEAK} MB${peer:+, duckdb ${peer}s, ratio $ratio}"
}

# import_fresh N DB FILE FORMAT: import into a new db N times (the last db is kept).
import_fresh() {
  local n=$1 db=$2; shift 2
  : > "$TMP/imp"
  for ((k = 0; k < n; k++)); do
    rm -f "$db" "$db-wal" "$db-shm"
    measure 1 "$BIN" import orders "$1" --format "$2" --db "$db"
    echo "$MED $PEAK" >> "$TMP/imp"
  done
  MED=$(sort -n "$TMP/imp" | awk '{a[NR]=$1} END {printf "%.3f", NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  PEAK=$(sort -k2 -n "$TMP/imp" | tail -n 1 | cut -d' ' -f2)
}

if [[ -f $OR ]]; then
  log "Online Retail, $R runs"
  "$BIN" analyze "$OR" --format online-retail --json > "$TMP/or.json"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/or.json" \
    || log "warning: analyze --json did not print valid JSON"
  peer "$OR" online-retail "$R"; OR_PEER=$MED
  row "Online Retail: DuckDB peer (2 threads)" "peer_duckdb.py FILE --format online-retail --threads 2"
  measure "$R" "$BIN" analyze "$OR" --format online-retail --json
  row "Online Retail: analyze CSV" "perennial analyze FILE --format online-retail --json" "$OR_PEER"
  import_fresh 3 "$TMP/or.db" "$OR" online-retail
  row "Online Retail: import" "perennial import orders FILE --format online-retail --db DB"
  measure "$R" "$BIN" analyze --db "$TMP/or.db" --json
  row "Online Retail: analyze db" "perennial analyze --db DB --json" "$OR_PEER"
else
  log "skipping Online Retail: $OR not found"
fi

if ((QUICK)); then
  log "skipping the scale run (--quick)"
else
  mkdir -p "$DATA"
  STORE=$DATA/store-10m.csv
  log "calibrating the generator"
  "$BIN" generate --customers 10000 --seed 7 --out "$TMP/cal.csv" >&2
  CAL=$(($(wc -l < "$TMP/cal.csv") - 1))  # minus the header
  ((CAL > 0)) || { echo "generate wrote no lines" >&2; exit 1; }
  N=$(((SCALE_LINES * 10000 + CAL - 1) / CAL))
  WANT="customers=$N seed=7 calibration=$CAL"
  if [[ -f $STORE && -f $STORE.meta && "$(head -n 1 "$STORE.meta")" == "$WANT" \
        && "$(sed -n 2p "$STORE.meta")" == "$(wc -c < "$STORE")" ]]; then
    log "reusing $STORE ($WANT)"
  else
    log "generating $STORE with $N customers"
    rm -f "$STORE" "$STORE.meta"
    "$BIN" generate --customers "$N" --seed 7 --out "$STORE.tmp" >&2
    mv "$STORE.tmp" "$STORE"
    printf '%s\n%s\n' "$WANT" "$(wc -c < "$STORE")" > "$STORE.meta"
  fi
  LINES=$(($(wc -l < "$STORE") - 1))
  log "scale: $LINES order lines, $N customers"
  S="Store ${LINES} lines"
  peer "$STORE" generic 1
  if awk -v s="$MED" 'BEGIN {exit !(s < 60)}'; then peer "$STORE" generic 3; fi
  SC_PEER=$MED; row "$S: DuckDB peer (2 threads)" "peer_duckdb.py FILE --format generic --threads 2"
  import_fresh 1 "$TMP/store.db" "$STORE" generic
  row "$S: import" "perennial import orders FILE --format generic --db DB"
  measure auto "$BIN" analyze --db "$TMP/store.db" --json
  row "$S: analyze db" "perennial analyze --db DB --json" "$SC_PEER"
  measure auto "$BIN" analyze "$STORE" --format generic --json
  row "$S: analyze CSV" "perennial analyze FILE --format generic --json" "$SC_PEER"
fi

COMMIT=$(git rev-parse --short HEAD 2> /dev/null || echo "no commit")
[[ -z $(git status --porcelain 2> /dev/null) ]] || COMMIT="$COMMIT (dirty)"
mkdir -p Benchmarks/results
{
  echo "# Perennial benchmarks"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) cores, commit $COMMIT," \
    "duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)'), $R runs$( ((QUICK)) && echo ' (--quick)')."
  echo "Seconds are medians of wall time; peak MB is the largest max RSS of those runs."
  echo "The DuckDB peer's seconds are its own in-process timing (read CSV, RFM, cohorts), without"
  echo "Python's start-up; its peak MB includes Python. Ratio = perennial / DuckDB (above 1: slower)."
  echo
  echo "| figure | command | median s | peak MB | peer s | ratio |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} > "$TMP/latest.md"
cp "$TMP/latest.md" Benchmarks/results/latest.md
cat Benchmarks/results/latest.md
