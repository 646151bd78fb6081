import { describe, expect, it } from 'vitest';
import type { Finding, Results } from '../core/types.js';
import { renderConsole } from './console.js';

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
  run: { target: { name: 'Test platform' }, status: 'interrupted' },
  summary: { total: 4, byVerdict: { pass: 0, fail: 3, warn: 0, inconclusive: 0, skip: 1, error: 0 }, exitCode: 1 },
  findings,
} as unknown as Results;

describe('renderConsole', () => {
  const text = renderConsole(results, 'reports/run-1', { width: 100 });
  const lines = text.split('\n');

  it('lists every finding with its cohort, variant and verdict, and the bundle path', () => {
    expect(text).toContain('Test platform (interrupted)');
    expect(lines.some((l) => /^PAR-LAT-001\s+assistant\/text\s+FAIL\s+Third-party/.test(l))).toBe(true);
    expect(lines.some((l) => /^E2EE-KEY-001\s+—\s+SKIP\s+Skipped: no interop/.test(l))).toBe(true);
    expect(text).toContain('4 findings: 3 fail, 1 skip');
    expect(text).toContain('evidence bundle: reports/run-1');
  });

  it('prints the feature matrix as capability × cohort', () => {
    const header = lines.findIndex((l) => /^capability\s+meta-ai\s+assistant/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toMatch(/^reaction\s+ok\s+131051: Unsupported message type/);
  });

  it('prints the fee table with amounts and currency', () => {
    const header = lines.findIndex((l) => /^cohort\s+messages\s+charged\s+amount/.test(l));
    expect(lines[header + 2]).toMatch(/^assistant\s+10\s+10\s+0\.5720 EUR/);
  });
});
