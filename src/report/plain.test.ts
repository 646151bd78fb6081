import { describe, expect, it } from 'vitest';
import type { CohortInfo, Finding, JsonObject } from '../core/types.js';
import { cohortNamer, keyNumber, legalBasis, plainLine, plainSentence, violations } from './plain.js';

const COHORTS: CohortInfo[] = [
  { id: 'meta-ai', label: 'Meta AI (reference)', role: 'reference' },
  { id: 'assistant', label: 'Third-party AI assistant', role: 'subject' },
];
const DMA_67 = { source: 'DMA', clause: 'Art. 6(7)' };
const EC = { source: 'EC interim measures (WhatsApp AI access)', clause: '2026-06-09' };
const API = { source: 'WhatsApp Cloud API', clause: 'pricing' };

function finding(checkId: string, measurements: JsonObject, extra: Partial<Finding> = {}): Finding {
  return {
    checkId,
    title: checkId,
    suite: 'parity',
    cohort: 'assistant',
    reference: 'meta-ai',
    references: [DMA_67, EC, API],
    summary: 'The summary of the check.',
    measurements,
    evidence: [],
    verdict: 'fail',
    ...extra,
  } as Finding;
}

describe('plainLine', () => {
  it('says who pays what against whom, with the check id and the legal basis only', () => {
    const fee = finding('PAR-FEE-001', { perMessage: { reference: 0, subject: 0.0572 }, currency: 'EUR' });
    expect(plainLine(fee, COHORTS)).toBe(
      'Third-party AI assistant pays EUR 0.0572 per message; Meta AI pays nothing — PAR-FEE-001 (DMA Art. 6(7); EC interim measures 2026-06-09).',
    );
    expect(keyNumber(fee)).toBe('EUR 0.0572 vs nothing per message');
  });

  it('says how much slower a message type is, from the shift and the medians', () => {
    const lat = finding(
      'PAR-LAT-001',
      { medianMs: { reference: 6.463, subject: 8.345 }, shift: { estimatePct: 28.58 }, mdePct: 23.4 },
      { variant: 'text' },
    );
    expect(plainSentence(lat, COHORTS)).toBe(
      "Third-party AI assistant's text messages take 29% longer to send than Meta AI's (median 8.35 ms vs 6.46 ms)",
    );
    expect(plainLine(lat, COHORTS)).toContain('— PAR-LAT-001 text (DMA');
    expect(keyNumber(lat)).toBe('+29% median 8.35 vs 6.46 ms');
    const open = { ...lat, verdict: 'inconclusive' } as Finding;
    expect(plainSentence(open, COHORTS)).toContain(
      'not yet decisive: the smallest difference this many samples can show is 23%',
    );
    const inbound = finding('PAR-LAT-002', { medianMs: { reference: 10, subject: 9 } }, { variant: 'inbound' });
    expect(plainSentence(inbound, COHORTS)).toBe(
      "Third-party AI assistant's incoming messages take 10% less time to arrive than Meta AI's (median 9 ms vs 10 ms)",
    );
  });

  it('says to what rate the subject is throttled', () => {
    const estimates = {
      reference: { achievedRps: 60.08, rate: null },
      subject: { achievedRps: 19.1, rate: { estimate: 14.191 }, burst: { estimate: 14.73 } },
    };
    const rl = finding('PAR-RL-002', { estimates }, { variant: 'rate' });
    expect(plainSentence(rl, COHORTS)).toBe(
      'Third-party AI assistant is throttled to 14.2 requests/s; Meta AI got 60.1/s without being throttled',
    );
    expect(keyNumber(rl)).toBe('14.2 vs 60.1 requests/s');
    const burst = finding('PAR-RL-002', { estimates }, { variant: 'burst' });
    expect(plainSentence(burst, COHORTS)).toContain('may burst only 14.7 requests');
  });

  it('names the advertised limit that differs', () => {
    const policies = (q: number): JsonObject => ({
      policies: { 'RateLimit-Policy:burst': { quota: q, windowSec: 1 } },
    });
    const rl = finding('PAR-RL-001', { advertised: { reference: policies(60), subject: policies(15) } });
    expect(plainSentence(rl, COHORTS)).toBe(
      'The platform advertises Third-party AI assistant a limit of 15 requests per 1 s; Meta AI gets 60 requests per 1 s (RateLimit-Policy:burst)',
    );
    expect(keyNumber(rl)).toBe('advertised 15 vs 60 requests per 1 s');
  });

  it('lists refused capabilities with their error codes', () => {
    const matrix = {
      text: { 'meta-ai': 'ok', assistant: 'ok' },
      'interactive.list': { 'meta-ai': 'ok', assistant: 131051 },
    };
    expect(plainSentence(finding('PAR-FEAT-001', { matrix }), COHORTS)).toBe(
      'Third-party AI assistant is refused interactive.list (131051); Meta AI may use all of them',
    );
    const inbound = { 'message:image': { 'meta-ai': 'delivered', assistant: 'missing' } };
    expect(plainSentence(finding('PAR-FEAT-002', { matrix: inbound }), COHORTS)).toBe(
      'Third-party AI assistant does not receive message:image (missing); Meta AI receives all of them',
    );
  });

  it('counts policy refusals and error rates', () => {
    const pol = finding('PAR-POL-001', {
      answered: { reference: 10, subject: 10 },
      rejections: { reference: 0, subject: 10 },
      codes: { reference: {}, subject: { '131049': 10 } },
    });
    expect(plainSentence(pol, COHORTS)).toBe(
      'The platform refused 10 of 10 messages from Third-party AI assistant (error 131049); Meta AI was never refused',
    );
    const err = finding('PAR-ERR-001', { errorRate: { reference: 0.01, subject: 0.125 } });
    expect(plainSentence(err, COHORTS)).toBe("13% of Third-party AI assistant's messages fail; 1% of Meta AI's");
  });

  it('describes a capped free tier', () => {
    const onset = {
      reference: { accepted: 60, threshold: null },
      subject: { accepted: 44, threshold: 1000, perMessage: 0.0572, currency: 'EUR' },
    };
    expect(plainSentence(finding('PAR-FEE-002', { onset }), COHORTS)).toBe(
      'Third-party AI assistant is charged EUR 0.0572 per message after 1000 messages; Meta AI was not charged within 60 messages',
    );
    expect(keyNumber(finding('PAR-FEE-002', { onset }))).toBe('EUR 0.0572 per message after 1000');
  });

  it('groups refused capabilities by the answer', () => {
    const matrix = {
      reaction: { 'meta-ai': 'ok', assistant: '131051: Unsupported' },
      'interactive.list': { 'meta-ai': 'ok', assistant: '131051: Unsupported' },
      typing_indicator: { 'meta-ai': 'ok', assistant: 403 },
    };
    const feat = finding('PAR-FEAT-001', { matrix });
    expect(plainSentence(feat, COHORTS)).toBe(
      'Third-party AI assistant is refused reaction and interactive.list (131051: Unsupported); typing_indicator (403); Meta AI may use all of them',
    );
    expect(keyNumber(feat)).toBe('3 refused: reaction, interactive.list and typing_indicator');
  });

  it('falls back to the first sentence of the summary for families it does not know (E2EE, conformance)', () => {
    const long = finding(
      'E2EE-KEY-003',
      {},
      { summary: 'The key differs (fingerprint a.b). A substituted key lets the gateway read.', references: [] },
    );
    expect(plainSentence(long, COHORTS)).toBe('The key differs (fingerprint a.b)');
    const e2ee = finding('E2EE-KEY-002', {}, { summary: 'no Kyber prekey was offered.', references: [] });
    expect(plainLine(e2ee, COHORTS)).toBe('No Kyber prekey was offered — E2EE-KEY-002.');
  });
});

describe('legalBasis and names', () => {
  it('groups clauses per source and leaves out API and protocol specifications', () => {
    expect(legalBasis([{ source: 'DMA', clause: 'Art. 6(5)' }, DMA_67, EC, API])).toBe(
      'DMA Art. 6(5), Art. 6(7); EC interim measures 2026-06-09',
    );
    expect(legalBasis([{ source: 'Signal PQXDH specification', clause: 'Publishing keys' }])).toBe('');
  });

  it('drops a label suffix that only repeats the role', () => {
    const name = cohortNamer(COHORTS);
    expect(name('meta-ai')).toBe('Meta AI');
    expect(name('assistant')).toBe('Third-party AI assistant');
    expect(name('unknown')).toBe('unknown');
  });

  it('picks the failures as violations', () => {
    const list = [finding('A', {}), finding('B', {}, { verdict: 'pass' })];
    expect(violations(list).map((f) => f.checkId)).toEqual(['A']);
  });
});
