/**
 * The pre-declared rule for a merged bundle's combined finding when a check has no stratified analysis of
 * its own (docs/architecture.md, "Merged bundles"). It is fixed before any data is seen:
 *
 * - a per-vantage `fail` or `error` makes the combined finding that verdict (a violation seen from one
 *   vantage point is a violation);
 * - parity comparisons still pending are combined by Bonferroni over the k vantage points: p = min(1, k·min pᵢ)
 *   for "the subject is treated worse at some vantage point" (valid whatever the dependence between them);
 *   beyond the margin is read at the vantage point with the smallest p, and equivalence needs every vantage
 *   point to show it. The run-wide Holm correction then spans this p with all the others;
 * - otherwise the most urgent verdict among the vantage points (error, warn, inconclusive, pass, skip).
 */
import type { FindingDraft, JsonObject, PendingFinding } from '../core/types.js';

/** A per-vantage draft with the vantage point it came from. */
export type VantageDraft = FindingDraft & { vantage: string };

const URGENCY = ['fail', 'error', 'warn', 'inconclusive', 'pending', 'pass', 'skip'] as const;

/** Combined drafts (no vantage), one per check × cohort × variant seen at any vantage point, in first-seen order. */
export function combineByRule(drafts: readonly VantageDraft[]): FindingDraft[] {
  const groups = new Map<string, VantageDraft[]>();
  for (const draft of drafts) {
    const key = [draft.checkId, draft.cohort ?? '-', draft.variant ?? '-'].join(' ');
    groups.set(key, [...(groups.get(key) ?? []), draft]);
  }
  return [...groups.values()].map(combineGroup);
}

function combineGroup(group: VantageDraft[]): FindingDraft {
  const strata = group.map(stratumOf);
  const violated = mostUrgent(group.filter((d) => d.verdict === 'fail' || d.verdict === 'error'));
  if (violated !== undefined) return decided(violated, group.length, strata);
  const pending = group.filter((d): d is PendingFinding & { vantage: string } => d.verdict === 'pending');
  if (pending.length > 0) return bonferroni(pending, group, strata);
  return decided(mostUrgent(group) ?? (group[0] as VantageDraft), group.length, strata);
}

function bonferroni(
  pending: Array<PendingFinding & { vantage: string }>,
  group: VantageDraft[],
  strata: JsonObject[],
): FindingDraft {
  const decisive = pending.reduce((best, d) => (d.decision.p < best.decision.p ? d : best));
  const { vantage, ...rest } = decisive;
  const k = group.length;
  const prefix = `Across ${k} vantage points (Bonferroni; smallest p at ${vantage}): `;
  const { summaries } = decisive.decision;
  return {
    ...rest,
    measurements: {
      ...decisive.measurements,
      combination: combination('Bonferroni minimum over vantage points', strata),
    },
    decision: {
      p: Math.min(1, k * decisive.decision.p),
      isBeyondMargin: decisive.decision.isBeyondMargin,
      isEquivalent: pending.length === k && pending.every((d) => d.decision.isEquivalent),
      summaries: {
        fail: prefix + summaries.fail,
        pass: prefix + summaries.pass,
        inconclusive: prefix + summaries.inconclusive,
      },
    },
  };
}

function decided(draft: VantageDraft, k: number, strata: JsonObject[]): FindingDraft {
  if (draft.verdict === 'pending') return bonferroni([draft], [draft], strata);
  const { vantage, ...rest } = draft;
  return {
    ...rest,
    summary: `Across ${k} vantage points (most urgent at ${vantage}): ${draft.summary}`,
    measurements: {
      ...draft.measurements,
      combination: combination('most urgent verdict over vantage points', strata),
    },
  };
}

function mostUrgent(drafts: VantageDraft[]): VantageDraft | undefined {
  const rank = (d: VantageDraft): number => URGENCY.indexOf(d.verdict);
  return drafts.reduce<VantageDraft | undefined>(
    (best, d) => (best === undefined || rank(d) < rank(best) ? d : best),
    undefined,
  );
}

function stratumOf(draft: VantageDraft): JsonObject {
  if (draft.verdict !== 'pending') return { vantage: draft.vantage, verdict: draft.verdict };
  const { p, isBeyondMargin, isEquivalent } = draft.decision;
  return { vantage: draft.vantage, verdict: 'pending', p, isBeyondMargin, isEquivalent };
}

function combination(method: string, strata: JsonObject[]): JsonObject {
  return { method, strata };
}
