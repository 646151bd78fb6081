// The pre-declared combination rule for checks without a stratified analysis of their own.
import { describe, expect, it } from 'vitest';
import type { FindingDraft } from '../core/types.js';
import { combineByRule, type VantageDraft } from './combine.js';
import { decide } from './decide.js';

const head = {
  checkId: 'PAR-ERR-001',
  title: 'Error rate parity',
  suite: 'parity' as const,
  cohort: 'assistant',
  reference: 'meta-ai',
  references: [],
  measurements: {},
  evidence: [],
};

function pending(vantage: string, p: number, isBeyondMargin: boolean, isEquivalent: boolean): VantageDraft {
  const summaries = { fail: `worse at ${vantage}`, pass: `equal at ${vantage}`, inconclusive: `unclear at ${vantage}` };
  return { ...head, vantage, verdict: 'pending', decision: { p, isBeyondMargin, isEquivalent, summaries } };
}

function decided(vantage: string, verdict: 'pass' | 'fail' | 'inconclusive'): VantageDraft {
  return { ...head, vantage, verdict, summary: `${verdict} at ${vantage}` };
}

const only = (drafts: FindingDraft[]): FindingDraft => {
  expect(drafts).toHaveLength(1);
  return drafts[0] as FindingDraft;
};

describe('combineByRule', () => {
  it('combines pending comparisons by Bonferroni over the vantage points, read at the smallest p', () => {
    const combined = only(
      combineByRule([pending('a', 0.2, false, true), pending('b', 0.001, true, false), pending('c', 0.5, false, true)]),
    );
    if (combined.verdict !== 'pending') throw new Error('expected pending');
    expect(combined.decision.p).toBeCloseTo(0.003, 12);
    expect(combined.decision.isBeyondMargin).toBe(true);
    expect(combined.decision.isEquivalent).toBe(false);
    expect(combined.decision.summaries.fail).toMatch(
      /^Across 3 vantage points \(Bonferroni; smallest p at b\): worse at b/,
    );
    expect('vantage' in combined).toBe(false);
  });

  it('needs every vantage point to show equivalence for a combined pass', () => {
    const all = only(combineByRule([pending('a', 0.4, false, true), pending('b', 0.6, false, true)]));
    const [finding] = decide([all], 0.01);
    expect(finding?.verdict).toBe('pass');
    const withGap = only(combineByRule([pending('a', 0.4, false, true), decided('b', 'inconclusive')]));
    expect(decide([withGap], 0.01)[0]?.verdict).toBe('inconclusive');
  });

  it('a fail at any vantage point is the combined verdict', () => {
    const combined = only(combineByRule([decided('a', 'pass'), decided('b', 'fail'), pending('c', 0.9, false, true)]));
    expect(combined.verdict).toBe('fail');
    expect(combined.verdict === 'fail' && combined.summary).toMatch(/most urgent at b/);
  });

  it('keeps one combined draft per check × cohort × variant', () => {
    const other = { ...pending('a', 0.5, false, true), cohort: 'control' };
    expect(combineByRule([pending('a', 0.5, false, true), other, pending('b', 0.5, false, true)])).toHaveLength(2);
  });
});
