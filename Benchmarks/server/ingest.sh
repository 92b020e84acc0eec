#!/usr/bin/env bash
# Durable ingest (issue 4): POST /v1/events in batches of 500 new orders over the Online Retail store
# (or a generated one without ../shared), on SQLite and on PostgreSQL, wrk -t2 -c4 -d10s, median of runs.
# PostgreSQL is a throwaway cluster with the server's durable defaults (fsync and synchronous_commit on).
# Usage: bash Benchmarks/server/ingest.sh [runs] [sqlite|postgres|both]   (needs wrk and postgresql)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
WHICH=${2:-both}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
swift build -c release --product perennial 2>&1 | tail -1
swift build -c release --package-path Benchmarks --product perennial-bench-server 2>&1 | tail -1
BIN=$PWD/.build/release/perennial
SERVER=$PWD/Benchmarks/.build/release/perennial-bench-server
OUT=Benchmarks/results/server
mkdir -p "$OUT"
DIR=$(mktemp -d)
chmod 755 "$DIR"
PIDS=()
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -d "$DIR/pg" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/pg" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DATA=../shared/datasets/online_retail.csv.gz
load() {  # load DB: import the store, fit, create an admin key; prints the key
  if [ -f "$DATA" ]; then
    $BIN import orders "$DATA" --format online-retail --db "$1" >/dev/null
  else
    [ -f "$DIR/store.csv" ] || $BIN generate --customers 5000 --seed 7 --out "$DIR/store.csv" >/dev/null
    $BIN import orders "$DIR/store.csv" --format generic --db "$1" >/dev/null
  fi
  $BIN fit --db "$1" >/dev/null 2>&1
  $BIN keys create --role admin --db "$1" 2>/dev/null
}

measure() {  # measure NAME DB
  local name=$1 db=$2 key port pid
  key=$(load "$db")
  port=$(free_port)
  $SERVER "$db" "$port" 2>"$OUT/server-$name.log" &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  echo "== $name: durable ingest, batches of 500 orders, wrk -t2 -c4 -d10s, $RUNS runs"
  for run in $(seq 1 "$RUNS"); do
    RUN="$name$run-$$" KEY="$key" BATCH=500 wrk -t2 -c4 -d10s -s Benchmarks/server/ingest.lua "http://127.0.0.1:$port" > "$OUT/ingest-$name-$run.txt"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 - "$OUT" "$name" "$RUNS" <<'PY'
import re, sys, statistics
out, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rates = []
for run in range(1, runs + 1):
    text = open(f"{out}/ingest-{name}-{run}.txt").read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)) * 500
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    p99 = re.search(r"Latency\s+([\d.]+\w+)", text).group(1)
    rates.append(rate)
    print(f"run {run}: {rate:,.0f} events/s, mean batch latency {p99}, non-2xx {errors.group(1) if errors else 0}")
print(f"median {name}: {statistics.median(rates):,.0f} events/s")
PY
}

if [ "$WHICH" != postgres ]; then measure sqlite "$DIR/store.db"; fi
if [ "$WHICH" != sqlite ]; then
  PGPORT=$(free_port)
  mkdir -p "$DIR/pg" && chown postgres "$DIR" "$DIR/pg"
  runuser -u postgres -- "$PGBIN/initdb" -D "$DIR/pg" -U perennial -A trust -E UTF8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR" start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U perennial perennial
  measure postgres "postgres://perennial@127.0.0.1:$PGPORT/perennial?sslmode=disable"
fi
