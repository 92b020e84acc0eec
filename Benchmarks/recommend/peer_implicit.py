#!/usr/bin/env python3
"""The peer for `perennial recommend evaluate`: implicit 0.7.3 on the same Online Retail split.

Protocol (issue 7, fixed so figures compare): order lines with a customer id, not cancellations,
quantity > 0, price > 0, product stock codes only; train = orders before the split date, test = from it;
evaluated customers = in both periods; relevant = distinct items bought in test; cell weight = number of
distinct orders containing the item. Tasks: discover (items bought in train never recommended) and
next_basket (no exclusion). Metrics at 10: precision, recall, NDCG (binary gains), hit rate, and catalog
coverage (distinct items recommended / items in train).

Usage: python3 peer_implicit.py [--data ../shared/datasets/online_retail.csv.gz] [--split-date 2011-09-01]
       [--threads 2] [--runs 3] [--json]
Installs implicit 0.7.3 with pip when it is missing.
"""
import argparse, json, os, statistics, subprocess, sys, time

# implicit runs its own threads; an OpenBLAS pool under them slows the fit (implicit warns so).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

try:
    import implicit  # noqa: F401
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "implicit==0.7.3"])

import numpy as np
import pandas as pd
import scipy.sparse as sp
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import bm25_weight

# The stock codes Perennial's Online Retail reader calls fees, postage or adjustments (not products).
NON_PRODUCT = {"POST", "DOT", "M", "m", "D", "C2", "CRUK", "BANK CHARGES", "AMAZONFEE", "PADS", "S", "B"}


def load(path, split):
    df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": "Int64"})
    df = df[df.CustomerID.notna() & ~df.InvoiceNo.str.startswith(("C", "A")) & (df.Quantity > 0) & (df.UnitPrice > 0)]
    codes = df.StockCode
    df = df[~(codes.isin(NON_PRODUCT) | codes.str.startswith("DCGS") | codes.str.startswith("gift_"))]
    df = df.assign(InvoiceDate=pd.to_datetime(df.InvoiceDate))
    when = pd.Timestamp(split)
    train, test = df[df.InvoiceDate < when], df[df.InvoiceDate >= when]
    return train, test


def matrices(train, test):
    users = sorted(set(train.CustomerID))
    items = sorted(set(train.StockCode))
    uidx = {u: i for i, u in enumerate(users)}
    iidx = {s: i for i, s in enumerate(items)}
    cells = train.groupby(["CustomerID", "StockCode"]).InvoiceNo.nunique().reset_index()
    rows = cells.CustomerID.map(uidx).to_numpy()
    cols = cells.StockCode.map(iidx).to_numpy()
    m = sp.csr_matrix((cells.InvoiceNo.to_numpy().astype(np.float32), (rows, cols)), shape=(len(users), len(items)))
    relevant = {uidx[u]: set(g.StockCode) for u, g in test.groupby("CustomerID") if u in uidx}
    return m, users, items, relevant


def metrics(lists, relevant, items, k=10):
    p = r = n = h = 0.0
    shown = set()
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    for u, rel in relevant.items():
        rec = [items[i] for i in lists[u][:k]]
        shown.update(rec)
        gains = np.array([1.0 if s in rel else 0.0 for s in rec] + [0.0] * (k - len(rec)))
        hits = gains.sum()
        p += hits / k
        r += hits / len(rel)
        n += (gains * discount).sum() / discount[: min(k, len(rel))].sum()
        h += 1.0 if hits > 0 else 0.0
    c = len(relevant)
    return {"precision_at_10": p / c, "recall_at_10": r / c, "ndcg_at_10": n / c, "hit_rate_at_10": h / c,
            "coverage": len(shown) / len(items)}


def long_tail_share(lists, users_eval, m, k=10):
    """Share of recommended slots holding long-tail items: those outside the most-bought items that
    together make 80% of train interactions."""
    pop = np.asarray((m > 0).sum(axis=0)).ravel()
    order = np.argsort(-pop, kind="stable")
    cum = np.cumsum(pop[order]) / pop.sum()
    head = set(order[: int(np.searchsorted(cum, 0.8)) + 1])
    slots = [i for u in users_eval for i in lists[u][:k]]
    return sum(1 for i in slots if i not in head) / max(1, len(slots))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.join(here, "../../../shared/datasets/online_retail.csv.gz"))
    ap.add_argument("--split-date", default="2011-09-01")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    train, test = load(a.data, a.split_date)
    m, users, items, relevant = matrices(train, test)
    evaluated = sorted(relevant)
    weighted = bm25_weight(m, K1=100, B=0.8).tocsr().astype(np.float32)

    fits, recs = [], []
    for run in range(a.runs):
        model = AlternatingLeastSquares(factors=100, regularization=0.01, iterations=15,
                                        num_threads=a.threads, random_state=42 + run)
        t = time.perf_counter(); model.fit(weighted, show_progress=False); fits.append(time.perf_counter() - t)
        everyone = np.arange(len(users))
        t = time.perf_counter()
        ids, _ = model.recommend(everyone, weighted[everyone], N=10, filter_already_liked_items=True)
        recs.append(time.perf_counter() - t)
    discover = {u: list(ids[u]) for u in evaluated}

    # "Favourites again": each customer's own items by the number of orders, ties by overall popularity.
    pop = np.asarray((m > 0).sum(axis=0)).ravel()
    favourites = {}
    for u in evaluated:
        row = m.getrow(u)
        favourites[u] = sorted(row.indices, key=lambda i: (-row[0, i], -pop[i], i))[:10]
    popular = list(np.argsort(-pop, kind="stable")[:10])

    out = {
        "evaluated_customers": len(evaluated), "train_customers": len(users), "catalog_items": len(items),
        "train_cells": int(m.nnz),
        "implicit_version": implicit.__version__, "threads": a.threads,
        "als_bm25": {"discover": metrics(discover, relevant, items),
                     "long_tail_share": long_tail_share(discover, evaluated, m),
                     "fit_seconds_median": statistics.median(fits), "fit_seconds": fits,
                     "recommend_all_seconds_median": statistics.median(recs), "recommend_all_seconds": recs},
        "favourites_again": {"next_basket": metrics(favourites, relevant, items),
                             "long_tail_share": long_tail_share(favourites, evaluated, m)},
        "most_popular": {"next_basket": metrics({u: popular for u in evaluated}, relevant, items)},
    }
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        d = out["als_bm25"]
        print(f"implicit {out['implicit_version']} on {a.threads} threads; {out['evaluated_customers']} evaluated customers, "
              f"{out['catalog_items']} items, {out['train_cells']} train cells")
        print(f"ALS-BM25 discover: NDCG@10 {d['discover']['ndcg_at_10']:.4f}  P@10 {d['discover']['precision_at_10']:.4f}  "
              f"R@10 {d['discover']['recall_at_10']:.4f}  hit {d['discover']['hit_rate_at_10']:.4f}  "
              f"coverage {d['discover']['coverage']:.4f}  long tail {d['long_tail_share']:.4f}")
        print(f"  fit {d['fit_seconds_median']:.3f} s median of {fits}; recommend all {d['recommend_all_seconds_median']:.3f} s")
        f = out["favourites_again"]["next_basket"]
        print(f"favourites again next-basket: NDCG@10 {f['ndcg_at_10']:.4f}  P@10 {f['precision_at_10']:.4f}  "
              f"R@10 {f['recall_at_10']:.4f}  hit {f['hit_rate_at_10']:.4f}  coverage {f['coverage']:.4f}")


if __name__ == "__main__":
    main()
