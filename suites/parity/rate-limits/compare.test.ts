import { describe, expect, it } from 'vitest';
import type { AnalysisContext } from '../../../src/engine/check.js';
import { compareBurst, compareRate } from './compare.js';
import type { ThrottleEstimate } from './estimate.js';
import { testAnalysisContext } from '../../../src/engine/analysis-context.test-helpers.js';

const ctx: AnalysisContext = testAnalysisContext({
  analysis: { samples: 10, warmup: 0, latencyRps: 10, feeProbeMessages: 10, bootstrapResamples: 100 },
  reference: { id: 'ref', label: 'Ref' },
  subjects: [{ id: 'sub', label: 'Sub' }],
});

function estimate(over: Partial<ThrottleEstimate>): ThrottleEstimate {
  return {
    requests: 100,
    accepted: 100,
    throttled: 0,
    episodes: 0,
    state: 'none',
    stopReason: 'time cap',
    offeredRps: 60,
    achievedRps: 60,
    rate: null,
    burst: null,
    window: null,
    cycleRates: [],
    ...over,
  };
}

const pair = (sub: ThrottleEstimate, ref: ThrottleEstimate) => ({
  check: { id: 'PAR-RL-002', title: 't', suite: 'parity' as const, references: [] },
  subject: { id: 'sub', label: 'Sub' },
  reference: { id: 'ref', label: 'Ref' },
  sub,
  ref,
  evidence: [],
  ctx,
});

describe('compareRate', () => {
  it('drafts a pending finding beyond the margin when both cohorts were throttled at different rates', () => {
    const sub = estimate({
      state: 'sustained',
      accepted: 40,
      throttled: 20,
      rate: { estimate: 15, low: 14, high: 16 },
      burst: { estimate: 15, low: 13, high: 17 },
      window: { accepted: 30, seconds: 2 },
    });
    const ref = estimate({
      state: 'sustained',
      accepted: 200,
      throttled: 20,
      rate: { estimate: 60, low: 59, high: 61 },
      burst: { estimate: 60, low: 58, high: 62 },
      window: { accepted: 180, seconds: 3 },
    });
    const draft = compareRate(pair(sub, ref));
    expect(draft.verdict).toBe('pending');
    if (draft.verdict !== 'pending') return;
    expect(draft.decision.isBeyondMargin).toBe(true);
    expect(draft.decision.isEquivalent).toBe(false);
    expect(draft.decision.p).toBeLessThan(1e-6);
    expect(compareBurst(pair(sub, ref)).verdict).toBe('fail');
  });

  it('shows equivalence for equal buckets and passes their bursts', () => {
    const same = estimate({
      state: 'sustained',
      accepted: 200,
      throttled: 20,
      rate: { estimate: 60, low: 59, high: 61 },
      burst: { estimate: 60, low: 58, high: 62 },
      window: { accepted: 180, seconds: 3 },
    });
    const draft = compareRate(pair(same, same));
    expect(draft.verdict === 'pending' && draft.decision.isEquivalent && !draft.decision.isBeyondMargin).toBe(true);
    expect(compareBurst(pair(same, same)).verdict).toBe('pass');
  });

  it('is inconclusive, not a pass, when the subject was refused for other reasons', () => {
    const refused = estimate({ accepted: 0, achievedRps: 0 });
    expect(compareRate(pair(refused, estimate({}))).verdict).toBe('inconclusive');
    expect(compareBurst(pair(refused, estimate({}))).verdict).toBe('inconclusive');
  });
});
