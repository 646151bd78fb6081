/** A hand-built bundle for reporter tests: every verdict, latency samples, a feature matrix, a fee table, hostile strings. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, Observation, Results } from '../core/types.js';
import type { BundleView, HarEntryView } from './types.js';
import { testAnalysisContext } from '../engine/analysis-context.test-helpers.js';
import { CATALOGUE } from '../../suites/index.js';

/** Planted in a summary, a HAR URL and a matrix key: must never reach any output unescaped. */
export const HOSTILE = '<script>alert(1)</script>';

const DMA_67 = { source: 'DMA', clause: 'Art. 6(7)', url: 'https://eur-lex.europa.eu/eli/reg/2022/1925/oj' };
const EC_2026 = { source: 'EC interim measures (WhatsApp AI access)', clause: '2026-06-09' };
const base = { title: '', cohort: 'assistant', reference: 'meta-ai', references: [DMA_67], evidence: [] as string[] };

function latency(medians: [number, number], shift: [number, number, number]): Finding['measurements'] {
  return {
    n: { reference: 30, subject: 30 },
    medianMs: { reference: medians[0], subject: medians[1] },
    p95Ms: { reference: medians[0] * 1.5, subject: medians[1] * 1.5 },
    p99Ms: { reference: medians[0] * 1.8, subject: medians[1] * 1.8 },
    shift: { estimateMs: shift[0], ciLowMs: shift[1], ciHighMs: shift[2] },
    mannWhitney: { u: 112, p: 0.000012 },
    tost: { p: 0.41, marginPct: 10 },
    mdePct: 4.2,
    alpha: 0.01,
  };
}

const FINDINGS: Finding[] = [
  {
    ...base,
    checkId: 'PAR-LAT-001',
    title: 'Send-message latency',
    suite: 'parity',
    variant: 'text',
    verdict: 'fail',
    summary: `The assistant's text messages are 38 ms slower than Meta AI's ${HOSTILE}`,
    references: [DMA_67, { source: 'DMA', clause: 'Art. 6(5)', url: 'javascript:alert(1)' }],
    measurements: latency([40, 78], [38, 31.5, 44.25]),
    evidence: ['e1', 'e2'],
  },
  {
    ...base,
    checkId: 'PAR-LAT-001',
    title: 'Send-message latency',
    suite: 'parity',
    variant: 'image',
    verdict: 'pass',
    summary: 'Image latency is equivalent within 10%.',
    measurements: latency([60, 61], [0.8, -2.1, 3.4]),
    evidence: ['e3'],
  },
  {
    ...base,
    checkId: 'PAR-FEAT-001',
    title: 'Outbound capability parity',
    suite: 'parity',
    verdict: 'fail',
    summary: 'Interactive list messages are rejected for the assistant (131051).',
    evidence: ['e4'],
    measurements: {
      matrix: {
        text: { 'meta-ai': 'ok', assistant: 'ok' },
        'interactive.list': { 'meta-ai': 'ok', assistant: 131051 },
        [HOSTILE]: { 'meta-ai': 'ok', assistant: 'ok' },
      },
    },
  },
  {
    ...base,
    checkId: 'PAR-FEE-001',
    title: 'No fee signal for the subject',
    suite: 'parity',
    verdict: 'fail',
    summary: 'Every assistant message carried a fee of €0.0572.',
    references: [EC_2026],
    evidence: ['e5'],
    measurements: {
      fees: [
        { cohort: 'meta-ai', messages: 20, charged: 0, amountEur: 0 },
        { cohort: 'assistant', messages: 20, charged: 20, amountEur: 1.144 },
      ],
    },
  },
  {
    ...base,
    checkId: 'PAR-ERR-001',
    title: 'Error rate parity',
    suite: 'parity',
    verdict: 'inconclusive',
    summary: 'Error rates differ by 1.5 points; cannot tell at this N.',
    measurements: { errorRate: { reference: 0.01, subject: 0.025 }, mdePct: 3 },
  },
  {
    ...base,
    checkId: 'CONF-API-001',
    title: 'Send response schema',
    suite: 'conformance',
    verdict: 'warn',
    cohort: 'meta-ai',
    reference: null,
    summary: 'Responses carry an undocumented field.',
    references: [{ source: 'WhatsApp Cloud API', clause: 'messages' }],
    measurements: { extraFields: ['x_debug'] },
  },
  {
    ...base,
    checkId: 'CONF-WH-001',
    title: 'Webhook handshake',
    suite: 'conformance',
    verdict: 'skip',
    cohort: null,
    reference: null,
    summary: 'Skipped: no webhook section in the config.',
    reason: 'no webhook section in the config',
    measurements: {},
  },
  {
    ...base,
    checkId: 'E2EE-SES-001',
    title: 'Session round trip',
    suite: 'e2ee',
    verdict: 'error',
    cohort: 'meta-ai',
    reference: null,
    summary: 'The relay reset the connection.',
    reason: 'ECONNRESET from the interop relay',
    evidence: ['e6', 'e-missing'],
    measurements: {},
  },
];

function results(): Results {
  return {
    schemaVersion: 1,
    tool: { name: 'dma-audit', version: '0.1.0' },
    run: {
      id: '2026-07-01T10-00-00Z-abc123',
      startedAt: '2026-07-01T10:00:00.000Z',
      finishedAt: '2026-07-01T10:01:30.500Z',
      status: 'complete',
      seed: 42,
      target: { name: 'Reference platform', scenario: 'self-preferencing' },
      cohorts: [
        { id: 'meta-ai', label: 'Meta AI (reference)', role: 'reference' },
        { id: 'assistant', label: 'Third-party assistant', role: 'subject' },
      ],
      analysis: testAnalysisContext({
        reference: { id: 'meta-ai', label: 'Meta AI (reference)' },
        subjects: [{ id: 'assistant', label: 'Third-party assistant' }],
      }),
      selection: {
        checks: ['PAR-*', 'CONF-*', 'E2EE-*'],
        descriptions: Object.fromEntries(CATALOGUE.map((check) => [check.id, check.description])),
      },
    },
    summary: { total: 8, byVerdict: { pass: 1, fail: 3, warn: 1, inconclusive: 1, skip: 1, error: 1 }, exitCode: 1 },
    // A copy: tests edit the findings of their view, and files may share this module (vitest isolate: false).
    findings: structuredClone(FINDINGS),
  };
}

/** Deterministic pseudo-random latencies (µs) around a median, so charts have a shape. */
function samples(variant: string, cohort: string, medianMs: number, startSeq: number): Observation[] {
  return Array.from({ length: 30 }, (_, i) => ({
    check: 'PAR-LAT-001',
    cohort,
    kind: 'latency',
    seq: startSeq + i,
    variant,
    round: i,
    outcome: 'ok' as const,
    latencyUs: Math.round(medianMs * 1000 * (0.7 + ((i * 7919) % 31) / 50)),
  }));
}

function entry(id: string, cohort: string, method: string, url: string, status: number): HarEntryView {
  return {
    _id: id,
    _cohort: cohort,
    _check: 'PAR-LAT-001',
    startedDateTime: '2026-07-01T10:00:01.000Z',
    time: 42.5,
    request: { method, url },
    response: { status, statusText: '' },
    timings: { blocked: 0, dns: -1, connect: 1, send: 0.5, wait: 40, receive: 1 },
  };
}

/** The fixture bundle as an in-memory view. */
export function fixtureView(): BundleView {
  const graph = 'http://127.0.0.1:4010/v24.0';
  return {
    results: results(),
    observations: [
      ...samples('text', 'meta-ai', 40, 0),
      ...samples('text', 'assistant', 78, 30),
      ...samples('image', 'meta-ai', 60, 60),
      ...samples('image', 'assistant', 61, 90),
    ],
    har: {
      log: {
        entries: [
          entry('e1', 'meta-ai', 'POST', `${graph}/1001/messages`, 200),
          entry('e2', 'assistant', 'POST', `${graph}/1002/messages?q=${HOSTILE}`, 200),
          entry('e3', 'assistant', 'POST', `${graph}/1002/messages`, 200),
          entry('e4', 'assistant', 'POST', `${graph}/1002/messages`, 400),
          entry('e5', 'assistant', 'POST', `${graph}/1002/messages`, 200),
          entry('e6', 'meta-ai', 'PUT', 'http://127.0.0.1:4011/v1/messages/15550001234', 0),
          entry('e7', 'meta-ai', 'GET', 'http://127.0.0.1:4011/v2/keys/15550001234/1', 200),
        ],
      },
      recorded: 7,
    },
  };
}

/** Writes the fixture bundle's three source files into `dir`, as the evidence writer would. */
export async function writeFixtureBundle(dir: string, view: BundleView = fixtureView()): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(view.results, null, 2)}\n`);
  await writeFile(join(dir, 'samples.ndjson'), view.observations.map((o) => JSON.stringify(o)).join('\n') + '\n');
  await writeFile(
    join(dir, 'exchanges.har'),
    JSON.stringify({ log: { version: '1.2', creator: { name: 'dma-audit', version: '0.1.0' }, ...view.har.log } }),
  );
}
