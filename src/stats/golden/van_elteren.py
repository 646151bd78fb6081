"""Reference values for src/stats/van-elteren.ts, computed with numpy and scipy.

Run from the repository root:  python3 src/stats/golden/van_elteren.py
Writes src/stats/golden/van-elteren.json with every input embedded. Each stratum is ranked with
scipy.stats.rankdata (mid-ranks), the weighted rank sum T = sum W_s / (N_s + 1) is standardised with the
tie-corrected null variance, and p comes from scipy.stats.norm. The shift and its interval invert z by
bisection, as the TypeScript does, but z itself is computed independently (rankdata, not a merge).
"""
import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import stats


def rounded(values):
    return [float(v) for v in np.round(values, 4)]


def lognormal(rng, n, median, sigma, factor=1.0, offset=0.0):
    return rounded(rng.lognormal(math.log(median), sigma, n) * factor + offset)


def make_cases():
    rng = np.random.default_rng(20261202)
    return {
        "oneStratum": [(lognormal(rng, 40, 100, 0.3, 1.1), lognormal(rng, 45, 100, 0.3))],
        "threeEqual": [(lognormal(rng, 60, 50, 0.2), lognormal(rng, 60, 50, 0.2)) for _ in range(3)],
        "oneShifted": [
            (lognormal(rng, 80, 20, 0.2), lognormal(rng, 80, 20, 0.2)),
            (lognormal(rng, 80, 30, 0.2), lognormal(rng, 80, 30, 0.2)),
            (lognormal(rng, 80, 25, 0.2, offset=40.0), lognormal(rng, 80, 25, 0.2)),
        ],
        "unequalSizes": [
            (lognormal(rng, 10, 100, 0.5, 1.2), lognormal(rng, 200, 100, 0.5)),
            (lognormal(rng, 150, 80, 0.4, 1.2), lognormal(rng, 30, 80, 0.4)),
        ],
        "ties": [
            ([float(v) for v in rng.integers(0, 6, 30)], [float(v) for v in rng.integers(1, 7, 35)]),
            ([float(v) for v in rng.integers(0, 4, 25)], [float(v) for v in rng.integers(0, 5, 20)]),
        ],
    }


def z_at(strata, delta):
    t = mean = var = 0.0
    for x, y in strata:
        x = np.asarray(x) - delta
        y = np.asarray(y)
        n, m = len(x), len(y)
        total = n + m
        ranks = stats.rankdata(np.concatenate([x, y]))
        _, counts = np.unique(np.concatenate([x, y]), return_counts=True)
        tie = float(np.sum(counts.astype(float) ** 3 - counts))
        w = 1.0 / (total + 1)
        t += w * float(np.sum(ranks[:n]))
        mean += w * n * (total + 1) / 2
        var += w * w * n * m / 12 * (total + 1 - tie / (total * (total - 1)))
    return (t - mean) / math.sqrt(var), t, mean, var


def transition(is_before, low, high):
    a, b = low, high
    tol = (high - low) * 1e-12
    while b - a > tol:
        mid = (a + b) / 2
        if is_before(mid):
            a = mid
        else:
            b = mid
    return (a + b) / 2


def shift(strata, confidence):
    low = min(min(x) - max(y) for x, y in strata)
    high = max(max(x) - min(y) for x, y in strata)
    pad = max(1.0, abs(high - low)) * 1e-6
    low, high = low - pad, high + pad
    z = lambda d: z_at(strata, d)[0]
    crit = float(stats.norm.ppf((1 + confidence) / 2))
    tol = 1e-9  # rounding in z must not move a step
    estimate = (transition(lambda d: z(d) > tol, low, high) + transition(lambda d: z(d) >= -tol, low, high)) / 2
    ci_low = transition(lambda d: z(d) > crit + tol, low, high)
    ci_high = transition(lambda d: z(d) >= -crit - tol, low, high)
    return estimate, ci_low, ci_high


def main():
    cases = make_cases()
    out = {"generator": {"numpy": np.__version__, "scipy": scipy.__version__}, "cases": []}
    for name, strata in cases.items():
        z, t, mean, var = z_at(strata, 0.0)
        p = {
            "greater": float(stats.norm.sf(z)),
            "less": float(stats.norm.cdf(z)),
            "two-sided": float(min(1.0, 2 * min(stats.norm.sf(z), stats.norm.cdf(z)))),
        }
        estimate, ci_low, ci_high = shift(strata, 0.95)
        out["cases"].append({
            "case": name,
            "strata": [{"x": x, "y": y} for x, y in strata],
            "statistic": t, "mean": mean, "variance": var, "z": z, "p": p,
            "shift": {"confidence": 0.95, "estimate": estimate, "ciLow": ci_low, "ciHigh": ci_high},
        })
    target = Path(__file__).with_name("van-elteren.json")
    target.write_text(json.dumps(out, indent=1, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
