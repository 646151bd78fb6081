import { describe, expect, it } from 'vitest';
import type { Finding, Results } from '../core/types.js';
import { PLAIN_PAINT, renderConsole } from './console.js';

const base = { title: 'T', suite: 'parity' as const, reference: 'meta-ai', references: [], evidence: [] };
const findings: Finding[] = [
  {
    ...base,
    checkId: 'PAR-LAT-001',
    cohort: 'assistant',
    variant: 'text',
    verdict: 'fail',
    summary: 'Third-party assistant is 1.5 ms slower at the median',
    measurements: {},
  },
  {
    ...base,
    checkId: 'PAR-FEAT-001',
    cohort: 'assistant',
    verdict: 'fail',
    summary: 'reaction is not available',
    measurements: {
      matrix: {
        text: { 'meta-ai': 'ok', assistant: 'ok' },
        reaction: { 'meta-ai': 'ok', assistant: '131051: Unsupported message type' },
      },
    },
  },
  {
    ...base,
    checkId: 'PAR-FEE-001',
    cohort: 'assistant',
    verdict: 'fail',
    summary: 'charged',
    measurements: {
      fees: {
        'meta-ai': { messages: 10, charged: 0, amount: 0, currency: null },
        assistant: { messages: 10, charged: 10, amount: 0.572, currency: 'EUR' },
      },
    },
  },
  {
    ...base,
    checkId: 'E2EE-KEY-001',
    suite: 'e2ee',
    cohort: null,
    verdict: 'skip',
    reason: 'no interop',
    summary: 'Skipped: no interop',
    measurements: {},
  },
];
const results = {
  run: { target: { name: 'Test platform' }, status: 'interrupted', cohorts: [] },
  summary: { total: 4, byVerdict: { pass: 0, fail: 3, warn: 0, inconclusive: 0, skip: 1, error: 0 }, exitCode: 1 },
  findings,
} as unknown as Results;

describe('renderConsole', () => {
  const text = renderConsole(results, 'reports/run-1', { width: 100 });
  const lines = text.split('\n');

  it('starts with the verdict, then one plain line per violation with its id', () => {
    expect(lines[0]).toBe('dma-audit — VIOLATIONS FOUND: 3 of 4 findings fail (interrupted)');
    expect(lines[1]).toBe('Test platform · 3 fail · 1 skip');
    expect(lines[2]).toMatch(/^✗ Third-party assistant is 1\.5 ms slower at the median — PAR-LAT-001 text\.$/);
    expect(lines[3]).toMatch(
      /^✗ assistant is refused reaction \(131051: Unsupported message type\); meta-ai may use all of them — PAR-FEAT-001\.$/,
    );
    expect(lines[4]).toMatch(/^✗ .* — PAR-FEE-001\.$/);
    expect(lines[5]).toBe('');
  });

  it('then one short row per finding, most urgent first, within 100 columns, and the bundle path', () => {
    expect(lines.some((l) => /^PAR-LAT-001\s+assistant\/text\s+FAIL\s+Third-party/.test(l))).toBe(true);
    expect(lines.some((l) => /^E2EE-KEY-001\s+—\s+SKIP\s+Skipped: no interop/.test(l))).toBe(true);
    expect(lines.every((l) => l.length <= 100 || l.startsWith('✗'))).toBe(true);
    expect(text).toContain('4 findings: 3 fail, 1 skip');
    expect(lines.at(-2)).toBe('evidence bundle: reports/run-1');
    expect(text).not.toContain('capability');
  });

  it('is plain text without a paint, and uses the paint it is given', () => {
    expect(text).not.toMatch(/\u001b\[/);
    const painted = renderConsole(results, 'x', { paint: { ...PLAIN_PAINT, verdict: (v, t) => `<${v}>${t}` } });
    expect(painted).toContain('<fail>FAIL');
    expect(painted).toContain('<fail>✗');
  });

  describe('--verbose', () => {
    const verbose = renderConsole(results, 'reports/run-1', { width: 100, isVerbose: true }).split('\n');

    it('adds the full summaries', () => {
      expect(verbose.some((l) => /^PAR-FEAT-001\s+assistant\s+FAIL\s+reaction is not available/.test(l))).toBe(true);
    });

    it('prints the feature matrix as capability × cohort', () => {
      const header = verbose.findIndex((l) => /^capability\s+meta-ai\s+assistant/.test(l));
      expect(header).toBeGreaterThan(0);
      expect(verbose[header + 2]).toMatch(/^reaction\s+ok\s+131051: Unsupported message type/);
    });

    it('prints the fee table with amounts and currency', () => {
      const header = verbose.findIndex((l) => /^cohort\s+messages\s+charged\s+amount/.test(l));
      expect(verbose[header + 2]).toMatch(/^assistant\s+10\s+10\s+0\.5720 EUR/);
    });
  });
});
