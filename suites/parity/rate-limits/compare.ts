/** Compares one subject's probe estimates with the reference's (PAR-RL-002): a rate finding and a burst finding. */
import type { AnalysisContext } from '../../../src/engine/check.js';
import type { FindingDraft, JsonObject } from '../../../src/core/types.js';
import { pText } from '../../shared/latency-summary.js';
import { rateLowerP } from '../../../src/stats/index.js';
import type { Bounded, ThrottleEstimate } from './estimate.js';
import { type CheckHead, findingHead, roundTo } from '../../shared/finding.js';

interface Pair {
  check: CheckHead;
  subject: { id: string; label: string };
  reference: { id: string; label: string };
  sub: ThrottleEstimate;
  ref: ThrottleEstimate;
  evidence: string[];
  ctx: AnalysisContext;
}

function head(pair: Pair, variant: 'rate' | 'burst', extra: JsonObject) {
  const measurements: JsonObject = {
    estimates: { reference: pair.ref as unknown as JsonObject, subject: pair.sub as unknown as JsonObject },
    marginPct: pair.ctx.analysis.rateMarginPct,
    ...extra,
  };
  return {
    ...findingHead(pair.check, pair.subject.id, pair.reference.id, variant),
    evidence: pair.evidence,
    measurements,
  };
}

const fmt = (b: Bounded): string => `${b.estimate.toFixed(1)} (${b.low.toFixed(1)}–${b.high.toFixed(1)})`;

/** Most requests refused for reasons other than throttling: the probe says nothing about the limit. */
function isRefused(estimate: ThrottleEstimate): boolean {
  return estimate.accepted + estimate.throttled < estimate.requests / 2;
}

/** The least evidence a rate verdict needs per cohort: requests actually answered, some of them accepted. */
export const MIN_PROBE_REQUESTS = 5;

function thinEvidence(pair: Pair, variant: 'rate' | 'burst'): FindingDraft | null {
  const thin = [
    [pair.sub, pair.subject.label],
    [pair.ref, pair.reference.label],
  ].find(([e]) => (e as ThrottleEstimate).requests < MIN_PROBE_REQUESTS || (e as ThrottleEstimate).accepted === 0);
  if (thin === undefined) return null;
  const [estimate, label] = thin as [ThrottleEstimate, string];
  return {
    ...head(pair, variant, { minRequests: MIN_PROBE_REQUESTS }),
    verdict: 'inconclusive',
    summary:
      `Too little evidence for a rate verdict: ${label} had ${estimate.requests} probe requests answered and ` +
      `${estimate.accepted} accepted (at least ${MIN_PROBE_REQUESTS} answered and 1 accepted are needed).`,
  };
}

function refusedFinding(pair: Pair, variant: 'rate' | 'burst'): FindingDraft | null {
  const thin = thinEvidence(pair, variant);
  if (thin !== null) return thin;
  const refused = [pair.sub, pair.ref].some(isRefused);
  if (!refused) return null;
  const who = isRefused(pair.sub) ? pair.subject.label : pair.reference.label;
  return {
    ...head(pair, variant, {}),
    verdict: 'inconclusive',
    summary:
      `Most probe requests of ${who} were refused ` +
      `for reasons other than throttling, ` +
      `so its rate limit could not be measured ` +
      `(see PAR-POL-001 and PAR-ERR-001).`,
  };
}

/** The sustained-rate finding: pending (Holm) when both cohorts were throttled, decided otherwise. */
export function compareRate(pair: Pair): FindingDraft {
  const { sub, ref, subject, reference, ctx } = pair;
  const margin = ctx.analysis.rateMarginPct / 100;
  const refused = refusedFinding(pair, 'rate');
  if (refused !== null) return refused;
  if (sub.state === 'none') {
    const refText =
      ref.rate === null
        ? `${reference.label} was not throttled either`
        : `${reference.label} was throttled at ${fmt(ref.rate)}/s`;
    return {
      ...head(pair, 'rate', {}),
      verdict: 'pass',
      summary: `${subject.label} was never throttled at ${sub.offeredRps ?? '?'} requests/s offered (${sub.accepted} accepted); ${refText}.`,
    };
  }
  if (sub.rate === null || sub.window === null) {
    return {
      ...head(pair, 'rate', {}),
      verdict: 'inconclusive',
      summary: `${subject.label} was throttled only once (${sub.stopReason ?? 'probe ended'}), too little to estimate its sustained rate.`,
    };
  }
  const refRate = ref.rate?.estimate ?? ref.achievedRps;
  const refWindow = ref.window ?? {
    accepted: ref.accepted,
    seconds: ref.achievedRps > 0 ? ref.accepted / ref.achievedRps : 0,
  };
  const ratio = refRate > 0 ? sub.rate.estimate / refRate : Number.POSITIVE_INFINITY;
  const p = rateLowerP(sub.window, refWindow);
  const ratioLow = ref.rate === null ? 0 : sub.rate.low / ref.rate.high;
  const ratioHigh = ref.rate === null ? Number.POSITIVE_INFINITY : sub.rate.high / Math.max(1e-9, ref.rate.low);
  const refText =
    ref.rate === null
      ? `${reference.label} was never throttled (${ref.achievedRps.toFixed(1)}/s accepted at ${ref.offeredRps ?? '?'}/s offered)`
      : `${reference.label} ${fmt(ref.rate)}/s`;
  const extra: JsonObject = {
    ratio: roundTo(ratio, 3),
    ratioInterval: [roundTo(ratioLow, 3), Number.isFinite(ratioHigh) ? roundTo(ratioHigh, 3) : null],
    p,
  };
  return {
    ...head(pair, 'rate', extra),
    verdict: 'pending',
    decision: {
      p,
      isBeyondMargin: ratio < 1 - margin,
      isEquivalent: ratioLow >= 1 - margin && ratioHigh <= 1 + margin,
      summaries: {
        fail:
          `${subject.label} is throttled to ` +
          `${fmt(sub.rate)} requests/s while ${refText} ` +
          `(ratio ${ratio.toFixed(2)}, ${pText(p)}, ` +
          `margin ${ctx.analysis.rateMarginPct}%).`,
        pass: `Sustained rate limits equal within ±${ctx.analysis.rateMarginPct}%: ${subject.label} ${fmt(sub.rate)}/s, ${refText}.`,
        inconclusive: `Neither a lower limit beyond ${ctx.analysis.rateMarginPct}% nor equality shown: ${subject.label} ${fmt(sub.rate)}/s, ${refText}.`,
      },
    },
  };
}

/** The burst finding: decided from the intervals (a bucket's burst is one number per cohort). */
export function compareBurst(pair: Pair): FindingDraft {
  const { sub, ref, subject, reference, ctx } = pair;
  const margin = ctx.analysis.rateMarginPct / 100;
  const refused = refusedFinding(pair, 'burst');
  if (refused !== null) return refused;
  if (sub.state === 'none')
    return {
      ...head(pair, 'burst', {}),
      verdict: 'pass',
      summary: `${subject.label} was never throttled, so its burst was never exhausted (${sub.accepted} requests accepted).`,
    };
  if (sub.burst === null)
    return {
      ...head(pair, 'burst', {}),
      verdict: 'inconclusive',
      summary: `${subject.label}'s burst could not be estimated (throttled only once).`,
    };
  if (ref.burst === null) {
    return {
      ...head(pair, 'burst', {}),
      verdict: 'inconclusive',
      summary:
        `${subject.label}'s burst is ${fmt(sub.burst)} ` +
        `requests; ${reference.label} was ` +
        `never throttled, so its burst is unknown ` +
        `(the rate finding compares what each got).`,
    };
  }
  const ratio = ref.burst.estimate > 0 ? sub.burst.estimate / ref.burst.estimate : Number.POSITIVE_INFINITY;
  const text = `${subject.label} ${fmt(sub.burst)} vs ${reference.label} ${fmt(ref.burst)} requests`;
  const extra: JsonObject = { ratio: Number.isFinite(ratio) ? roundTo(ratio, 3) : null };
  if (sub.burst.high < ref.burst.low * (1 - margin))
    return {
      ...head(pair, 'burst', extra),
      verdict: 'fail',
      summary: `Smaller burst allowance for the subject: ${text} (margin ${ctx.analysis.rateMarginPct}%).`,
    };
  if (sub.burst.low >= ref.burst.high * (1 - margin))
    return {
      ...head(pair, 'burst', extra),
      verdict: 'pass',
      summary: `Burst allowance no smaller beyond ${ctx.analysis.rateMarginPct}%: ${text}.`,
    };
  return {
    ...head(pair, 'burst', extra),
    verdict: 'inconclusive',
    summary: `Burst intervals overlap the margin: ${text}.`,
  };
}
