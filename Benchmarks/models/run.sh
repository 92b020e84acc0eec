#!/usr/bin/env bash
# Model benchmarks: perennial's fits and predictions against lifetimes 0.11.3 on the same summaries.
#
#   bash Benchmarks/models/run.sh
#
# Needs lifetimes in a virtual environment (created in /tmp/lt-venv when missing) and a release build.
# Prints a Markdown table: figure, perennial fit seconds (fit only, input reading excluded, median of 3),
# lifetimes fit seconds (fit call only, median), ratio, and whether the parameters agree to 4 digits.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=/tmp/lt-venv
if [[ ! -x $VENV/bin/python ]]; then
  python3 -m venv "$VENV" >&2 && "$VENV/bin/pip" install --quiet lifetimes==0.11.3 >&2
fi
BIN=${PERENNIAL_BIN:-}
if [[ -z $BIN ]]; then swift build -c release --product perennial >&2; BIN=.build/release/perennial; fi
DATA=Benchmarks/data
mkdir -p "$DATA"
[[ -f $DATA/bgnbd-1m.csv ]] || python3 Benchmarks/models/peer_lifetimes.py --generate 1000000 --seed 7 --out "$DATA/bgnbd-1m.csv" >&2

ours() { # FILE MODEL -> median fit seconds and the parameters
  for _ in 1 2 3; do "$BIN" fit --summary "$1" --model "$2" --json; done | python3 -c '
import json, sys, statistics
text = sys.stdin.read().replace("}\n{", "}\x00{").split("\x00")
runs = [json.loads(t) for t in text]
print(json.dumps({"median": statistics.median(r["fit_seconds"] for r in runs), "params": runs[0]["parameters"]}))'
}
theirs() { "$VENV/bin/python" Benchmarks/models/peer_lifetimes.py --summary "$1" --model "$2" --runs "$3"; }

echo "| figure | perennial fit s | lifetimes fit s | ratio | parameters agree (4 significant digits) |"
echo "|---|---|---|---|---|"
for spec in "bgnbd-1m:$DATA/bgnbd-1m.csv:bgnbd:1" "cdnow-bgnbd:Benchmarks/models/cdnow_calibration.csv:bgnbd:5" "cdnow-pnbd:Benchmarks/models/cdnow_calibration.csv:pnbd:5"; do
  IFS=: read -r name file model runs <<< "$spec"
  a=$(ours "$file" "$model"); b=$(theirs "$file" "$model" "$runs")
  python3 - "$name" "$a" "$b" <<'PY'
import json, sys
name, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
keys = {"alpha": "alpha", "r": "r", "a": "a", "b": "b", "s": "s", "beta": "beta"}
def sig(x): return float(f"{x:.4g}")
agree = all(sig(a["params"][k]) == sig(b["params"][k]) for k in a["params"] if k in b["params"])
print(f"| {name} | {a['median']:.3f} | {b['median_seconds']:.3f} | {a['median']/b['median_seconds']:.3f} | {'yes' if agree else 'no: ' + str(a['params']) + ' vs ' + str(b['params'])} |")
PY
done
