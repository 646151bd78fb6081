"""Reference values for src/stats/sequential, computed with numpy and scipy.

Run from the repository root:  python3 src/stats/golden/generate_sequential.py
Writes src/stats/golden/sequential.json with every input embedded; the output is the same on every run.

- The score-betting wealth of latency parity (score-betting.ts) is re-implemented from its definition:
  predictable robust scales by numpy medians of every prefix, Huber-clipped scores, aGRAPA bets
  (Waudby-Smith & Ramdas 2024), and the confidence-sequence ends by a grid scan instead of bisection.
- The clipped-normal moments behind the latency MDE are checked against numerical integration.
- The betting wealth and bounds (betting.ts) are re-implemented from Waudby-Smith & Ramdas (2024),
  and the bounds (of the running intersection: the wealth's running maximum) found by a grid scan
  rather than bisection.
"""
import json
import math
from pathlib import Path

import numpy as np
from scipy import integrate, special, stats


SCORE_CLIP, PRIOR_SCALE, PRIOR_WEIGHT, PRIOR_SECOND_MOMENT, MAX_BET = 2.0, 0.3, 2.0, 0.25, 0.9


def predictable_scales(w):
    scales, current, nxt = [], PRIOR_SCALE, 8
    for i in range(len(w)):
        if i == nxt:
            prefix = np.asarray(w[:i])
            current = max(1e-6, 1.4826 * float(np.median(np.abs(prefix - np.median(prefix)))))
            nxt *= 2
        scales.append(current)
    return scales


def max_log_score_wealth(w, scales, theta, side):
    total = squares = log_wealth_value = best = 0.0
    for i, (x, s) in enumerate(zip(w, scales)):
        weight = PRIOR_WEIGHT + i
        mean = total / weight
        variance = max(0.0, (squares + PRIOR_WEIGHT * PRIOR_SECOND_MOMENT) / weight - mean * mean)
        bet = 0.0 if mean <= 0 else min(MAX_BET, mean / (variance + mean * mean))
        score = min(1.0, max(-1.0, side * (x - theta) / (SCORE_CLIP * s)))
        log_wealth_value += math.log1p(bet * score)
        best = max(best, log_wealth_value)
        total += score
        squares += score * score
    return best


def score_bound_by_grid(w, scales, alpha, side):
    """The rejected null nearest the median on a fine grid (side +1: below it, -1: above it)."""
    start = float(np.median(w))
    grid = start - side * np.linspace(0, 2, 40001)
    for theta in grid:
        if max_log_score_wealth(w, scales, theta, side) >= math.log(1 / alpha):
            return float(theta)
    return None


def clipped_normal_moments_by_quadrature(a, b):
    def clip(x):
        return min(1.0, max(-1.0, x))

    density = stats.norm(a, b).pdf
    mean = integrate.quad(lambda x: clip(x) * density(x), a - 12 * b, a + 12 * b, points=[-1, 1], limit=200)[0]
    second = integrate.quad(lambda x: clip(x) ** 2 * density(x), a - 12 * b, a + 12 * b, points=[-1, 1], limit=200)[0]
    return mean, second


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
    draws = rng.random(400)
    w = [round(float(v), 4) for v in rng.normal(0.1, 0.35, 300)]
    w[17] = w[18]  # a tie
    w[40] = 3.0  # a stall on the subject's side
    scales = predictable_scales(w)
    score_cases = []
    for theta, side in [(0.0, 1), (0.0953, 1), (0.0953, -1), (-0.1054, 1), (0.3, -1)]:
        score_cases.append({"threshold": theta, "side": side, "logMax": max_log_score_wealth(w, scales, theta, side)})
    score_bounds = [
        {"alpha": alpha, "side": side, "bound": score_bound_by_grid(w, scales, alpha, side)}
        for alpha in [0.05, 0.01]
        for side in [1, -1]
    ]
    moments = []
    for a, b in [(0.0, 0.5), (0.3, 0.5), (-0.7, 0.25), (1.5, 0.5), (0.1, 2.0)]:
        mean, second = clipped_normal_moments_by_quadrature(a, b)
        moments.append({"a": a, "b": b, "mean": mean, "secondMoment": second})
    d = [int(v) for v in np.where(draws < 0.06, 1, np.where(draws > 0.98, -1, 0))]
    lam = bets(d, 0.05)
    wealth = []
    for m in [-0.8, -0.1, 0.0, 0.02, 0.3]:
        for side in [1, -1]:
            current, best = log_wealth(d, lam, m, side)
            wealth.append({"nullMean": m, "side": side, "current": current, "max": best})
    bounds = [{"alpha": 0.05, "side": side, "bound": bound_by_grid(d, lam, 0.05, side)} for side in [1, -1]]
    out = {
        "score": {"w": w, "scales": scales, "cases": score_cases, "bounds": score_bounds},
        "clippedNormalMoments": moments,
        "betting": {"d": d, "alpha": 0.05, "bets": lam, "wealth": wealth, "bounds": bounds},
    }
    path = Path(__file__).with_name("sequential.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
