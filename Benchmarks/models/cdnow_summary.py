#!/usr/bin/env python3
"""Per-customer calibration/holdout summary of the CDNOW sample, as lifetimes builds it.

Usage:
    python3 Benchmarks/models/cdnow_summary.py [--input CDNOW_sample.txt]
        [--published cdnow_customers_summary.csv] [--out cdnow_calibration.csv]
        [--check-lifetimes]

Defaults: ../shared/datasets/cdnow/ next to the repository (or /work/shared/...),
output Benchmarks/models/cdnow_calibration.csv.

Input: CDNOW_sample.txt, whitespace-separated, CRLF, no header; columns
master id, sample id, YYYYMMDD, number of CDs, dollars.

Rules (the same as lifetimes 0.11.3 `summary_data_from_transaction_data(...,
freq='D', monetary_value_col='dollars', observation_period_end='1997-09-30')`,
then recency and T divided by 7 to get weeks):

  * customer id = master id (first column, kept as the zero-padded string);
  * rows are aggregated to distinct purchase days per customer (dollars summed
    per day); rows after the calibration end are dropped first;
  * calibration ends 1997-09-30, inclusive;
  * frequency      = distinct purchase days in calibration - 1;
  * recency (t_x)  = (last purchase day - first purchase day) in days / 7;
  * T              = (1997-09-30 - first purchase day) in days / 7;
  * monetary_value = mean of the per-day dollar totals of the repeat purchase
                     days (every day but the first), 0 when frequency is 0;
  * holdout_frequency = distinct purchase days from 1997-10-01 to 1998-06-30.

Every sample customer made the first purchase in Jan-Mar 1997, so all 2,357
are in the calibration summary. Dollars are summed in integer cents, so the
per-day totals are exact; the mean is one float division.

Rows are written in sample-id order, i.e. the row order of the published
summary (its ID column is the sample id). Sample ids are ordered by (first
purchase date, master id), not by master id. Floats are written with full
precision (repr). With --published the rows are compared with
the published summary (ID = sample id, 2-decimal weeks) and the differences
are printed. With --check-lifetimes the summary is rebuilt with lifetimes'
own function (needs pandas + lifetimes) and compared.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def default_data(name: str) -> str:
    for base in (os.path.join(REPO, "..", "shared", "datasets", "cdnow"),
                 "/work/shared/datasets/cdnow"):
        p = os.path.join(base, name)
        if os.path.exists(p):
            return os.path.normpath(p)
    return os.path.join(REPO, "..", "shared", "datasets", "cdnow", name)


CAL_END = dt.date(1997, 9, 30)
HOLDOUT_END = dt.date(1998, 6, 30)


def parse_date(s: str) -> dt.date:
    return dt.date(int(s[0:4]), int(s[4:6]), int(s[6:8]))


def read_sample(path: str):
    """Returns {master_id: {"sample": sample_id, "days": {date: cents}}}."""
    customers: dict[str, dict] = {}
    with open(path, "r", newline="") as f:
        for number, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 5:
                raise SystemExit(f"line {number}: expected 5 fields, got {line!r}")
            master, sample, ymd, _cds, dollars = parts
            day = parse_date(ymd)
            whole, _, frac = dollars.partition(".")
            cents = int(whole) * 100 + int((frac + "00")[:2])
            c = customers.setdefault(master, {"sample": sample, "days": {}})
            if c["sample"] != sample:
                raise SystemExit(f"line {number}: master id {master} has two sample ids")
            c["days"][day] = c["days"].get(day, 0) + cents
    return customers


def summarise(customers) -> list[dict]:
    rows = []
    for master, c in customers.items():
        cal = sorted(d for d in c["days"] if d <= CAL_END)
        hold = [d for d in c["days"] if CAL_END < d <= HOLDOUT_END]
        if not cal:  # never happens in the CDNOW sample
            continue
        first, last = cal[0], cal[-1]
        freq = len(cal) - 1
        if freq > 0:
            repeat_cents = sum(c["days"][d] for d in cal[1:])
            monetary = repeat_cents / 100 / freq
        else:
            monetary = 0.0
        rows.append({
            "customer_id": master,
            "sample_id": int(c["sample"]),
            "frequency": freq,
            "recency": (last - first).days / 7,
            "T": (CAL_END - first).days / 7,
            "monetary_value": monetary,
            "holdout_frequency": len(hold),
        })
    rows.sort(key=lambda r: r["sample_id"])
    return rows


def write_csv(rows, path: str) -> None:
    cols = ["customer_id", "frequency", "recency", "T", "monetary_value", "holdout_frequency"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([r["customer_id"], r["frequency"], repr(r["recency"]), repr(r["T"]),
                        repr(r["monetary_value"]), r["holdout_frequency"]])


def compare_published(rows, path: str) -> dict:
    pub = {}
    with open(path, newline="") as f:
        for rec in csv.DictReader(f):
            pub[int(rec["ID"])] = (int(rec["frequency"]), float(rec["recency"]), float(rec["T"]))
    ours = {r["sample_id"]: r for r in rows}
    out = {"published_rows": len(pub), "our_rows": len(ours),
           "ids_only_in_published": sorted(set(pub) - set(ours)),
           "ids_only_in_ours": sorted(set(ours) - set(pub)),
           "frequency_differs": [], "recency_beyond_rounding": [], "T_beyond_rounding": [],
           "recency_rounding_only": 0, "T_rounding_only": 0,
           "recency_not_round_half": [], "T_not_round_half": []}
    half = 0.005 + 1e-9
    max_abs = {"recency": 0.0, "T": 0.0}
    for sid in sorted(set(pub) & set(ours)):
        f, rc, t = pub[sid]
        r = ours[sid]
        if f != r["frequency"]:
            out["frequency_differs"].append({"sample_id": sid, "customer_id": r["customer_id"],
                                             "published": f, "ours": r["frequency"]})
        for key, pv in (("recency", rc), ("T", t)):
            ov = r[key]
            d = abs(ov - pv)
            max_abs[key] = max(max_abs[key], d)
            if d > half:
                out[f"{key}_beyond_rounding"].append({"sample_id": sid, "customer_id": r["customer_id"],
                                                      "published": pv, "ours": ov,
                                                      "ours_days": round(ov * 7)})
            else:
                if d > 1e-12:
                    out[f"{key}_rounding_only"] += 1
                # is the published value the round-half-up 2-decimal rounding of ours?
                if round(ov * 100 + 1e-9) / 100 != pv:
                    out[f"{key}_not_round_half"].append({"sample_id": sid, "published": pv, "ours": ov})
    out["max_abs_diff_weeks"] = max_abs
    return out


def check_lifetimes(input_path: str, rows) -> dict:
    import pandas as pd
    from lifetimes.utils import summary_data_from_transaction_data
    df = pd.read_csv(input_path, sep=r"\s+", header=None, dtype={0: str, 1: str, 2: str},
                     names=["master", "sample", "date", "cds", "dollars"])
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    s = summary_data_from_transaction_data(df, "master", "date", monetary_value_col="dollars",
                                           observation_period_end="1997-09-30", freq="D")
    s["recency"] /= 7
    s["T"] /= 7
    worst = {"frequency": 0.0, "recency": 0.0, "T": 0.0, "monetary_value": 0.0}
    for r in rows:
        l = s.loc[r["customer_id"]]
        for k in worst:
            worst[k] = max(worst[k], abs(float(l[k]) - float(r[k])))
    return {"lifetimes_rows": int(len(s)), "our_rows": len(rows), "max_abs_diff": worst}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", default=default_data("CDNOW_sample.txt"))
    ap.add_argument("--published", default=default_data("cdnow_customers_summary.csv"))
    ap.add_argument("--out", default=os.path.join(HERE, "cdnow_calibration.csv"))
    ap.add_argument("--check-lifetimes", action="store_true")
    ap.add_argument("--details", action="store_true", help="list every differing row")
    args = ap.parse_args()

    customers = read_sample(args.input)
    rows = summarise(customers)
    write_csv(rows, args.out)
    n = len(rows)
    repeat = sum(1 for r in rows if r["frequency"] > 0)
    print(f"wrote {args.out}: {n} customers, {repeat} repeat buyers, "
          f"{sum(r['frequency'] for r in rows)} repeat purchase days in calibration, "
          f"{sum(r['holdout_frequency'] for r in rows)} purchase days in holdout")

    if args.published and os.path.exists(args.published):
        c = compare_published(rows, args.published)
        print(f"vs published {args.published}:")
        print(f"  rows: published {c['published_rows']}, ours {c['our_rows']}; "
              f"ids only in published {c['ids_only_in_published'][:10]}, only in ours {c['ids_only_in_ours'][:10]}")
        print(f"  frequency differs: {len(c['frequency_differs'])} rows")
        for k in ("recency", "T"):
            print(f"  {k}: {len(c[k + '_beyond_rounding'])} rows differ beyond 2-decimal rounding (> 0.005 weeks), "
                  f"{c[k + '_rounding_only']} rows differ only by rounding, max |diff| {c['max_abs_diff_weeks'][k]:.6f} weeks; "
                  f"{len(c[k + '_not_round_half'])} rows within rounding but not equal to round-half-up of ours")
        lim = None if args.details else 10
        for k in ("frequency_differs", "recency_beyond_rounding", "T_beyond_rounding",
                  "recency_not_round_half", "T_not_round_half"):
            for item in c[k][:lim]:
                print(f"    {k}: {item}")
    if args.check_lifetimes:
        print("vs lifetimes.utils.summary_data_from_transaction_data (recency, T / 7):", check_lifetimes(args.input, rows))


if __name__ == "__main__":
    main()
