#!/usr/bin/env python3
"""Times what the live campaign runner does on every tick, on a real store: read the whole history and
replay it through the example campaigns. `perennial campaigns simulate` does exactly that (history
load, then a replay of the period through the campaigns with every decision, then measurement), as do
`campaigns report` and each runner tick, so its wall time is the figure.

    swift build -c release
    python3 Benchmarks/server/campaigns.py --binary .build/release/perennial --store online_retail.db [--runs 5]

The store is copied first (the original is left as it was). The example campaigns of
examples/campaigns/ (JSON) are simulated over 2011-09-01..2011-12-10 with --assume-consent, --runs
times; the script prints each time and the median. Pass --binary of another build to compare two
versions on the same store (each gets its own copy).
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "perennial"))
    parser.add_argument("--store", required=True, help="a SQLite store with orders imported (and a fitted model for win-back)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--from", dest="start", default="2011-09-01")
    parser.add_argument("--to", dest="end", default="2011-12-10")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="perennial-campaigns-")
    db = os.path.join(work, "store.db")
    shutil.copy(args.store, db)
    examples = sorted(glob.glob(os.path.join(ROOT, "examples", "campaigns", "*.json")))
    times = []
    for run in range(args.runs):
        started = time.perf_counter()
        result = subprocess.run([args.binary, "campaigns", "simulate", *examples, "--from", args.start, "--to", args.end,
                                 "--assume-consent", "--json", "--db", db], capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"campaigns simulate failed: {result.stderr}")
        times.append(elapsed)
        print(f"run {run + 1}: {elapsed:.2f} s")
    print(f"campaigns simulate {args.start}..{args.end}, {len(examples)} definition files: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}) with {os.path.relpath(args.binary)}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
