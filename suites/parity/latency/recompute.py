"""Recomputes the p-values of PAR-LAT-* and PAR-ERR-001 findings from a bundle's samples.ndjson with
scipy, independently of dma-audit's own statistics. Usage: python3 latency-recompute.py BUNDLE_DIR.
Prints one JSON object: {"<check>/<cohort>/<variant>": {...recomputed values...}, "holm": [...]}."""
import json
import sys

import numpy as np
from scipy import stats

NOT_SENT = {"budget-exhausted", "cancelled"}


def main(bundle):
    results = json.load(open(f"{bundle}/results.json"))
    samples = [json.loads(line) for line in open(f"{bundle}/samples.ndjson") if line.strip()]
    reference = next(c["id"] for c in results["run"]["cohorts"] if c["role"] == "reference")
    margin_pct = results["run"]["analysis"]["analysis"]["latencyMarginPct"]
    out = {}
    for f in results["findings"]:
        key = f"{f['checkId']}/{f['cohort']}/{f.get('variant', '')}"
        if f["checkId"].startswith("PAR-LAT") and "mannWhitney" in f["measurements"]:
            sub = latencies(samples, f["checkId"], f["cohort"], f.get("variant"))
            ref = latencies(samples, f["checkId"], reference, f.get("variant"))
            out[key] = latency(sub, ref, margin_pct)
        elif f["checkId"] == "PAR-ERR-001" and "test" in f["measurements"]:
            out[key] = error_rate(counts(samples, f["cohort"]), counts(samples, reference))
    pending = [(f"{f['checkId']}/{f['cohort']}/{f.get('variant', '')}") for f in results["findings"] if "pRaw" in f["measurements"]]
    out["holm"] = {"keys": pending, "pHolm": holm([out[k]["p"] for k in pending])}
    print(json.dumps(out))


SAMPLE_KINDS = {"send", "status", "inbound"}


def serves(sample, check):
    """A shared stream's sample names every check it serves in `metrics`; others name one `check`."""
    return check in sample.get("metrics", [sample["check"]])


def latencies(samples, check, cohort, variant):
    return [s["latencyUs"] / 1000 for s in samples
            if serves(s, check) and s["kind"] in SAMPLE_KINDS and s["cohort"] == cohort
            and s.get("variant", "text") == (variant or "text")
            and s.get("outcome") == "ok" and s.get("round", 0) >= 0 and s.get("latencyUs", 0) > 0]


def latency(sub, ref, margin_pct):
    margin = np.log(1 + margin_pct / 100)
    log_sub, log_ref = np.log(sub), np.log(ref)
    p_lower = stats.ttest_ind(log_sub + margin, log_ref, equal_var=False, alternative="greater").pvalue
    p_upper = stats.ttest_ind(log_sub - margin, log_ref, equal_var=False, alternative="less").pvalue
    ks = stats.ks_2samp(sub, ref, method="auto")
    return {
        "p": float(stats.mannwhitneyu(sub, ref, alternative="greater", method="auto").pvalue),
        "ksP": float(ks.pvalue),
        "ksD": float(ks.statistic),
        "tostP": float(max(p_lower, p_upper)),
        "shiftMs": float(np.median(np.subtract.outer(np.array(sub), np.array(ref)))),
        "n": [len(sub), len(ref)],
    }


def counts(samples, cohort):
    counted = [s for s in samples if serves(s, "PAR-ERR-001") and s["kind"] == "send" and s["cohort"] == cohort
               and s.get("round", 0) >= 0 and s.get("outcome") not in NOT_SENT and "outcome" in s]
    return len(counted), sum(1 for s in counted if s["outcome"] != "ok")


def error_rate(sub, ref):
    (n_s, e_s), (n_r, e_r) = sub, ref
    total, errors = n_s + n_r, e_s + e_r
    if min(errors, total - errors) * min(n_s, n_r) / total < 5:
        p = stats.fisher_exact([[e_s, n_s - e_s], [e_r, n_r - e_r]], alternative="greater").pvalue
        return {"p": float(p), "method": "Fisher exact"}
    pooled = errors / total
    z = (e_s / n_s - e_r / n_r) / np.sqrt(pooled * (1 - pooled) * (1 / n_s + 1 / n_r))
    return {"p": float(stats.norm.sf(z)), "method": "two-proportion z"}


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adjusted, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


if __name__ == "__main__":
    main(sys.argv[1])
