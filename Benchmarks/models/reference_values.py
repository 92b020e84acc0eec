#!/usr/bin/env python3
"""Reference values for Perennial's buy-till-you-die models, computed with lifetimes.

Usage:
    /tmp/lt-venv/bin/python Benchmarks/models/reference_values.py [--out FILE.json]

Needs lifetimes 0.11.3 (pip install lifetimes==0.11.3; it brings numpy, scipy,
pandas, autograd, dill). Reads Benchmarks/models/cdnow_calibration.csv (run
cdnow_summary.py first; it is rebuilt here if missing) and, from
../shared/datasets/cdnow/, cdnow_customers_summary.csv and donations.csv.
Writes Benchmarks/models/reference_values.json and prints a table.

Fits, all with penalizer_coef = 0:
  * BG/NBD (BetaGeoFitter), MBG/NBD (ModifiedBetaGeoFitter), Pareto/NBD
    (ParetoNBDFitter) on (a) "unrounded": the summary built from
    CDNOW_sample.txt (weeks as days / 7, full precision) and (b) "published":
    cdnow_customers_summary.csv (weeks rounded to 2 decimals);
  * Gamma-Gamma (GammaGammaFitter) on the 946 repeat buyers (frequency > 0)
    with monetary_value from the unrounded summary (the published file has no
    spend; its frequencies are identical, so (b) would give the same fit);
  * BG/BB (BetaGeoBetaBinomFitter) on donations.csv with its weights.

Log-likelihood. lifetimes stores `_negative_log_likelihood_`, the optimiser's
objective, which is not the total LL:
  * BG/NBD, MBG/NBD: mean NLL per customer (sum / weights.sum()) on data whose
    time axis was rescaled by scale = 1 / max(T) before fitting;
  * Pareto/NBD: sum(w * ll) / mean(w), also on rescaled time;
  * Gamma-Gamma, BG/BB: mean NLL per customer (sum / weights.sum()), no rescale.
Rescaling time by c multiplies each customer's likelihood (a density of x
purchase times) by c^-x, so in the data's own unit (weeks):
  total LL = -objective * weights.sum()  + log(scale) * sum(w * x)   (BG/NBD, MBG/NBD)
  total LL = -objective * weights.mean() + log(scale) * sum(w * x)   (Pareto/NBD)
  total LL = -objective * weights.sum()                              (Gamma-Gamma, BG/BB)
Every converted LL is checked against an independent implementation
(btyd_numpy.py) evaluated at lifetimes' parameters, and each model is re-fitted
from lifetimes' solution with tight tolerances ("independent_refit") to show
how far lifetimes' optimiser stopped from the optimum (this matters for the
Pareto/NBD, which lifetimes fits by Nelder-Mead with tol = 1e-4).

ParetoNBDFitter draws its starting point from np.random; the seed is fixed
(np.random.seed(0)) so the run is reproducible.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import btyd_numpy as bn  # noqa: E402
from cdnow_summary import default_data  # noqa: E402

warnings.filterwarnings("ignore")

PUBLISHED = {
    "bgnbd": {"params": {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}, "log_likelihood": -9582.43,
              "conditional_expected_purchases_39w_x2_tx30.43_T38.86": 1.226,
              "source": "Fader, Hardie & Lee (2005) Marketing Science 24(2); Fader & Hardie note 004"},
    "pnbd": {"params": {"r": 0.5533, "alpha": 10.578, "s": 0.6062, "beta": 11.67}, "log_likelihood": -9594.98,
             "source": "Fader & Hardie note 008 / 2005 Pareto/NBD spreadsheet"},
    "gamma_gamma": {"params": {"p": 6.25, "q": 3.74, "gamma": 15.44},
                    "source": "Fader, Hardie & Lee (2005) JMR 42(4); Fader & Hardie note 025"},
    "bgbb": {"params": {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}, "log_likelihood": -33225.6,
             "source": "Fader, Hardie & Shang (2010) Marketing Science 29(6)"},
}

# Prediction inputs named in issue 3.
X, TX, TT, HORIZON = 2, 30.43, 38.86, 39.0


def fl(v):
    """A lifetimes prediction (scalar, 0-d or 1-element array) as a float."""
    return float(np.asarray(v, float).reshape(-1)[0])


def sig(v, n=6):
    return float(f"{v:.{n}g}")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def versions():
    import autograd  # noqa: F401
    import lifetimes
    import scipy
    from importlib.metadata import version
    return {
        "lifetimes": lifetimes.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "autograd": version("autograd"),
        "python": platform.python_version(),
    }


def load_inputs():
    cal_path = os.path.join(HERE, "cdnow_calibration.csv")
    if not os.path.exists(cal_path):
        subprocess.run([sys.executable, os.path.join(HERE, "cdnow_summary.py")], check=True)
    cal = pd.read_csv(cal_path, dtype={"customer_id": str})
    pub_path = default_data("cdnow_customers_summary.csv")
    pub = pd.read_csv(pub_path)
    don_path = default_data("donations.csv")
    don = pd.read_csv(don_path)
    return (cal, cal_path), (pub, pub_path), (don, don_path)


def fit_timed(fitter, *args, **kw):
    t0 = time.perf_counter()
    fitter.fit(*args, **kw)
    return time.perf_counter() - t0


def fit_counting_model(name, df):
    """Fit one of bgnbd / mbgnbd / pnbd with lifetimes on df; returns a result dict and the fitter."""
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

    x = df["frequency"].to_numpy()
    tx = df["recency"].to_numpy(dtype=float)
    T = df["T"].to_numpy(dtype=float)
    w = np.ones(len(df))
    cls = {"bgnbd": BetaGeoFitter, "mbgnbd": ModifiedBetaGeoFitter, "pnbd": ParetoNBDFitter}[name]
    ll_fn = {"bgnbd": bn.bgnbd_ll, "mbgnbd": bn.mbgnbd_ll, "pnbd": bn.pnbd_ll}[name]
    names = ["r", "alpha", "s", "beta"] if name == "pnbd" else ["r", "alpha", "a", "b"]
    f = cls(penalizer_coef=0.0)
    if name == "pnbd":
        np.random.seed(0)
    secs = fit_timed(f, df["frequency"], df["recency"], df["T"])
    params = {k: float(f.params_[k]) for k in names}
    obj = float(f._negative_log_likelihood_)
    scale = float(f._scale)
    norm = w.mean() if name == "pnbd" else w.sum()
    ll_converted = -obj * norm + math.log(scale) * float(np.sum(w * x))
    pvec = [params[k] for k in names]
    ll_indep = bn.total_ll(ll_fn, pvec, (x, tx, T))
    rp, rll, info = bn.refit(ll_fn, pvec, (x, tx, T))
    se = bn.standard_errors(ll_fn, rp, (x, tx, T))
    out = {
        "params": params,
        "log_likelihood": ll_converted,
        "log_likelihood_independent_at_lifetimes_params": ll_indep,
        "lifetimes_objective": obj,
        "lifetimes_time_scale": scale,
        "fit_seconds": secs,
        "independent_refit": {
            "params": dict(zip(names, map(float, rp))),
            "log_likelihood": rll,
            "standard_errors": dict(zip(names, map(float, se))),
            **info,
        },
    }
    if name != "pnbd":
        out["standard_errors_lifetimes"] = {k: float(f.standard_errors_[k]) for k in names}
    return out, f


def counting_predictions(name, f):
    p = {}
    p["conditional_expected_purchases_39w_x2_tx30.43_T38.86"] = float(
        f.conditional_expected_number_of_purchases_up_to_time(HORIZON, X, TX, TT))
    p["p_alive_x2_tx30.43_T38.86"] = fl(f.conditional_probability_alive(X, TX, TT))
    p["expected_purchases_new_customer_39w"] = fl(f.expected_number_of_purchases_up_to_time(HORIZON))
    if name in ("bgnbd", "mbgnbd"):
        p["p_x_t39_n"] = {str(n): fl(f.probability_of_n_purchases_up_to_time(HORIZON, n)) for n in range(4)}
        # extreme / edge customers, for stability tests
        p["edge_cases"] = {
            "x0_tx0_T38.86": {"expected_39w": fl(f.conditional_expected_number_of_purchases_up_to_time(HORIZON, 0, 0.0, 38.86)),
                               "p_alive": fl(f.conditional_probability_alive(0, 0.0, 38.86))},
            "x20_tx38_T38.86": {"expected_39w": fl(f.conditional_expected_number_of_purchases_up_to_time(HORIZON, 20, 38.0, 38.86)),
                                 "p_alive": fl(f.conditional_probability_alive(20, 38.0, 38.86))},
            "x20_tx5_T38.86": {"expected_39w": fl(f.conditional_expected_number_of_purchases_up_to_time(HORIZON, 20, 5.0, 38.86)),
                                "p_alive": fl(f.conditional_probability_alive(20, 5.0, 38.86))},
        }
    else:
        p["conditional_p_x_39w_x2_tx30.43_T38.86_n"] = {
            str(n): fl(f.conditional_probability_of_n_purchases_up_to_time(n, HORIZON, X, TX, TT)) for n in range(4)}
    return p


def holdout_evaluation(f, cal):
    """Per-customer predicted purchases over the 39-week holdout vs actual."""
    pred = np.asarray(f.conditional_expected_number_of_purchases_up_to_time(
        HORIZON, cal["frequency"].to_numpy(), cal["recency"].to_numpy(), cal["T"].to_numpy()), float)
    act = cal["holdout_frequency"].to_numpy(dtype=float)
    err = pred - act
    return {
        "holdout_weeks": HORIZON,
        "customers": int(len(cal)),
        "actual_total": float(act.sum()),
        "predicted_total": float(pred.sum()),
        "mae": float(np.mean(np.abs(err))),
        "rmse": float(np.sqrt(np.mean(err ** 2))),
        "bias_mean": float(err.mean()),
    }


def fit_gamma_gamma(cal):
    from lifetimes import GammaGammaFitter
    rb = cal[cal["frequency"] > 0]
    x = rb["frequency"].to_numpy(dtype=float)
    m = rb["monetary_value"].to_numpy(dtype=float)
    g = GammaGammaFitter(penalizer_coef=0.0)
    secs = fit_timed(g, rb["frequency"], rb["monetary_value"])
    params = {"p": float(g.params_["p"]), "q": float(g.params_["q"]), "gamma": float(g.params_["v"])}
    obj = float(g._negative_log_likelihood_)
    pvec = [params["p"], params["q"], params["gamma"]]
    rp, rll, info = bn.refit(bn.gg_ll, pvec, (x, m))
    se = bn.standard_errors(bn.gg_ll, rp, (x, m))
    out = {
        "customers": int(len(rb)),
        "params": params,
        "lifetimes_param_names": {"p": "p", "q": "q", "gamma": "v"},
        "log_likelihood": -obj * len(rb),
        "log_likelihood_independent_at_lifetimes_params": bn.total_ll(bn.gg_ll, pvec, (x, m)),
        "lifetimes_objective": obj,
        "fit_seconds": secs,
        "standard_errors_lifetimes": {"p": float(g.standard_errors_["p"]), "q": float(g.standard_errors_["q"]),
                                      "gamma": float(g.standard_errors_["v"])},
        "independent_refit": {"params": dict(zip(["p", "q", "gamma"], map(float, rp))), "log_likelihood": rll,
                              "standard_errors": dict(zip(["p", "q", "gamma"], map(float, se))), **info},
        "frequency_monetary_correlation_repeat_buyers": float(np.corrcoef(x, m)[0, 1]),
        "mean_monetary_repeat_buyers": float(m.mean()),
        "population_mean_spend_p_gamma_over_q_minus_1": params["p"] * params["gamma"] / (params["q"] - 1),
        "conditional_expected_average_profit_x2_m30": fl(g.conditional_expected_average_profit(2, 30.0)),
        "note": "fitted on the unrounded summary's repeat buyers; the published summary has the same frequencies "
                "and no spend, so a fit on (b) would be identical",
    }
    return out, g


def clv_reference(g, bgf, cal):
    """lifetimes' customer_lifetime_value with BG/NBD (weeks) + Gamma-Gamma, 12 months, 1%/month.

    lifetimes' conventions (utils._customer_lifetime_value, freq='W'): month k
    (k = 1..12) covers weeks [4.345 (k-1), 4.345 k] after T; its expected
    purchases (difference of the cumulative conditional expectation) times the
    Gamma-Gamma expected spend are discounted by (1 + 0.01)^k.
    """
    one = g.customer_lifetime_value(bgf, pd.Series([X]), pd.Series([TX]), pd.Series([TT]), pd.Series([30.0]),
                                    time=12, discount_rate=0.01, freq="W")
    allc = g.customer_lifetime_value(bgf, cal["frequency"], cal["recency"], cal["T"], cal["monetary_value"],
                                     time=12, discount_rate=0.01, freq="W")
    return {
        "model": "BG/NBD (unrounded fit) + Gamma-Gamma",
        "months": 12, "monthly_discount_rate": 0.01, "weeks_per_month": 4.345,
        "clv_x2_tx30.43_T38.86_m30": float(one.iloc[0]),
        "clv_sum_all_cdnow_customers": float(allc.sum()),
        "clv_mean_all_cdnow_customers": float(allc.mean()),
        "note": "customers with frequency 0 get monetary 0, for which Gamma-Gamma returns the population mean",
    }


def fit_bgbb(don):
    from lifetimes import BetaGeoBetaBinomFitter
    f = BetaGeoBetaBinomFitter(penalizer_coef=0.0)
    secs = fit_timed(f, don["frequency"], don["recency"], don["periods"], weights=don["weights"])
    names = ["alpha", "beta", "gamma", "delta"]
    params = {k: float(f.params_[k]) for k in names}
    obj = float(f._negative_log_likelihood_)
    w = don["weights"].to_numpy(dtype=float)
    data = (don["frequency"].to_numpy(float), don["recency"].to_numpy(float), don["periods"].to_numpy(float))
    pvec = [params[k] for k in names]
    rp, rll, info = bn.refit(bn.bgbb_ll, pvec, data, w)
    se = bn.standard_errors(bn.bgbb_ll, rp, data, w)
    x, tx, n = np.array([3]), np.array([4]), np.array([6])  # lifetimes needs arrays here
    return {
        "donors": int(w.sum()), "rows": int(len(don)),
        "params": params,
        "log_likelihood": -obj * w.sum(),
        "log_likelihood_independent_at_lifetimes_params": bn.total_ll(bn.bgbb_ll, pvec, data, w),
        "lifetimes_objective": obj,
        "fit_seconds": secs,
        "standard_errors_lifetimes": {k: float(f.standard_errors_[k]) for k in names},
        "independent_refit": {"params": dict(zip(names, map(float, rp))), "log_likelihood": rll,
                              "standard_errors": dict(zip(names, map(float, se))), **info},
        "predictions_x3_tx4_n6": {
            "p_alive_at_n_m0": fl(f.conditional_probability_alive(0, x, tx, n)),
            "p_alive_at_n_plus_1_m1": fl(f.conditional_probability_alive(1, x, tx, n)),
            "expected_transactions_next_5_periods": fl(f.conditional_expected_number_of_purchases_up_to_time(5, x, tx, n)),
            "note": "lifetimes' conditional_probability_alive(m, x, tx, n) = P(alive at opportunity n + m); "
                    "m = 1 is Fader, Hardie & Shang (2010) eq. (11), P(alive in period n + 1). lifetimes adds 1e-15 "
                    "inside the likelihood's sum (negligible here).",
        },
        "expected_repeat_transactions_in_first_6_periods_by_x": {
            str(int(k)): float(v) for k, v in f.expected_number_of_transactions_in_first_n_periods(6)["model"].items()},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "reference_values.json"))
    args = ap.parse_args()

    (cal, cal_path), (pub, pub_path), (don, don_path) = load_inputs()
    result = {
        "generated_by": "Benchmarks/models/reference_values.py",
        "versions": versions(),
        "inputs": {
            "unrounded": {"path": os.path.relpath(cal_path, os.path.dirname(os.path.dirname(HERE))),
                          "built_from": "CDNOW_sample.txt by cdnow_summary.py (lifetimes rules, freq='D', / 7)",
                          "customers": int(len(cal)), "sum_frequency": int(cal["frequency"].sum())},
            "published": {"path": "../shared/datasets/cdnow/cdnow_customers_summary.csv", "sha256": sha256(pub_path),
                          "customers": int(len(pub)), "sum_frequency": int(pub["frequency"].sum())},
            "donations": {"path": "../shared/datasets/cdnow/donations.csv", "sha256": sha256(don_path)},
            "cdnow_sample_sha256": sha256(default_data("CDNOW_sample.txt")),
        },
        "log_likelihood_convention": (
            "log_likelihood is the total LL in the data's own time unit (weeks; opportunities for BG/BB): "
            "BG/NBD, MBG/NBD: -objective*sum(w) + log(scale)*sum(w*x); Pareto/NBD: -objective*mean(w) + "
            "log(scale)*sum(w*x); Gamma-Gamma, BG/BB: -objective*sum(w); scale = lifetimes' 1/max(T). "
            "log_likelihood_independent_at_lifetimes_params recomputes it from the papers' formulas (btyd_numpy.py)."),
        "prediction_inputs": {"x": X, "t_x": TX, "T": TT, "t": HORIZON},
        "published": PUBLISHED,
    }

    fitters = {}
    for name in ("bgnbd", "mbgnbd", "pnbd"):
        result[name] = {}
        for label, df in (("unrounded", cal), ("published", pub)):
            out, f = fit_counting_model(name, df)
            out["predictions"] = counting_predictions(name, f)
            if label == "unrounded":
                out["holdout_evaluation"] = holdout_evaluation(f, cal)
            result[name][label] = out
            fitters[(name, label)] = f
    gg, g = fit_gamma_gamma(cal)
    result["gamma_gamma"] = gg
    result["clv"] = clv_reference(g, fitters[("bgnbd", "unrounded")], cal)
    result["bgbb"] = fit_bgbb(don)

    # comparison table: lifetimes on the published summary vs the published numbers
    rows = []

    def add(model, key, ours, published, unrounded=None):
        rows.append({"model": model, "quantity": key, "lifetimes_published_summary": ours,
                     "lifetimes_unrounded_summary": unrounded, "published": published})

    for name, label in (("bgnbd", "BG/NBD"), ("pnbd", "Pareto/NBD")):
        b, u = result[name]["published"], result[name]["unrounded"]
        for k, v in PUBLISHED[name]["params"].items():
            add(label, k, b["params"][k], v, u["params"][k])
        add(label, "log_likelihood", b["log_likelihood"], PUBLISHED[name]["log_likelihood"], u["log_likelihood"])
    add("BG/NBD", "E[X(39)|2,30.43,38.86]",
        result["bgnbd"]["published"]["predictions"]["conditional_expected_purchases_39w_x2_tx30.43_T38.86"], 1.226,
        result["bgnbd"]["unrounded"]["predictions"]["conditional_expected_purchases_39w_x2_tx30.43_T38.86"])
    for k, v in PUBLISHED["gamma_gamma"]["params"].items():
        add("Gamma-Gamma", k, gg["params"][k], v, gg["params"][k])
    for k, v in PUBLISHED["bgbb"]["params"].items():
        add("BG/BB", k, result["bgbb"]["params"][k], v)
    add("BG/BB", "log_likelihood", result["bgbb"]["log_likelihood"], PUBLISHED["bgbb"]["log_likelihood"])
    result["comparison"] = rows

    with open(args.out, "w") as fh:
        json.dump(result, fh, indent=1)
        fh.write("\n")

    # ---- print
    print(f"lifetimes {result['versions']['lifetimes']} (numpy {result['versions']['numpy']}, "
          f"scipy {result['versions']['scipy']}, pandas {result['versions']['pandas']})")
    print(f"{'model':12} {'quantity':24} {'published summary':>18} {'unrounded summary':>18} {'published':>12}")
    for r in rows:
        u = "" if r["lifetimes_unrounded_summary"] is None else f"{sig(r['lifetimes_unrounded_summary'])}"
        print(f"{r['model']:12} {r['quantity']:24} {sig(r['lifetimes_published_summary']):>18} {u:>18} {r['published']:>12}")
    print()
    for name in ("bgnbd", "mbgnbd", "pnbd"):
        for label in ("unrounded", "published"):
            o = result[name][label]
            print(f"{name:7} {label:9} params {({k: sig(v) for k, v in o['params'].items()})} "
                  f"LL {o['log_likelihood']:.4f} (independent {o['log_likelihood_independent_at_lifetimes_params']:.4f}) "
                  f"fit {o['fit_seconds']:.3f}s")
            ir = o["independent_refit"]
            print(f"{'':17} refit  {({k: sig(v) for k, v in ir['params'].items()})} LL {ir['log_likelihood']:.4f} "
                  f"se {({k: sig(v, 3) for k, v in ir['standard_errors'].items()})}")
            print(f"{'':17} predictions {json.dumps({k: (sig(v) if isinstance(v, float) else v) for k, v in o['predictions'].items() if k != 'edge_cases'})}")
            if "holdout_evaluation" in o:
                print(f"{'':17} holdout {json.dumps({k: sig(v) for k, v in o['holdout_evaluation'].items()})}")
    print(f"gamma_gamma params {({k: sig(v) for k, v in gg['params'].items()})} LL {gg['log_likelihood']:.4f} "
          f"refit {({k: sig(v) for k, v in gg['independent_refit']['params'].items()})} "
          f"E[m|x=2,m=30] {sig(gg['conditional_expected_average_profit_x2_m30'])} "
          f"corr(x,m) {sig(gg['frequency_monetary_correlation_repeat_buyers'], 4)}")
    print(f"clv {json.dumps({k: (sig(v) if isinstance(v, float) else v) for k, v in result['clv'].items() if k != 'note'})}")
    bb = result["bgbb"]
    print(f"bgbb params {({k: sig(v) for k, v in bb['params'].items()})} LL {bb['log_likelihood']:.4f} "
          f"(independent {bb['log_likelihood_independent_at_lifetimes_params']:.4f}) "
          f"refit {({k: sig(v) for k, v in bb['independent_refit']['params'].items()})} LL {bb['independent_refit']['log_likelihood']:.4f}")
    print(f"     predictions {json.dumps({k: sig(v) for k, v in bb['predictions_x3_tx4_n6'].items() if k != 'note'})}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
