import { describe, expect, it } from 'vitest';
import { holm, mdePct } from './index.js';

describe('mdePct', () => {
  it('shrinks with sample size and grows with spread and stricter alpha', () => {
    const base = mdePct(100, 100, 0.4, 0.05);
    expect(mdePct(400, 400, 0.4, 0.05)).toBeCloseTo((Math.exp(Math.log1p(base / 100) / 2) - 1) * 100, 10);
    expect(mdePct(100, 100, 0.8, 0.05)).toBeGreaterThan(base);
    expect(mdePct(100, 100, 0.4, 0.01)).toBeGreaterThan(base);
    expect(mdePct(100, 100, 0.4, 0.05, 0.9)).toBeGreaterThan(base);
  });

  it('rejects meaningless inputs', () => {
    expect(() => mdePct(0, 10, 0.4, 0.05)).toThrow(RangeError);
    expect(() => mdePct(10, 10, 0.4, 1.2)).toThrow(RangeError);
  });
});

describe('holm', () => {
  it('multiplies the smallest p by m and keeps adjusted values monotone', () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([
      0.03,
      expect.closeTo(0.06, 12) as number,
      expect.closeTo(0.06, 12) as number,
    ]);
    expect(holm([])).toEqual([]);
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
  });
});
