#!/usr/bin/env python3
"""Timing peer for Perennial's model fits: lifetimes 0.11.3 on a customer summary.

Usage:
    python3 Benchmarks/models/peer_lifetimes.py --summary FILE.csv --model bgnbd|mbgnbd|pnbd [--runs 3] [--verify]
    python3 Benchmarks/models/peer_lifetimes.py --generate N [--seed 7] --out FILE.csv [--monetary]

Fit mode needs lifetimes (python3 -m venv /tmp/lt-venv && /tmp/lt-venv/bin/pip
install lifetimes==0.11.3; current numpy/scipy/pandas work, no pins needed);
generate mode needs only numpy.

Fit mode: FILE has (at least) the columns frequency, recency, T (lifetimes'
names; any other column, such as customer_id or monetary_value, is ignored).
Each run builds a fresh BetaGeoFitter / ModifiedBetaGeoFitter /
ParetoNBDFitter (penalizer_coef 0, lifetimes' default options) and times its
`fit(frequency, recency, T)` call with time.perf_counter: that is everything
a lifetimes user waits for, including lifetimes' input checks and, for the
BG/NBD family, the autograd Hessian it computes after the optimiser stops.
Reading the CSV is timed separately (read_seconds) and not included.
With --verify (after the timed runs, not timed with them) lifetimes' last
estimate is checked against an independent log-likelihood (btyd_numpy.py):
one Newton step from it shows how far it is from the optimum.
ParetoNBDFitter draws its starting point from np.random; np.random.seed(0) is
set before every run. Prints one JSON object:
  {"peer", "model", "file", "customers", "read_seconds", "runs": [s, ...],
   "median_seconds", "params", "log_likelihood", "lifetimes_objective"}
log_likelihood is the total LL in the file's own time unit, converted from
lifetimes' objective as in reference_values.py (lifetimes fits on time
rescaled by 1/max(T) and, for BG/NBD and MBG/NBD, reports the mean NLL):
  BG/NBD, MBG/NBD: -objective * n + log(1/max(T)) * sum(x)
  Pareto/NBD:      -objective     + log(1/max(T)) * sum(x)

Generate mode: writes N customers drawn from the BG/NBD process with
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (time unit: weeks), columns
customer_id,frequency,recency,T (and monetary_value with --monetary):
  * T_i ~ Uniform[1, 39] weeks since the customer's first purchase (time 0);
  * lambda_i ~ Gamma(shape r, rate alpha): purchase rate while alive;
  * p_i ~ Beta(a, b): after each *repeat* purchase the customer drops out
    with probability p_i, so the number of repeat purchases made before
    dropping out is K_i ~ Geometric(p_i) on {1, 2, ...}; the first purchase
    at time 0 carries no dropout (Fader, Hardie & Lee 2005, assumptions i-v);
  * repeat purchases while alive form a Poisson process of rate lambda_i, so
    the number in (0, T_i] ignoring dropout is N_i ~ Poisson(lambda_i T_i);
  * frequency x_i = min(K_i, N_i);
  * recency t_x = time of the x-th arrival: given N arrivals in (0, T], they
    are N uniform points, and the x-th smallest is T * Beta(x, N - x + 1);
    t_x = 0 when x = 0.
All draws are vectorised numpy (default_rng(seed)); a run with the same N and
seed writes the same file. Floats are written with 12 significant digits
(recency <= T is preserved). With --monetary, a Gamma-Gamma spend is added
with p = 6.25, q = 3.74, gamma = 15.44: nu_i ~ Gamma(shape q, rate gamma),
each repeat purchase ~ Gamma(shape p, rate nu_i), so the mean of x_i of them
is Gamma(shape p x_i, rate nu_i x_i); 0 when x_i = 0. These draws come
after the others, so the first four columns are the same with or without it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings

import numpy as np

BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}
T_MIN, T_MAX = 1.0, 39.0


def generate(n: int, seed: int, monetary: bool):
    rng = np.random.default_rng(seed)
    T = rng.uniform(T_MIN, T_MAX, n)
    lam = rng.gamma(BGNBD["r"], 1.0 / BGNBD["alpha"], n)
    p = rng.beta(BGNBD["a"], BGNBD["b"], n)
    K = rng.geometric(p)                     # repeat purchases before dropout, >= 1
    N = rng.poisson(lam * T)                 # arrivals in (0, T] without dropout
    x = np.minimum(K, N)
    pos = x > 0
    tx = np.zeros(n)
    tx[pos] = T[pos] * rng.beta(x[pos], N[pos] - x[pos] + 1)
    out = {"frequency": x, "recency": tx, "T": T}
    if monetary:
        nu = rng.gamma(GG["q"], 1.0 / GG["gamma"], n)
        m = np.zeros(n)
        m[pos] = rng.gamma(GG["p"] * x[pos], 1.0 / (nu[pos] * x[pos]))
        out["monetary_value"] = m
    return out


def write_summary(path: str, cols: dict) -> None:
    n = len(cols["frequency"])
    names = ["customer_id", "frequency", "recency", "T"] + (["monetary_value"] if "monetary_value" in cols else [])
    arrs = [np.arange(1, n + 1), cols["frequency"], cols["recency"], cols["T"]]
    fmts = ["%d", "%d", "%.12g", "%.12g"]
    if "monetary_value" in cols:
        arrs.append(cols["monetary_value"])
        fmts.append("%.12g")
    fmt = ",".join(fmts)
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        chunk = 200_000
        for s in range(0, n, chunk):
            block = np.column_stack([a[s:s + chunk].astype(float) for a in arrs])
            np.savetxt(f, block, fmt=fmt)


INSTALL_HINT = ("needs lifetimes 0.11.3, e.g.: python3 -m venv /tmp/lt-venv && "
                "/tmp/lt-venv/bin/pip install lifetimes==0.11.3, then run this script with /tmp/lt-venv/bin/python "
                "(works with numpy 2.4, scipy 1.17, pandas 3.1, autograd 1.9; no pins needed)")


def fit(path: str, model: str, runs: int, verify: bool = False) -> dict:
    try:
        import pandas as pd
        import lifetimes
    except ImportError as e:
        raise SystemExit(f"{e}: {INSTALL_HINT}")
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    df = pd.read_csv(path, usecols=["frequency", "recency", "T"])
    read_s = time.perf_counter() - t0
    cls = {"bgnbd": BetaGeoFitter, "mbgnbd": ModifiedBetaGeoFitter, "pnbd": ParetoNBDFitter}[model]
    names = ["r", "alpha", "s", "beta"] if model == "pnbd" else ["r", "alpha", "a", "b"]
    times = []
    f = None
    for _ in range(runs):
        f = cls(penalizer_coef=0.0)
        np.random.seed(0)
        t0 = time.perf_counter()
        f.fit(df["frequency"], df["recency"], df["T"])
        times.append(time.perf_counter() - t0)
    obj = float(f._negative_log_likelihood_)
    n = len(df)
    sum_x = float(df["frequency"].sum())
    log_scale = math.log(1.0 / float(df["T"].max()))
    ll = (-obj if model == "pnbd" else -obj * n) + log_scale * sum_x
    out = {
        "peer": f"lifetimes {lifetimes.__version__}",
        "model": model,
        "file": path,
        "customers": n,
        "read_seconds": read_s,
        "runs": times,
        "median_seconds": statistics.median(times),
        "params": {k: float(f.params_[k]) for k in names},
        "log_likelihood": ll,
        "lifetimes_objective": obj,
    }
    if verify:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import btyd_numpy as bn
        fn = {"bgnbd": bn.bgnbd_ll, "mbgnbd": bn.mbgnbd_ll, "pnbd": bn.pnbd_ll}[model]
        t0 = time.perf_counter()
        chk = bn.newton_check(fn, [out["params"][k] for k in names],
                              (df["frequency"].to_numpy(float), df["recency"].to_numpy(float), df["T"].to_numpy(float)))
        out["verify"] = {
            "method": "independent LL (btyd_numpy.py); one Newton step from lifetimes' estimate",
            "log_likelihood_independent": chk["log_likelihood_at_params"],
            "gradient_norm_log_params": chk["gradient_norm_log_params"],
            "relative_change_to_optimum": dict(zip(names, chk["relative_change"])),
            "newton_optimum": dict(zip(names, chk["newton_optimum"])),
            "standard_errors": dict(zip(names, chk["standard_errors"])),
            "seconds": time.perf_counter() - t0,
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--summary", help="CSV with frequency,recency,T columns")
    ap.add_argument("--model", choices=["bgnbd", "mbgnbd", "pnbd"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--verify", action="store_true",
                    help="after timing, check lifetimes' estimate with an independent LL (one Newton step)")
    ap.add_argument("--generate", type=int, metavar="N", help="write a synthetic BG/NBD summary of N customers")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="output CSV for --generate")
    ap.add_argument("--monetary", action="store_true", help="with --generate: add a Gamma-Gamma monetary_value")
    args = ap.parse_args()

    if args.generate is not None:
        if not args.out:
            ap.error("--generate needs --out")
        t0 = time.perf_counter()
        cols = generate(args.generate, args.seed, args.monetary)
        write_summary(args.out, cols)
        x = cols["frequency"]
        print(json.dumps({
            "generated": args.out, "customers": int(args.generate), "seed": args.seed,
            "process": "BG/NBD", "params": BGNBD, "T_uniform_weeks": [T_MIN, T_MAX],
            "monetary": GG if args.monetary else None,
            "repeat_buyers": int((x > 0).sum()), "sum_frequency": int(x.sum()), "max_frequency": int(x.max()),
            "bytes": os.path.getsize(args.out), "seconds": time.perf_counter() - t0,
        }))
        return
    if not (args.summary and args.model):
        ap.error("give --summary FILE --model MODEL, or --generate N --out FILE")
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    print(json.dumps(fit(args.summary, args.model, args.runs, args.verify)))


if __name__ == "__main__":
    sys.exit(main())
