import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/types.js';
import { fixtureView } from './fixtures.test-helpers.js';
import {
  byUrgency,
  comparisons,
  findingName,
  formatNumber,
  formatValue,
  isLatencyFinding,
  marginMs,
  otherMeasurements,
} from './format.js';

const findings = fixtureView().results.findings;

describe('findingName', () => {
  it('is `checkId [cohort] (variant)`, leaving out what a finding lacks', () => {
    expect(findings.map(findingName).slice(0, 1)).toEqual(['PAR-LAT-001 [assistant] (text)']);
    expect(findingName(findings[6] as Finding)).toBe('CONF-WH-001');
  });
});

describe('byUrgency', () => {
  it('puts fail, error, warn, inconclusive, skip, pass in that order, stable within a verdict', () => {
    expect(byUrgency(findings).map((f) => `${f.verdict} ${f.checkId}`)).toEqual([
      'fail PAR-LAT-001',
      'fail PAR-FEAT-001',
      'fail PAR-FEE-001',
      'error E2EE-SES-001',
      'warn CONF-API-001',
      'inconclusive PAR-ERR-001',
      'skip CONF-WH-001',
      'pass PAR-LAT-001',
    ]);
  });
});

describe('formatNumber / formatValue', () => {
  it('keeps 3 decimals from 1 up, 3 significant digits below, and writes tiny numbers in scientific notation', () => {
    expect([
      formatNumber(3),
      formatNumber(2.34567),
      formatNumber(0.0572),
      formatNumber(0.38541),
      formatNumber(0.0000123),
      formatNumber(-1.5),
      formatNumber(Number.NaN),
    ]).toEqual(['3', '2.346', '0.0572', '0.385', '1.23e-5', '-1.5', 'NaN']);
  });

  it('flattens objects and lists, and shows nothing as a dash', () => {
    expect(formatValue({ a: 1, b: [true, 'x'] })).toBe('a 1, b yes, x');
    expect([formatValue({}), formatValue([]), formatValue(null), formatValue(undefined)]).toEqual(['—', '—', '—', '—']);
  });
});

describe('measurement helpers', () => {
  it('pairs reference/subject measurements as expected vs observed and keeps the rest apart', () => {
    const measurements = {
      n: { reference: 3, subject: 4 },
      shift: { estimateMs: 1 },
      matrix: { a: { b: 'ok' } },
      alpha: 0.01,
    };
    expect(comparisons(measurements)).toEqual([{ metric: 'n', expected: 3, observed: 4 }]);
    expect(otherMeasurements(measurements, ['matrix'])).toEqual([
      ['shift', { estimateMs: 1 }],
      ['alpha', 0.01],
    ]);
  });

  it('recognises latency findings by medianMs or shift', () => {
    expect(findings.map(isLatencyFinding)).toEqual([true, true, false, false, false, false, false, false]);
  });

  it('takes the margin from equivalence.marginMs, else marginPct of the reference median', () => {
    expect(
      marginMs({ equivalence: { marginMs: 6.5 }, tost: { marginPct: 10 }, medianMs: { reference: 40, subject: 50 } }),
    ).toBe(6.5);
    expect(marginMs({ tost: { marginPct: 10 }, medianMs: { reference: 40, subject: 50 } })).toBe(4);
    expect(marginMs({ marginPct: 5, medianMs: { reference: 40, subject: 50 } })).toBe(2);
    expect(marginMs({ medianMs: { reference: 40, subject: 50 } })).toBeNull();
  });
});
