"""Recomputes the p-values of PAR-LAT-* and PAR-ERR-001 findings from a bundle's samples.ndjson with
scipy, independently of dma-audit's own statistics. Usage: python3 recompute.py BUNDLE_DIR.
Prints one JSON object: {"<check>/<cohort>/<variant>": {...recomputed values...}, "holm": [...]}.
A sequential finding (one with measurements.sequential) uses the samples up to its stopping point, as
docs/recompute.md says."""
import json
import math
import sys

import numpy as np
from scipy import stats

NOT_SENT = {"budget-exhausted", "cancelled"}


def main(bundle):
    results = json.load(open(f"{bundle}/results.json"))
    samples = live([json.loads(line) for line in open(f"{bundle}/samples.ndjson") if line.strip()])
    reference = next(c["id"] for c in results["run"]["cohorts"] if c["role"] == "reference")
    margin_pct = results["run"]["analysis"]["analysis"]["latencyMarginPct"]
    out = {}
    for f in results["findings"]:
        key = f"{f['checkId']}/{f['cohort']}/{f.get('variant', '')}"
        if f["checkId"].startswith("PAR-LAT") and "mannWhitney" in f["measurements"]:
            rows = {who: measured(samples, f["checkId"], who, f.get("variant")) for who in (f["cohort"], reference)}
            rows = cut_at_stop(rows, f["measurements"].get("sequential"))
            sub, ref = ([s["latencyUs"] / 1000 for s in rows[who] if is_ok(s)] for who in (f["cohort"], reference))
            out[key] = latency(sub, ref, margin_pct)
        elif f["checkId"] == "PAR-ERR-001" and "test" in f["measurements"]:
            out[key] = error_rate(counts(samples, f["cohort"]), counts(samples, reference))
    pending = [(f"{f['checkId']}/{f['cohort']}/{f.get('variant', '')}") for f in results["findings"] if "pRaw" in f["measurements"]]
    out["holm"] = {"keys": pending, "pHolm": holm([out[k]["p"] for k in pending])}
    print(json.dumps(out))


def live(samples):
    """Drops what a resumed run voided: a restarted check's own earlier samples, and the rounds a resumed
    shared stream sent again (samples of its kinds, from round fromRound on, recorded before the marker)."""
    kept = []
    for s in samples:
        mine = lambda o: o.get("vantage") == s.get("vantage")  # noqa: E731 (a merged bundle pools several runs)
        if s["kind"] == "check-restarted":
            kept = [o for o in kept if not (mine(o) and o["check"] == s["check"] and "metrics" not in o)]
        elif s["kind"] == "rounds-voided":
            kinds, start = s["data"]["kinds"], s["data"]["fromRound"]
            kept = [o for o in kept
                    if not (mine(o) and "metrics" in o and o["kind"] in kinds and o.get("round", -1) >= start)]
        else:
            kept.append(s)
    return kept


def serves(sample, check):
    """A shared stream's sample names every check it serves in `metrics`; others name one `check`."""
    return check in sample.get("metrics", [sample["check"]])


KINDS = {"PAR-LAT-001": "send", "PAR-LAT-002": "inbound", "PAR-LAT-003": "status"}


def measured(samples, check, cohort, variant):
    """Non-warm-up samples of one cohort that serve the check, of its kind and variant, in round order."""
    return sorted((s for s in samples
                   if serves(s, check) and s["kind"] == KINDS[check] and s["cohort"] == cohort
                   and s.get("variant", "text") == (variant or "text") and s.get("round", 0) >= 0
                   and s.get("outcome") not in NOT_SENT),
                  key=lambda s: (s.get("round", 0), s["seq"]))


def is_ok(sample):
    return sample.get("outcome") == "ok" and sample.get("latencyUs", 0) > 0


def cut_at_stop(rows, sequential):
    """A sequential finding uses the rounds up to the later of the two cohorts' stopping rounds."""
    if sequential is None:
        return rows
    stop, look_every = sequential["stopAtPairs"], sequential["lookEvery"]

    def last_round(cohort_rows):
        usable = [s for s in cohort_rows if is_ok(s)]
        if stop == 0:
            return look_every - 1
        return usable[stop - 1].get("round", 0) if len(usable) >= stop else math.inf

    until = max(last_round(r) for r in rows.values())
    return {who: [s for s in r if s.get("round", 0) <= until] for who, r in rows.items()}


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
