"""Reference values for src/stats, computed with numpy and scipy.

Run from the repository root:  python3 src/stats/golden/generate.py
Writes src/stats/golden/values.json with every input embedded. Inputs come from
numpy.random.default_rng(seed) and are rounded to 4 decimals to keep the file small,
so the output is the same on every run.
"""
import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import special, stats

ALTERNATIVES = ["two-sided", "greater", "less"]


def rounded(values):
    return [float(v) for v in np.round(values, 4)]


def lognormal(rng, n, median, sigma, factor=1.0):
    return rounded(rng.lognormal(math.log(median), sigma, n) * factor)


def make_samples():
    rng = np.random.default_rng(20240607)
    return {
        "tinyTies": ([1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 3.0, 4.0]),
        "exact6x7": (rounded(rng.normal(10, 2, 6)), rounded(rng.normal(12, 2, 7))),
        "exact5x30": (rounded(rng.normal(1, 1, 5)), rounded(rng.normal(0, 1, 30))),
        "lognormal50": (lognormal(rng, 50, 120, 0.4), lognormal(rng, 50, 100, 0.4)),
        "ties40x45": ([float(v) for v in rng.integers(0, 6, 40)], [float(v) for v in rng.integers(1, 7, 45)]),
        "unequal37x53": (lognormal(rng, 37, 100, 0.5), lognormal(rng, 53, 100, 0.5)),
        "lognormal1000": (lognormal(rng, 1000, 100, 0.5, 1.05), lognormal(rng, 1000, 100, 0.5)),
        "unequal300x200": (lognormal(rng, 300, 100, 0.3, 1.1), lognormal(rng, 200, 100, 0.3)),
        "farApart120x80": (lognormal(rng, 120, 160, 0.3), lognormal(rng, 80, 100, 0.3)),
    }


def asymptotic_samples():
    rng = np.random.default_rng(77)
    return {
        "large12000x11000": (lognormal(rng, 12000, 100, 0.5, 1.02), lognormal(rng, 11000, 100, 0.5)),
        "large15000x60": (lognormal(rng, 15000, 100, 0.5), lognormal(rng, 60, 100, 0.5, 1.3)),
    }


def mann_whitney(samples):
    out = []
    for name, (x, y) in samples.items():
        for alternative in ALTERNATIVES:
            res = stats.mannwhitneyu(x, y, alternative=alternative, method="auto")
            out.append({"case": name, "alternative": alternative, "u": float(res.statistic), "p": float(res.pvalue)})
    return out


def ks(samples):
    out = []
    for name, (x, y) in samples.items():
        for alternative in ALTERNATIVES:
            res = stats.ks_2samp(x, y, alternative=alternative, method="auto")
            out.append({"case": name, "alternative": alternative, "d": float(res.statistic), "p": float(res.pvalue)})
    return out


def describe(samples):
    out = []
    for name, (x, _) in samples.items():
        a = np.asarray(x)
        out.append({
            "case": name, "n": len(x), "mean": float(a.mean()), "median": float(np.median(a)),
            "p95": float(np.quantile(a, 0.95)), "p99": float(np.quantile(a, 0.99)),
            "min": float(a.min()), "max": float(a.max()),
        })
    return out


def u_null_cdf(n, m):
    """Exact P(U <= u) for u = 0..n*m from the Gaussian binomial, with Python integers."""
    counts = [1] + [0] * (n * m)
    small, large = min(n, m), max(n, m)
    for i in range(1, small + 1):
        for k in range(len(counts) - 1, large + i - 1, -1):
            counts[k] -= counts[k - large - i]
        for k in range(i, len(counts)):
            counts[k] += counts[k - i]
    total = math.comb(n + m, small)
    return [c / total for c in np.cumsum(np.array(counts, dtype=object))]


def moses_order(n, m, confidence):
    tail = (1 - confidence) / 2
    if n * m <= 2500:
        cdf = u_null_cdf(n, m)
        u = -1
        while u + 1 < n * m / 2 and cdf[u + 1] <= tail:
            u += 1
        return u + 1
    sd = math.sqrt(n * m * (n + m + 1) / 12)
    return max(0, math.floor(n * m / 2 + 0.5 - stats.norm.ppf(1 - tail) * sd))


def hodges_lehmann(samples):
    out = []
    for name, (x, y) in samples.items():
        diffs = np.sort(np.subtract.outer(np.asarray(x), np.asarray(y)).ravel())
        for confidence in (0.95, 0.9):
            c = moses_order(len(x), len(y), confidence)
            out.append({
                "case": name, "confidence": confidence, "estimate": float(np.median(diffs)), "order": c,
                "ciLow": float(diffs[c - 1]), "ciHigh": float(diffs[len(diffs) - c]),
            })
    return out


def tost(samples, margin_pct):
    out = []
    delta = math.log(1 + margin_pct / 100)
    for name in ("lognormal50", "lognormal1000", "unequal300x200", "unequal37x53"):
        x, y = (np.log(np.asarray(v)) for v in samples[name])
        lower = stats.ttest_ind(x + delta, y, equal_var=False, alternative="greater")
        upper = stats.ttest_ind(x - delta, y, equal_var=False, alternative="less")
        ci = stats.ttest_ind(x, y, equal_var=False).confidence_interval(0.90)
        out.append({
            "case": name, "marginPct": margin_pct, "pLower": float(lower.pvalue), "pUpper": float(upper.pvalue),
            "ratio": float(math.exp(x.mean() - y.mean())), "ciLow": float(math.exp(ci.low)), "ciHigh": float(math.exp(ci.high)),
        })
    return out


def wilson(s, n, z):
    p = s / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportions():
    out = []
    for sa, na, sb, nb in [(45, 50, 30, 50), (970, 1000, 990, 1000), (3, 20, 0, 25), (10, 10, 7, 12), (0, 40, 0, 40)]:
        pa, pb = sa / na, sb / nb
        pooled = (sa + sb) / (na + nb)
        se = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        z = 0.0 if se == 0 else (pa - pb) / se
        zc = stats.norm.ppf(0.975)
        la, ua = wilson(sa, na, zc)
        lb, ub = wilson(sb, nb, zc)
        d = pa - pb
        out.append({
            "input": [sa, na, sb, nb], "pA": pa, "pB": pb, "diff": d, "z": z,
            "pTwoSided": float(min(1.0, 2 * stats.norm.sf(abs(z)))), "pGreater": float(stats.norm.sf(z)),
            "ciLow": d - math.sqrt((pa - la) ** 2 + (ub - pb) ** 2), "ciHigh": d + math.sqrt((ua - pa) ** 2 + (pb - lb) ** 2),
        })
    return out


def fisher():
    out = []
    tables = [(8, 2, 1, 5), (1, 9, 11, 3), (3, 3, 3, 3), (0, 10, 5, 5), (20, 15, 18, 22), (2, 7, 8, 2), (7, 0, 0, 7), (50, 950, 80, 920)]
    for a, b, c, d in tables:
        for alternative in ALTERNATIVES:
            res = stats.fisher_exact([[a, b], [c, d]], alternative=alternative)
            odds = float(res.statistic)
            out.append({"table": [a, b, c, d], "alternative": alternative, "oddsRatio": odds if math.isfinite(odds) else None, "p": float(res.pvalue)})
    return out


def holm():
    p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9]
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(len(p))
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[index]))
        adjusted[index] = running
    return {"input": p, "adjusted": [float(v) for v in adjusted]}


def mde():
    out = []
    for n_ref, n_sub, sd, alpha, power in [(50, 50, 0.4, 0.05, 0.8), (1000, 1000, 0.5, 0.01, 0.8), (200, 30, 0.3, 0.05, 0.9)]:
        delta = (stats.norm.ppf(1 - alpha) + stats.norm.ppf(power)) * sd * math.sqrt(1 / n_ref + 1 / n_sub)
        out.append({"input": [n_ref, n_sub, sd, alpha, power], "mdePct": math.expm1(delta) * 100})
    return out


def kolmogorov():
    """scipy's kstwo.sf and smirnov at points that reach every branch of the computation."""
    points = [(5, 0.15), (5, 0.3), (5, 0.85), (20, 0.05), (20, 0.15), (20, 0.3), (20, 0.45), (20, 0.6),
              (60, 0.1), (60, 0.2), (60, 0.35), (140, 0.05), (140, 0.12), (141, 0.05), (141, 0.13),
              (1000, 0.01), (1000, 0.03), (1000, 0.06), (1000, 0.2), (5000, 0.003), (5000, 0.012),
              (5000, 0.03), (200000, 0.001), (200000, 0.002), (200000, 0.004)]
    return [{"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n)), "smirnov": float(special.smirnov(n, x))} for n, x in points]


def main():
    samples = make_samples()
    large = asymptotic_samples()
    values = {
        "generator": {"numpy": np.__version__, "scipy": scipy.__version__},
        "samples": {name: {"x": x, "y": y} for name, (x, y) in {**samples, **large}.items()},
        "mannWhitney": mann_whitney(samples),
        "ks": ks({**samples, **large}),
        "describe": describe(samples),
        "hodgesLehmann": hodges_lehmann(samples),
        "tost": tost(samples, 10.0),
        "twoProportions": two_proportions(),
        "fisher": fisher(),
        "holm": holm(),
        "mde": mde(),
        "kolmogorov": kolmogorov(),
    }
    target = Path(__file__).with_name("values.json")
    target.write_text(json.dumps(values, indent=1, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
