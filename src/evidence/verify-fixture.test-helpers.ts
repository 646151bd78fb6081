/** A small, complete, signed bundle written by hand, for the evidence tests. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recomputeRun } from '../app/audit.js';
import type { AnalysisContext } from '../engine/check.js';
import type { Finding, Observation, Results } from '../core/types.js';
import { TOOL } from '../core/version.js';
import { encodeHarGz, writeBundle } from './bundle/index.js';
import { keyIdOf, type SigningKey } from './keys.js';
import { attestBundle } from './sign.js';
import { MANIFEST_FILE, sha256Hex, type BundleManifest } from './verify-manifest.js';
import { testAnalysisContext } from '../engine/analysis-context.test-helpers.js';

/** A fresh Ed25519 signing key that never touches the user's key folder. */
export function testKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
    isNew: false,
  };
}

const FINDINGS: Finding[] = [
  {
    checkId: 'PAR-LAT-001',
    title: 'Send-message latency',
    suite: 'parity',
    variant: 'text',
    verdict: 'fail',
    cohort: 'assistant',
    reference: 'meta-ai',
    references: [{ source: 'DMA', clause: 'Art. 6(5)' }],
    summary: 'Text messages are 38 ms slower for the assistant.',
    evidence: ['ex-000000', 'ex-000001'],
    measurements: {
      medianMs: { reference: 40, subject: 78 },
      p95Ms: { reference: 60, subject: 117 },
      shift: { estimateMs: 38, ciLowMs: 31, ciHighMs: 44 },
    },
  },
  {
    checkId: 'CONF-WH-001',
    title: 'Webhook handshake',
    suite: 'conformance',
    verdict: 'skip',
    cohort: null,
    reference: null,
    references: [{ source: 'WhatsApp Cloud API', clause: 'webhooks' }],
    summary: 'Skipped: no webhook section.',
    reason: 'no webhook section',
    measurements: {},
    evidence: [],
  },
];

/** results.json of the fixture run. */
export function fixtureResults(findings: Finding[] = FINDINGS): Results {
  return {
    schemaVersion: 1,
    tool: { ...TOOL },
    run: {
      id: 'run-fixture-1',
      startedAt: '2026-07-01T10:00:00.000Z',
      finishedAt: '2026-07-01T10:01:00.000Z',
      status: 'complete',
      seed: 7,
      target: { name: 'Reference platform', scenario: 'self-preferencing' },
      cohorts: [
        { id: 'meta-ai', label: 'Meta AI', role: 'reference' },
        { id: 'assistant', label: 'Assistant', role: 'subject' },
      ],
      analysis: testAnalysisContext({
        reference: { id: 'meta-ai', label: 'Meta AI' },
        subjects: [{ id: 'assistant', label: 'Assistant' }],
      }),
      selection: { checks: ['PAR-LAT-001', 'CONF-WH-001'] },
    },
    summary: {
      total: findings.length,
      byVerdict: { pass: 0, fail: 1, warn: 0, inconclusive: 0, skip: 1, error: 0 },
      exitCode: 1,
    },
    findings,
  };
}

const SAMPLES: Observation[] = [
  {
    check: 'PAR-LAT-001',
    cohort: 'meta-ai',
    kind: 'latency',
    seq: 0,
    variant: 'text',
    round: 0,
    latencyUs: 40_000,
    outcome: 'ok',
    exchanges: ['ex-000000'],
  },
  {
    check: 'PAR-LAT-001',
    cohort: 'assistant',
    kind: 'latency',
    seq: 1,
    variant: 'text',
    round: 0,
    latencyUs: 78_000,
    outcome: 'ok',
    exchanges: ['ex-000001'],
  },
];

function harEntry(id: string, cohort: string, phoneNumberId: string): object {
  return {
    _id: id,
    _cohort: cohort,
    _check: 'PAR-LAT-001',
    startedDateTime: '2026-07-01T10:00:01.000Z',
    time: 40,
    request: {
      method: 'POST',
      url: `http://127.0.0.1:4010/v24.0/${phoneNumberId}/messages`,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [
        { name: 'authorization', value: '[REDACTED]' },
        { name: 'content-type', value: 'application/json' },
      ],
      queryString: [],
      postData: { mimeType: 'application/json', text: '{"type":"text"}' },
      headersSize: -1,
      bodySize: 15,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      redirectURL: '',
      headersSize: -1,
      bodySize: 2,
      headers: [{ name: 'x-hub-signature-256', value: `sha256=${sha256Hex(id)}` }],
      content: { size: 2, mimeType: 'application/json', text: '{}' },
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: 39, receive: 1 },
  };
}

/** exchanges.har of the fixture run. */
export function fixtureHar(): { log: { version: string; creator: object; entries: object[] } } {
  return {
    log: {
      version: '1.2',
      creator: { ...TOOL },
      entries: [harEntry('ex-000000', 'meta-ai', '1001'), harEntry('ex-000001', 'assistant', '1002')],
    },
  };
}

/** Writes manifest.json over every file in `dir` except manifest.json and attestation.json. */
export async function writeManifest(dir: string, results: Results = fixtureResults()): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name !== MANIFEST_FILE && name !== 'attestation.json').sort();
  const files = await Promise.all(
    names.map(async (path) => {
      const bytes = await readFile(join(dir, path));
      return { path, sha256: sha256Hex(bytes), bytes: bytes.length };
    }),
  );
  const manifest: BundleManifest = {
    schemaVersion: 1,
    tool: { ...TOOL },
    runId: results.run.id,
    createdAt: '2026-07-01T10:01:01.000Z',
    seed: results.run.seed,
    configDigest: null,
    files,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** What a fixture bundle may be built from. */
export interface FixtureOptions {
  results?: Results;
  observations?: Observation[];
  har?: object;
  key?: SigningKey;
}

/** Writes a complete signed bundle into a new temp folder and returns the folder and its key. */
export async function writeSignedBundle(options: FixtureOptions = {}): Promise<{ dir: string; key: SigningKey }> {
  const dir = await mkdtemp(join(tmpdir(), 'dma-audit-bundle-'));
  const results = options.results ?? fixtureResults();
  const key = options.key ?? testKey();
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(
    join(dir, 'samples.ndjson'),
    `${(options.observations ?? SAMPLES).map((o) => JSON.stringify(o)).join('\n')}\n`,
  );
  await writeFile(
    join(dir, 'exchanges.har.gz'),
    encodeHarGz((options.har ?? fixtureHar()) as Parameters<typeof encodeHarGz>[0]),
  );
  await writeFile(join(dir, 'report.md'), `# dma-audit run ${results.run.id}\n\n1 failing finding.\n`);
  await writeFile(
    join(dir, 'report.html'),
    `<!doctype html><title>${results.run.id}</title><p>1 failing finding.</p>\n`,
  );
  await writeFile(join(dir, 'junit.xml'), '<?xml version="1.0"?>\n<testsuites tests="2" failures="1"></testsuites>\n');
  await writeManifest(dir, results);
  await attestBundle(dir, key);
  return { dir, key };
}

/** A recompute that returns the recorded findings: for tests of everything but the analysis. */
export const echoRecompute = (results: Results): Finding[] => structuredClone(results.findings);

const ANALYSIS: AnalysisContext = {
  analysis: {
    alpha: 0.01,
    latencyMarginPct: 10,
    samples: 40,
    warmup: 0,
    latencyRps: 5,
    rateMarginPct: 10,
    feeProbeMessages: 10,
    bootstrapResamples: 200,
  },
  reference: { id: 'meta-ai', label: 'Meta AI' },
  subjects: [{ id: 'assistant', label: 'Assistant' }],
  seed: 7,
  target: { feeHeaders: [], pinnedIdentityKey: null },
};

/**
 * Deterministic PAR-LAT-001 latencies, as the outbound stream records them (its plan, 40 rounds of
 * sends, its stop; fixed design): the subject's are twice the reference's, so PAR-LAT-001 fails.
 */
export function latencySamples(): Observation[] {
  const plan = {
    stream: 'outbound',
    design: 'fixed',
    metrics: ['PAR-LAT-001'],
    variants: ['text'],
    timedTypes: ['text'],
    warmupRounds: 0,
    maxRounds: { text: 40 },
    lookEvery: 10,
    comparisons: 1,
    failAlphas: { text: 0.01 },
    passAlpha: 0.01,
    failRule: 'significant-and-beyond',
    ratePerSec: 30,
    feeRounds: 20,
  };
  const sends = Array.from({ length: 80 }, (_, i): Observation => {
    const cohort = i % 2 === 0 ? 'meta-ai' : 'assistant';
    const baseUs = 40_000 + ((i * 7919) % 97) * 100;
    return {
      check: 'PAR-LAT-001',
      metrics: ['PAR-LAT-001'],
      variant: 'text',
      cohort,
      kind: 'send',
      seq: i + 1,
      round: Math.floor(i / 2),
      outcome: 'ok',
      latencyUs: cohort === 'meta-ai' ? baseUs : baseUs * 2,
    };
  });
  return [
    { check: 'PAR-LAT-001', metrics: ['PAR-LAT-001'], cohort: '*', kind: 'stream-plan', seq: 0, data: plan },
    ...sends,
    {
      check: 'PAR-LAT-001',
      metrics: ['PAR-LAT-001'],
      cohort: '*',
      kind: 'stream-stop',
      seq: 81,
      data: { stream: 'outbound', variant: 'text', rounds: 40, reason: 'cap' },
    },
  ];
}

/** A signed bundle written by the evidence writer whose findings come from the engine's own analysis. */
export async function writeEngineBundle(): Promise<{ dir: string; results: Results; key: SigningKey }> {
  const observations = latencySamples();
  const draft = fixtureResults();
  const run = {
    ...draft.run,
    analysis: ANALYSIS,
    selection: { checks: ['PAR-LAT-001'] },
  };
  const findings = recomputeRun({ ...draft, run, findings: [] }, observations);
  const byVerdict = { pass: 0, fail: 0, warn: 0, inconclusive: 0, skip: 0, error: 0 };
  for (const finding of findings) byVerdict[finding.verdict] += 1;
  const results: Results = {
    ...draft,
    run,
    findings,
    summary: { total: findings.length, byVerdict, exitCode: byVerdict.fail > 0 ? 1 : 0 },
  };
  const dir = await mkdtemp(join(tmpdir(), 'dma-audit-real-'));
  const key = testKey();
  await writeBundle(dir, { results, observations, exchanges: [], configDigest: null }, { key });
  return { dir, results, key };
}
