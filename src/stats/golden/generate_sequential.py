"""Reference values for src/stats/sequential, computed with numpy and scipy.

Run from the repository root:  python3 src/stats/golden/generate_sequential.py
Writes src/stats/golden/sequential.json with every input embedded; the output is the same on every run.

- The beta-binomial mixture e-value's closed form (sign-mixture.ts) is checked here against direct
  numerical integration of its definition, the mixture over pi in (1/2, 1) of the likelihood ratios
  (2 pi)^k (2 (1 - pi))^(t - k) under a Beta(a, a) prior truncated to (1/2, 1) (Howard et al. 2021).
- Thresholds and running maxima are brute force over every k and every t.
- The betting wealth and bounds (betting.ts) are re-implemented from Waudby-Smith & Ramdas (2024),
  and the bounds (of the running intersection: the wealth's running maximum) found by a grid scan
  rather than bisection.
"""
import json
import math
from pathlib import Path

import numpy as np
from scipy import integrate, special, stats


def log_evalue(k, t, a):
    closed = (t + 1) * math.log(2) + special.betaln(a + k, a + t - k) - special.betaln(a, a)
    closed += math.log(special.betaincc(a + k, a + t - k, 0.5))
    return closed


def log_evalue_by_quadrature(k, t, a):
    def integrand(p):
        return math.exp(k * math.log(2 * p) + (t - k) * math.log(2 * (1 - p))) * stats.beta.pdf(p, a, a) / 0.5

    value, _ = integrate.quad(integrand, 0.5, 1, epsabs=0, epsrel=1e-12, limit=200)
    return math.log(value)


def threshold(t, alpha, a):
    for k in range(0, t + 1):
        if 2 * k > t and log_evalue(k, t, a) >= -math.log(alpha):
            return k
    return t + 1


def max_log_evalue(successes, a):
    best, k = 0.0, 0
    for t, s in enumerate(successes, start=1):
        k += int(s)
        if 2 * k > t:
            best = max(best, log_evalue(k, t, a))
    return best


def bets(d, alpha):
    out, total, squares = [], 0.0, 1.0
    for i, x in enumerate(d):
        t = i + 1
        variance = squares / t
        out.append(math.sqrt(2 * math.log(1 / alpha) / (variance * t * math.log(1 + t))))
        total += x
        squares += (x - total / (t + 1)) ** 2
    return out


def log_wealth(d, lam, m, side):
    capped = np.minimum(np.asarray(lam), 0.9 / (1 + abs(m)))
    logs = np.cumsum(np.log1p(side * capped * (np.asarray(d) - m)))
    return float(logs[-1]), float(max(0.0, logs.max()))


def bound_by_grid(d, lam, alpha, side):
    grid = np.linspace(-1, 1, 200001)
    rejected = [m for m in grid if log_wealth(d, lam, m, side)[1] >= math.log(1 / alpha)]
    if not rejected:
        return float(-side)
    return float(max(rejected) if side == 1 else min(rejected))


def main():
    rng = np.random.default_rng(20261202)
    cases = [(0, 1, 8), (1, 1, 8), (7, 10, 8), (60, 100, 8), (130, 200, 2), (580, 1000, 8), (520, 1000, 32), (3, 5, 0.5)]
    evalues = []
    for k, t, a in cases:
        closed, quad = log_evalue(k, t, a), log_evalue_by_quadrature(k, t, a)
        assert abs(closed - quad) < 1e-7 * max(1, abs(closed)), (k, t, a, closed, quad)
        evalues.append({"successes": k, "trials": t, "prior": a, "logE": closed})
    thresholds = [
        {"trials": t, "alpha": alpha, "prior": a, "k": threshold(t, alpha, a)}
        for t, alpha, a in [(5, 0.05, 8), (10, 0.05, 8), (30, 0.01, 8), (100, 0.01, 8), (300, 0.01, 8), (1000, 0.05, 8), (250, 0.01, 2)]
    ]
    draws = rng.random(400)
    w = [round(float(v), 4) for v in rng.normal(0.1, 0.35, 300)]
    running = []
    for threshold_value, side in [(0.0, 1), (0.0953, 1), (0.0953, -1), (-0.1054, 1)]:
        successes = [side * (x - threshold_value) > 0 for x in w]
        running.append({"threshold": threshold_value, "side": side, "logMax": max_log_evalue(successes, 8)})
    d = [int(v) for v in np.where(draws < 0.06, 1, np.where(draws > 0.98, -1, 0))]
    lam = bets(d, 0.05)
    wealth = []
    for m in [-0.8, -0.1, 0.0, 0.02, 0.3]:
        for side in [1, -1]:
            current, best = log_wealth(d, lam, m, side)
            wealth.append({"nullMean": m, "side": side, "current": current, "max": best})
    bounds = [{"alpha": 0.05, "side": side, "bound": bound_by_grid(d, lam, 0.05, side)} for side in [1, -1]]
    out = {
        "logSignEvalue": evalues,
        "signThreshold": thresholds,
        "maxLogSignEvalue": {"w": w, "cases": running},
        "betting": {"d": d, "alpha": 0.05, "bets": lam, "wealth": wealth, "bounds": bounds},
    }
    path = Path(__file__).with_name("sequential.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
