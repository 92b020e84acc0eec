#!/usr/bin/env python3
"""Peer measurement: the core of `perennial analyze` done by DuckDB.

Usage:
    python3 Benchmarks/peer_duckdb.py FILE --format online-retail|generic \
        [--threads 2] [--runs 5] [--json]

Each run opens a fresh in-memory DuckDB connection (`SET threads=N`), reads the
CSV (gzip is detected by DuckDB) with explicit column types into a table, then
computes and fetches into Python:

  (a) per-customer RFM: recency = days from the last purchase day to the
      snapshot (the day after the last day in the file), frequency = distinct
      purchase orders, monetary = net sum(quantity * price) over all of the
      customer's lines (cancellations reduce it), and NTILE(5) scores for each;
  (b) the monthly cohort retention matrix: cohort = month of the first
      purchase, cell = distinct customers with a purchase in cohort + k months.

Rows without a customer id are left out of both. A purchase order is, for
online-retail, an invoice not starting with `C` (cancellation) or `A` (bad-debt
adjustment); for generic (the generator's columns), a line whose kind is 'purchase'. These match
the rules in docs/ANALYTICS.md closely enough for a timing peer; they are not a
reference implementation (see Benchmarks/reference_analytics.py for that).

Each run is timed end to end (connect, read, compute, fetch) with
time.perf_counter. Needs `pip install duckdb`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

try:
    import duckdb
except ImportError:  # pragma: no cover - message for people, not tests
    sys.exit("peer_duckdb.py needs the duckdb package: pip install duckdb")

# Column names are given in file order and replace the header's, so Online
# Retail II's renamed headers (Invoice, Price, Customer ID) read the same way.
FORMATS = {
    "online-retail": {
        "columns": {
            "inv": "VARCHAR", "sku": "VARCHAR", "descr": "VARCHAR", "qty": "INTEGER",
            "ts": "TIMESTAMP", "price": "DOUBLE", "cust": "VARCHAR", "country": "VARCHAR",
        },
        "timestampformat": "%Y-%m-%d %H:%M:%S",
        "purchase": "NOT (starts_with(inv, 'C') OR starts_with(inv, 'A'))",
    },
    "generic": {
        "columns": {
            "inv": "VARCHAR", "cust": "VARCHAR", "ts": "TIMESTAMP", "sku": "VARCHAR",
            "descr": "VARCHAR", "category": "VARCHAR", "qty": "INTEGER", "price": "DOUBLE",
            "currency": "VARCHAR", "channel": "VARCHAR", "country": "VARCHAR", "kind": "VARCHAR",
        },
        "timestampformat": "%Y-%m-%dT%H:%M:%SZ",
        "purchase": "kind = 'purchase'",
    },
}

RFM_SQL = """
WITH snap AS (
    SELECT CAST(max(ts) AS DATE) + 1 AS snapshot FROM lines
),
per_customer AS (
    SELECT cust,
           date_diff('day', CAST(max(ts) FILTER (WHERE purchase) AS DATE),
                     (SELECT snapshot FROM snap)) AS recency,
           count(DISTINCT inv) FILTER (WHERE purchase) AS frequency,
           sum(qty * price) AS monetary
    FROM lines
    WHERE cust IS NOT NULL AND cust <> ''
    GROUP BY cust
    HAVING count(*) FILTER (WHERE purchase) > 0
)
SELECT cust, recency, frequency, monetary,
       NTILE(5) OVER (ORDER BY recency DESC, cust) AS r_score,
       NTILE(5) OVER (ORDER BY frequency, cust) AS f_score,
       NTILE(5) OVER (ORDER BY monetary, cust) AS m_score
FROM per_customer
"""

COHORT_SQL = """
WITH active AS (
    SELECT DISTINCT cust, date_trunc('month', ts) AS month
    FROM lines
    WHERE purchase AND cust IS NOT NULL AND cust <> ''
),
cohort AS (
    SELECT cust, min(month) AS cohort FROM active GROUP BY cust
)
SELECT c.cohort, date_diff('month', c.cohort, a.month) AS k, count(*) AS customers
FROM active a JOIN cohort c USING (cust)
GROUP BY ALL
ORDER BY 1, 2
"""


def one_run(path: str, fmt: str, threads: int) -> dict:
    spec = FORMATS[fmt]
    t0 = time.perf_counter()
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET threads={int(threads)}")
        con.execute(
            f"""
            CREATE TABLE lines AS
            SELECT inv, cust, ts, qty, price, {spec['purchase']} AS purchase
            FROM read_csv(?, header = true, delim = ',', quote = '"', escape = '"',
                          columns = {spec['columns']!r},
                          timestampformat = '{spec['timestampformat']}')
            """,
            [path],
        )
        t_read = time.perf_counter()
        n_lines = con.execute("SELECT count(*) FROM lines").fetchone()[0]
        rfm = con.execute(RFM_SQL).fetchall()
        t_rfm = time.perf_counter()
        cohort = con.execute(COHORT_SQL).fetchall()
        t_end = time.perf_counter()
    finally:
        con.close()
    return {
        "seconds": t_end - t0,
        "read_seconds": t_read - t0,
        "rfm_seconds": t_rfm - t_read,
        "cohort_seconds": t_end - t_rfm,
        "lines": n_lines,
        "rfm_customers": len(rfm),
        "cohorts": len({row[0] for row in cohort}),
        "cohort_cells": len(cohort),
        "checksum": {  # lets a reader see the numbers are real
            "frequency": sum(r[2] for r in rfm),
            "monetary": round(sum(r[3] for r in rfm), 2),
            "r5": sum(1 for r in rfm if r[4] == 5),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--format", required=True, choices=sorted(FORMATS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not os.path.isfile(args.file):
        ap.error(f"no such file: {args.file}")
    if args.runs < 1 or args.threads < 1:
        ap.error("--runs and --threads must be at least 1")

    runs = []
    for i in range(args.runs):
        r = one_run(args.file, args.format, args.threads)
        runs.append(r)
        if not args.json:
            print(f"run {i + 1}: {r['seconds']:.3f} s  (read {r['read_seconds']:.3f}, "
                  f"rfm {r['rfm_seconds']:.3f}, cohorts {r['cohort_seconds']:.3f})",
                  flush=True)
    last = runs[-1]
    result = {
        "tool": "duckdb",
        "duckdb_version": duckdb.__version__,
        "file": args.file,
        "format": args.format,
        "threads": args.threads,
        "runs": [round(r["seconds"], 4) for r in runs],
        "median_seconds": round(statistics.median(r["seconds"] for r in runs), 4),
        "lines": last["lines"],
        "rfm_customers": last["rfm_customers"],
        "cohorts": last["cohorts"],
        "cohort_cells": last["cohort_cells"],
        "checksum": last["checksum"],
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"duckdb {result['duckdb_version']}, {args.threads} thread(s), {args.runs} run(s): "
              f"median {result['median_seconds']:.3f} s")
        print(f"lines read {result['lines']:,}; RFM rows {result['rfm_customers']:,}; "
              f"cohorts {result['cohorts']} with {result['cohort_cells']} cells; "
              f"checksum {result['checksum']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
