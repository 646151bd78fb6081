/** Per-cohort advertised limits from recorded headers, and their comparison (PAR-RL-001). Pure. */
import type { Observation } from '../../../src/core/types.js';
import { parseRateHeaders, type AdvertisedPolicy } from './headers.js';

/** What the platform advertised to one cohort over the probe. */
export interface CohortAdvert {
  /** Most generous quota per policy key (`source:name`) seen. */
  policies: Record<string, { quota: number; windowSec: number | null; unit: string }>;
  /** Highest usage percentage reported by Meta's usage headers. */
  maxUsagePct: number | null;
  answers: number;
  /** Raw rate headers of the first answer that had any (for the report). */
  raw: Record<string, string>;
  problems: string[];
  evidence: string | null;
}

/** A quota the subject is advertised lower than the reference, or that only one side has. */
export interface AdvertDifference {
  policy: string;
  reference: { quota: number; windowSec: number | null } | null;
  subject: { quota: number; windowSec: number | null } | null;
  isWorse: boolean;
}

const keyOf = (p: AdvertisedPolicy): string => `${p.source}:${p.name}`;

/** Collects what one cohort was advertised. */
export function cohortAdvert(observations: readonly Observation[], cohort: string): CohortAdvert {
  const advert: CohortAdvert = { policies: {}, maxUsagePct: null, answers: 0, raw: {}, problems: [], evidence: null };
  for (const o of observations) {
    if (o.cohort !== cohort || o.kind !== 'advert') continue;
    advert.answers += 1;
    const headers = (o.data?.rateHeaders ?? {}) as Record<string, string>;
    const signals = parseRateHeaders(headers);
    if (Object.keys(signals.raw).length > 0 && advert.evidence === null) {
      advert.raw = signals.raw;
      advert.evidence = o.exchanges?.[0] ?? null;
    }
    for (const problem of signals.problems) if (!advert.problems.includes(problem)) advert.problems.push(problem);
    for (const policy of signals.policies) {
      const seen = advert.policies[keyOf(policy)];
      if (seen === undefined || perSecond(policy) > perSecond(seen))
        advert.policies[keyOf(policy)] = { quota: policy.quota, windowSec: policy.windowSec, unit: policy.unit };
    }
    for (const usage of signals.usage)
      if (usage.callCountPct !== null) advert.maxUsagePct = Math.max(advert.maxUsagePct ?? 0, usage.callCountPct);
  }
  return advert;
}

/** Quota per second, or the bare quota when the window is unknown (then only equal sources are compared). */
function perSecond(policy: { quota: number; windowSec: number | null }): number {
  return policy.windowSec === null || policy.windowSec <= 0 ? policy.quota : policy.quota / policy.windowSec;
}

/** Every policy key either side has, with whether the subject's quota is lower. */
export function compareAdverts(reference: CohortAdvert, subject: CohortAdvert): AdvertDifference[] {
  const keys = [...new Set([...Object.keys(reference.policies), ...Object.keys(subject.policies)])].sort();
  return keys.map((policy) => {
    const ref = reference.policies[policy] ?? null;
    const sub = subject.policies[policy] ?? null;
    const strip = (p: typeof ref): { quota: number; windowSec: number | null } | null =>
      p === null ? null : { quota: p.quota, windowSec: p.windowSec };
    return {
      policy,
      reference: strip(ref),
      subject: strip(sub),
      isWorse: ref !== null && sub !== null && perSecond(sub) < perSecond(ref),
    };
  });
}

/** "15 per 1 s" */
export function quotaText(p: { quota: number; windowSec: number | null } | null): string {
  if (p === null) return 'none';
  return p.windowSec === null ? `${p.quota}` : `${p.quota} per ${p.windowSec} s`;
}
