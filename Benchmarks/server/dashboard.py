#!/usr/bin/env python3
"""Times every dashboard page on a store of 100,000 generated customers (goal: under 200 ms each,
server-side), beside /healthz in the same run as the floor of an HTTP round trip on this machine.

    swift build -c release
    python3 Benchmarks/server/dashboard.py --binary .build/release/perennial [--customers 100000] [--runs 20]

Each page is fetched once to warm the server, then `--runs` times one after another over loopback with
an analyst key; the table gives the median, 90th percentile and maximum of the whole request time as the
client sees it (so it includes the round trip that /healthz measures alone). It also times the whole-
store refresh, which computes the 12 month-end points the dashboard's trends read.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from perennial_local import create_key, free_port  # noqa: E402


def run(binary, *arguments, cwd):
    started = time.perf_counter()
    result = subprocess.run([binary, *arguments], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"perennial {' '.join(arguments)} failed:\n{result.stderr}")
    return result.stdout, time.perf_counter() - started


def fetch(url, key, method="GET"):
    request = urllib.request.Request(url, method=method, headers={"Authorization": "Bearer " + key})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
        status = response.status
    return status, len(body), (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/release/perennial")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="perennial-dashboard-bench-")
    _, seconds = run(binary, "generate", "--customers", str(args.customers), "--seed", "7", "--out", "store.csv", cwd=work)
    print(f"generated {args.customers:,} customers in {seconds:.1f} s")
    _, seconds = run(binary, "import", "orders", "store.csv", "--format", "generic", "--db", "store.db", cwd=work)
    print(f"imported in {seconds:.1f} s")
    _, seconds = run(binary, "fit", "--db", "store.db", cwd=work)
    print(f"fitted in {seconds:.1f} s")
    keys = {role: create_key(binary, role, "store.db", work) for role in ["analyst", "admin"]}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "serve.log"), "w")
    started = time.perf_counter()
    server = subprocess.Popen([binary, "serve", "--db", "store.db", "--port", str(port), "--no-refit", "--refresh-every", "0",
                               "--log-level", "warning"], cwd=work, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except Exception:
                if server.poll() is not None:
                    sys.exit("the server exited")
                time.sleep(0.2)
        print(f"serving after {time.perf_counter() - started:.1f} s (first refresh included)")
        _, _, refresh = fetch(base + "/v1/jobs/refresh?refit=false", keys["admin"], method="POST")
        print(f"refresh (analysis, predictions and the 12 month-end points): {refresh / 1000:.2f} s")
        customer = json.load(urllib.request.urlopen(urllib.request.Request(
            base + "/v1/customers?limit=1", headers={"Authorization": "Bearer " + keys["analyst"]})))["customers"][0]["customer_id"]
        pages = ["/healthz", "/", "/lifecycle", "/rfm", "/cohorts", "/cohorts?period=week", "/predictions", "/segments",
                 "/segments?segment=champions", f"/customers/{customer}", "/segments/export.csv?segment=hibernating", "/?lang=zh-Hans"]
        print(f"\n| page | median ms | p90 ms | max ms | KiB |")
        print("|---|---|---|---|---|")
        for page in pages:
            fetch(base + page, keys["analyst"])
            times, size = [], 0
            for _ in range(args.runs):
                status, size, ms = fetch(base + page, keys["analyst"])
                if status != 200:
                    sys.exit(f"{page}: status {status}")
                times.append(ms)
            times.sort()
            p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
            print(f"| `{page}` | {statistics.median(times):.1f} | {p90:.1f} | {times[-1]:.1f} | {size / 1024:.0f} |")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
