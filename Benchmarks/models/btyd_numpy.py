"""Independent numpy/scipy log-likelihoods of the buy-till-you-die models.

Used by reference_values.py to check lifetimes: the total log-likelihood in
the data's own time unit (no rescaling), evaluated at lifetimes' estimates,
and a tightly converged maximum-likelihood re-fit from lifetimes' solution.
These are written from the papers, not copied from lifetimes:

  BG/NBD      Fader, Hardie & Lee (2005), "Counting your customers the easy
              way", Marketing Science 24(2), eq. (6); Fader & Hardie note 004.
  MBG/NBD     Batislam, Denizel & Filiztekin (2007), IJRM 24(3), eq. (3):
              like BG/NBD, but a customer may also drop out right after the
              first purchase, so the second term is present when x = 0 too.
  Pareto/NBD  Schmittlein, Morrison & Colombo (1987); Fader & Hardie note 008
              ("A note on deriving the Pareto/NBD model"), eqs. (19)-(22).
  Gamma-Gamma Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4);
              Fader & Hardie note 025, eq. (1a): density of the mean spend
              m over the x repeat purchases.
  BG/BB       Fader, Hardie & Shang (2010), Marketing Science 29(6), eq. (5).

Each *_ll returns the per-row log-likelihood (multiply by weights and sum for
the total). Everything is in log space with gammaln/betaln; the Pareto/NBD
Gauss hypergeometric term uses the max(alpha, beta) form of note 008, whose
argument lies in [0, 1).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1, logsumexp


def bgnbd_ll(params, x, tx, T):
    r, alpha, a, b = params
    x = np.asarray(x, float)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    # B(a, b + x) / B(a, b) * (alpha + T)^-(r + x)
    t1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    # delta(x > 0) * B(a + 1, b + x - 1) / B(a, b) * (alpha + t_x)^-(r + x)
    with np.errstate(divide="ignore", invalid="ignore"):
        t2 = np.where(x > 0,
                      betaln(a + 1, np.maximum(b + x - 1, 1e-300)) - betaln(a, b) - (r + x) * np.log(alpha + tx),
                      -np.inf)
    return common + np.logaddexp(t1, t2)


def mbgnbd_ll(params, x, tx, T):
    r, alpha, a, b = params
    x = np.asarray(x, float)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    # B(a, b + x + 1) / B(a, b) * (alpha + T)^-(r + x)
    t1 = betaln(a, b + x + 1) - betaln(a, b) - (r + x) * np.log(alpha + T)
    # B(a + 1, b + x) / B(a, b) * (alpha + t_x)^-(r + x), also for x = 0
    t2 = betaln(a + 1, b + x) - betaln(a, b) - (r + x) * np.log(alpha + tx)
    return common + np.logaddexp(t1, t2)


def _pnbd_log_A0(params, x, tx, T):
    """log A_0 of note 008 eq. (19)/(20)."""
    r, alpha, s, beta = params
    rsx = r + s + x
    if alpha >= beta:
        big, second = alpha, s + 1
    else:
        big, second = beta, r + x
    d = abs(alpha - beta)
    f1 = hyp2f1(rsx, second, rsx + 1, d / (big + tx))
    f2 = hyp2f1(rsx, second, rsx + 1, d / (big + T))
    # A0 = f1 / (big + tx)^rsx - f2 / (big + T)^rsx  (> 0)
    l1 = np.log(f1) - rsx * np.log(big + tx)
    l2 = np.log(f2) - rsx * np.log(big + T)
    return l1 + np.log1p(-np.exp(l2 - l1))


def pnbd_ll(params, x, tx, T):
    r, alpha, s, beta = params
    x = np.asarray(x, float)
    tx = np.asarray(tx, float)
    T = np.asarray(T, float)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    t1 = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        la0 = _pnbd_log_A0(params, x, tx, T)
    # customers with t_x == T have A0 = 0 exactly
    la0 = np.where(tx < T, la0, -np.inf)
    t2 = np.log(s) - np.log(r + s + x) + la0
    return common + np.logaddexp(t1, t2)


def gg_ll(params, x, m):
    p, q, gamma = params
    x = np.asarray(x, float)
    m = np.asarray(m, float)
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(gamma + m * x))


def bgbb_ll(params, x, tx, n):
    alpha, beta, gamma, delta = params
    x = np.asarray(x, float)
    tx = np.asarray(tx, float)
    n = np.asarray(n, float)
    base = betaln(alpha, beta) + betaln(gamma, delta)
    t1 = betaln(alpha + x, beta + n - x) + betaln(gamma, delta + n) - base
    out = np.empty(x.shape)
    for k in range(x.size):
        i = np.arange(int(n[k] - tx[k]))  # i = 0 .. n - t_x - 1
        terms = betaln(alpha + x[k], beta + tx[k] - x[k] + i) + betaln(gamma + 1, delta + tx[k] + i) - base[()]
        out[k] = logsumexp(np.concatenate([[t1[k]], terms]))
    return out


def total_ll(fn, params, data, weights=None):
    ll = fn(params, *data)
    if weights is None:
        return float(np.sum(ll))
    return float(np.sum(np.asarray(weights, float) * ll))


def refit(fn, start, data, weights=None):
    """Maximise the total LL over log-parameters, starting from `start`.

    Nelder-Mead with tight tolerances (robust, derivative-free; the Pareto/NBD
    needs hyp2f1, which has no autograd rule), then a BFGS polish with central
    finite differences. Returns (params, total_ll, info).
    """
    def nll(lp):
        v = -total_ll(fn, np.exp(lp), data, weights)
        return v if np.isfinite(v) else 1e300

    x0 = np.log(np.asarray(start, float))
    o1 = minimize(nll, x0, method="Nelder-Mead",
                  options={"xatol": 1e-11, "fatol": 1e-11, "maxiter": 40000, "maxfev": 80000})
    o2 = minimize(nll, o1.x, method="BFGS", jac="3-point", options={"gtol": 1e-9, "maxiter": 2000})
    best = o2 if o2.fun <= o1.fun else o1
    g = _grad(nll, best.x)
    return np.exp(best.x), -best.fun, {
        "nelder_mead_iterations": int(o1.nit), "bfgs_iterations": int(o2.nit),
        "gradient_norm_log_params": float(np.linalg.norm(g)),
    }


def _grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def standard_errors(fn, params, data, weights=None, h=1e-4):
    """Standard errors from the inverse of the observed information.

    The Hessian of the total negative LL is taken by central differences over
    log-parameters, inverted, and mapped to the parameters by the delta
    method: se(theta_i) = theta_i * sqrt([H^-1]_ii).
    """
    lp = np.log(np.asarray(params, float))
    k = lp.size

    def f(v):
        return -total_ll(fn, np.exp(v), data, weights)

    H = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            ei = np.zeros(k)
            ej = np.zeros(k)
            ei[i] = h
            ej[j] = h
            H[i, j] = H[j, i] = (f(lp + ei + ej) - f(lp + ei - ej) - f(lp - ei + ej) + f(lp - ei - ej)) / (4 * h * h)
    cov = np.linalg.inv(H)
    return np.exp(lp) * np.sqrt(np.diag(cov))


def newton_check(fn, params, data, weights=None, h_grad=1e-5, h_hess=1e-4):
    """How far `params` is from the maximum of the total LL, by one Newton step.

    Gradient and Hessian of the total negative LL over log-parameters by central
    differences; the Newton step delta = -H^-1 g estimates log(optimum) -
    log(params). Returns the gradient norm, the relative change per parameter
    (exp(delta) - 1) and the implied optimum.
    """
    lp = np.log(np.asarray(params, float))
    k = lp.size

    def f(v):
        return -total_ll(fn, np.exp(v), data, weights)

    g = _grad(f, lp, h_grad)
    H = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            ei = np.zeros(k)
            ej = np.zeros(k)
            ei[i] = h_hess
            ej[j] = h_hess
            H[i, j] = H[j, i] = (f(lp + ei + ej) - f(lp + ei - ej) - f(lp - ei + ej) + f(lp - ei - ej)) / (4 * h_hess ** 2)
    delta = -np.linalg.solve(H, g)
    return {
        "gradient_norm_log_params": float(np.linalg.norm(g)),
        "relative_change": [float(v) for v in np.expm1(delta)],
        "newton_optimum": [float(v) for v in np.exp(lp + delta)],
        "log_likelihood_at_params": -f(lp),
        "standard_errors": [float(v) for v in np.exp(lp) * np.sqrt(np.diag(np.linalg.inv(H)))],
    }
