#!/usr/bin/env python3
"""Perennial's recommender against implicit 0.7.3 on Online Retail, the same split, in the same run.

    swift build -c release
    python3 Benchmarks/recommend/run.py [--store online_retail.db] [--runs 5] [--split-date 2011-09-01]

Without --store, ../shared/datasets/online_retail.csv.gz is imported into a temporary store first. Each
run alternates the peer (peer_implicit.py: ALS with BM25 weighting, 2 threads, and "favourites again")
and `perennial recommend evaluate --json`, so both see the same machine state; the figures printed are
medians over the runs. Quality is deterministic for both (seeded); times vary with the machine.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "perennial"))
    ap.add_argument("--store", help="a SQLite store with Online Retail imported")
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "datasets", "online_retail.csv.gz"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--split-date", default="2011-09-01")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="perennial-recommend-")
    db = os.path.join(work, "store.db")
    if a.store:
        shutil.copy(a.store, db)
    else:
        subprocess.run([a.binary, "import", "orders", a.data, "--format", "online-retail", "--db", db], check=True, capture_output=True)
    ours, peers = [], []
    for run in range(a.runs):
        peer = subprocess.run([sys.executable, os.path.join(HERE, "peer_implicit.py"), "--data", a.data, "--split-date", a.split_date,
                               "--runs", "1", "--json"], capture_output=True, text=True)
        if peer.returncode != 0:
            sys.exit(f"peer failed: {peer.stderr}")
        peers.append(json.loads(peer.stdout))
        mine = subprocess.run([a.binary, "recommend", "evaluate", "--split-date", a.split_date, "--json", "--db", db], capture_output=True, text=True)
        if mine.returncode != 0:
            sys.exit(f"perennial recommend evaluate failed: {mine.stderr}")
        ours.append(json.loads(mine.stdout))
        print(f"run {run + 1}: perennial train {ours[-1]['timing']['train_seconds']:.3f} s, implicit fit {peers[-1]['als_bm25']['fit_seconds'][0]:.3f} s",
              file=sys.stderr)
    shutil.rmtree(work)

    def med(values):
        return statistics.median(values)

    o, p = ours[-1], peers[-1]
    print(f"Online Retail, split {a.split_date}: {o['evaluated_customers']} evaluated customers (peer {p['evaluated_customers']}), "
          f"{o['catalog_items']} items (peer {p['catalog_items']}), {o['train_cells']} train cells (peer {p['train_cells']}); "
          f"medians of {a.runs} alternating runs\n")
    print("| task | model | NDCG@10 | P@10 | R@10 | hit@10 | coverage | long-tail share |")
    print("|---|---|---|---|---|---|---|---|")

    def row(task, name, m, tail):
        print(f"| {task} | {name} | {m['ndcg_at_10']:.4f} | {m['precision_at_10']:.4f} | {m['recall_at_10']:.4f} | "
              f"{m['hit_rate_at_10']:.4f} | {m['coverage']:.4f} | {tail:.4f} |")

    row("discover", "Perennial (ALS, log weighting)", o["discover"], o["discover_long_tail_share"])
    row("discover", f"implicit {p['implicit_version']} ALS-BM25", p["als_bm25"]["discover"], p["als_bm25"]["long_tail_share"])
    row("next_basket", "Perennial (learnt blend)", o["next_basket"], o["next_basket_long_tail_share"])
    row("next_basket", "favourites again (peer script)", p["favourites_again"]["next_basket"], p["favourites_again"]["long_tail_share"])
    train = med([r["timing"]["train_seconds"] for r in ours])
    fit = med([r["als_bm25"]["fit_seconds"][0] for r in peers])
    discover_all = med([r["timing"]["discover_all_seconds"] for r in ours])
    next_all = med([r["timing"]["next_basket_all_seconds"] for r in ours])
    peer_all = med([r["als_bm25"]["recommend_all_seconds"][0] for r in peers])
    print(f"\n| time (median) | Perennial | implicit | ratio |")
    print("|---|---|---|---|")
    print(f"| train (Perennial: index, ALS, neighbours, blend) vs ALS fit | {train:.3f} s | {fit:.3f} s | {fit / train:.2f}× |")
    print(f"| top 10 for all {o['timing']['customers']} customers, discover | {discover_all:.3f} s | {peer_all:.3f} s | {peer_all / discover_all:.2f}× |")
    print(f"| top 10 for all customers, next basket (blend) | {next_all:.3f} s | — | |")


if __name__ == "__main__":
    main()
