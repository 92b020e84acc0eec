#!/usr/bin/env bash
# Server benchmarks (issue 4), on loopback with client and server sharing the machine's cores:
#   1. wrk: GET /v1/customers/{id} beside GET /hello (Hummingbird's floor) in the same process and run;
#   2. durable ingest: POST /v1/events in batches of 500 new orders (wrk + ingest.lua);
#   3. freshness: 2xx on an order to the profile showing it (freshness.py), under background ingest;
#   4. crash: kill -9 mid-ingest 20 times, every acknowledged event present exactly once (crash.py).
# Usage: bash Benchmarks/server/run.sh [runs]     (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
swift build -c release --product perennial 2>&1 | tail -1
swift build -c release --package-path Benchmarks --product perennial-bench-server 2>&1 | tail -1
BIN=.build/release/perennial
SERVER=Benchmarks/.build/release/perennial-bench-server
OUT=Benchmarks/results/server
mkdir -p "$OUT"
DIR=$(mktemp -d)
DATA=../shared/datasets/online_retail.csv.gz
if [ -f "$DATA" ]; then
  $BIN import orders "$DATA" --format online-retail --db "$DIR/store.db" >/dev/null
  CUSTOMER=12347
else
  $BIN generate --customers 5000 --seed 7 --out "$DIR/store.csv" >/dev/null
  $BIN import orders "$DIR/store.csv" --format generic --db "$DIR/store.db" >/dev/null
  CUSTOMER=$($BIN customers --db "$DIR/store.db" --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["customer_id"])')
fi
$BIN fit --db "$DIR/store.db" >/dev/null 2>&1
KEY=$($BIN keys create --role admin --db "$DIR/store.db" 2>/dev/null)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$SERVER "$DIR/store.db" "$PORT" 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

echo "== reads: wrk -t1 -c16 -d10s, $RUNS runs alternating"
for run in $(seq 1 "$RUNS"); do
  wrk -t1 -c16 -d10s --latency "http://127.0.0.1:$PORT/hello" > "$OUT/hello-$run.txt"
  wrk -t1 -c16 -d10s --latency -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/customers/$CUSTOMER" > "$OUT/customer-$run.txt"
done
python3 - "$OUT" "$RUNS" <<'PY'
import re, sys, statistics
out, runs = sys.argv[1], int(sys.argv[2])
def read(name):
    text = open(f"{out}/{name}").read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def latency(q):
        value, unit = re.search(rf"\s{q}%\s+([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rate, latency(50), latency(99), int(errors.group(1)) if errors else 0
rows = []
for run in range(1, runs + 1):
    h, c = read(f"hello-{run}.txt"), read(f"customer-{run}.txt")
    rows.append((h, c))
    print(f"run {run}: hello {h[0]:,.0f}/s p50 {h[1]:.3f} ms p99 {h[2]:.3f} ms | customer {c[0]:,.0f}/s p50 {c[1]:.3f} ms p99 {c[2]:.3f} ms non-2xx {c[3]} | ratio {c[0]/h[0]:.2f}")
print(f"median: hello {statistics.median(r[0][0] for r in rows):,.0f}/s, customer {statistics.median(r[1][0] for r in rows):,.0f}/s, "
      f"ratio {statistics.median(r[1][0]/r[0][0] for r in rows):.2f}, customer p99 {statistics.median(r[1][2] for r in rows):.3f} ms")
PY

echo "== durable ingest: batches of 500 orders, wrk -t2 -c4 -d10s, $RUNS runs"
for run in $(seq 1 "$RUNS"); do
  RUN="i$run-$$" KEY="$KEY" BATCH=500 wrk -t2 -c4 -d10s -s Benchmarks/server/ingest.lua "http://127.0.0.1:$PORT" > "$OUT/ingest-$run.txt"
  python3 -c "
import re; t=open('$OUT/ingest-$run.txt').read(); r=float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
e=re.search(r'Non-2xx or 3xx responses: (\d+)', t); print(f'run $run: {r*500:,.0f} events/s ({r:.1f} batches/s), non-2xx {e.group(1) if e else 0}')"
done

echo "== freshness: 200 single orders, idle and under 5,000 events/s of background ingest"
python3 Benchmarks/server/freshness.py --port "$PORT" --key "$KEY" --samples 200 --load 0 | tee "$OUT/freshness-idle.json"
python3 Benchmarks/server/freshness.py --port "$PORT" --key "$KEY" --samples 200 --load 5000 | tee "$OUT/freshness.json"
kill $PID; wait $PID 2>/dev/null || true

echo "== crash: kill -9 mid-ingest 20 times"
python3 Benchmarks/server/crash.py --binary "$BIN" --rounds 20 | tee "$OUT/crash.json"
