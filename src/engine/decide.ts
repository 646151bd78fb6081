/**
 * The three-outcome decision rule (docs/architecture.md, "Verdicts and the decision rule"): a parity metric
 * fails only when significant after Holm correction across the whole run AND beyond the margin;
 * passes when equivalence within the margin is shown; is inconclusive otherwise.
 */
import { holm } from '../stats/index.js';
import type { Finding, FindingDraft, PendingFinding } from '../core/types.js';

/** Resolves every pending parity finding together, so the correction spans the run. */
export function decide(drafts: readonly FindingDraft[], alpha: number): Finding[] {
  const pending = drafts.filter((draft): draft is PendingFinding => draft.verdict === 'pending');
  const adjusted = holm(pending.map((draft) => draft.decision.p));
  const byDraft = new Map(pending.map((draft, i) => [draft, adjusted[i] ?? 1]));
  return drafts.map((draft) => (draft.verdict === 'pending' ? resolve(draft, byDraft.get(draft) ?? 1, alpha) : draft));
}

function resolve(draft: PendingFinding, pHolm: number, alpha: number): Finding {
  const { decision, verdict: _pending, ...base } = draft;
  const verdict = pHolm < alpha && decision.isBeyondMargin ? 'fail' : decision.isEquivalent ? 'pass' : 'inconclusive';
  return {
    ...base,
    verdict,
    summary: decision.summaries[verdict],
    measurements: { ...base.measurements, pRaw: decision.p, pHolm, alpha },
  };
}
