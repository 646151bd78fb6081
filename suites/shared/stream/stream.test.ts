import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/core/errors.js';
import type { Observation, Results } from '../../../src/core/types.js';
import { planAudit, recomputeRun, verifyBundle } from '../../../src/app/audit.js';
import { checkRecompute } from '../../../src/evidence/verify-recompute.js';
import { tempDir } from '../../../test/helpers.js';
import { findingOf, smallAudit, withoutRateLimit } from '../audit.test-helpers.js';
import { readHarDocument } from '../../../src/evidence/bundle/reader.js';

const STREAM_CHECKS = ['PAR-LAT-001', 'PAR-LAT-003', 'PAR-ERR-001', 'PAR-FEE-001'];

function readBundle(dir: string): { results: Results; samples: Observation[] } {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Observation);
  return { results, samples };
}

describe('the shared outbound stream with sequential looks', () => {
  it('records each send once for every check it serves, stops when decided, and its stop is evidence', async () => {
    const dir = tempDir();
    const { results, bundleDir } = await smallAudit(
      {
        scenario: withoutRateLimit('self-preferencing'),
        checks: STREAM_CHECKS,
        seed: 7,
        samples: 300,
        latencyRps: 60,
        latencyTypes: ['text'],
        design: 'sequential',
        maxSamples: 400,
      },
      dir,
    );
    const { samples } = readBundle(bundleDir);
    const sends = samples.filter((s) => s.kind === 'send' && (s.round ?? 0) >= 0);
    expect(new Set(sends.map((s) => JSON.stringify(s.metrics)))).toEqual(
      new Set([JSON.stringify(['PAR-LAT-001', 'PAR-ERR-001', 'PAR-FEE-001'])]),
    );
    const statuses = samples.filter((s) => s.kind === 'status');
    expect(new Set(statuses.map((s) => JSON.stringify(s.metrics)))).toEqual(
      new Set([JSON.stringify(['PAR-LAT-003', 'PAR-FEE-001'])]),
    );
    // No check sends traffic of its own: every message of the run is the stream's, recorded under PAR-LAT-001
    // (besides the engine's webhook set-up, CONF-WH-001).
    const har = await readHarDocument(bundleDir);
    const entries = har.log.entries as Array<{ _check?: string; _direction?: string }>;
    const checks = new Set(entries.filter((e) => e._direction === 'outbound').map((e) => e._check));
    expect([...checks].sort()).toEqual(['CONF-WH-001', 'PAR-LAT-001']);
    const slower = findingOf(results.findings, 'PAR-LAT-001', 'assistant', 'text');
    // The planted +30% is decided well before the cap, unless the machine is so loaded that the harness's own
    // slip swamps it (latency-sensitive; the stop and its replay below hold either way).
    const sequential = slower.measurements.sequential as { stopAtPairs: number; decision: string };
    expect(slower.verdict === 'fail' ? sequential.stopAtPairs : 0).toBeLessThan(400);
    expect(['fail', 'inconclusive']).toContain(slower.verdict);
    expect(findingOf(results.findings, 'PAR-FEE-001', 'assistant').verdict).toBe('fail');
    expect((await verifyBundle(bundleDir)).ok).toBe(true);

    const { results: recorded } = readBundle(bundleDir);
    const intact = checkRecompute(recorded, samples, recomputeRun);
    expect(intact.ok).toBe(true);
    // Cut short: the last batch of the stream is gone, so some comparison's stop is no longer where it was.
    const lastRound = Math.max(...sends.map((s) => s.round ?? 0));
    const cut = samples.filter((s) => (s.round ?? -1) < lastRound - 9 || s.round === undefined);
    const cutCheck = checkRecompute(recorded, cut, recomputeRun);
    expect(cutCheck.ok).toBe(false);
    const reasons = (observations: Observation[]): string[] =>
      recomputeRun(recorded, observations).flatMap((f) => (f.verdict === 'error' ? [f.reason] : []));
    expect(reasons(cut).join('\n')).toMatch(/rounds of 'text' the outbound stream recorded for .*: cut short/);
    // Reordered: two sends swap places in the file.
    const first = samples.findIndex((s) => s.kind === 'send' && s.round === 0);
    const later = samples.findIndex((s) => s.kind === 'send' && s.round === 5);
    const reordered = [...samples];
    [reordered[first], reordered[later]] = [samples[later] as Observation, samples[first] as Observation];
    const reorderCheck = checkRecompute(recorded, reordered, recomputeRun);
    expect(reorderCheck.ok).toBe(false);
    expect(reasons(reordered).join('\n')).toMatch(/out of recorded order/);
  });

  it('lets PAR-ERR-001 pass with no error on either side', async () => {
    const { results } = await smallAudit({
      scenario: withoutRateLimit('compliant'),
      checks: ['PAR-ERR-001'],
      seed: 8,
      samples: 300,
      latencyRps: 900,
      design: 'sequential',
      maxSamples: 600,
    });
    for (const cohort of ['assistant', 'control']) {
      const finding = findingOf(results.findings, 'PAR-ERR-001', cohort);
      expect(finding.verdict).toBe('pass');
      expect((finding.measurements.errors as { subject: number }).subject).toBe(0);
      expect((finding.measurements.sequential as { stopAtPairs: number }).stopAtPairs).toBeLessThan(600);
    }
  });
});

describe('run --dry-run', () => {
  async function countingTarget(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, count: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  function config(url: string, limits: Record<string, number>) {
    return loadConfig(
      {
        target: { name: 'counting', businessApi: { kind: 'whatsapp-cloud', baseUrl: url, apiVersion: 'v24.0' } },
        cohorts: [
          { id: 'ref', label: 'Reference', role: 'reference', token: 'reference-token-1', phoneNumberId: '1' },
          { id: 'sub', label: 'Subject', role: 'subject', token: 'subject-token-2', phoneNumberId: '2' },
        ],
        recipient: { waId: '15550001234' },
        limits,
        analysis: { maxSamples: 100, warmup: 2 },
      },
      {},
    );
  }

  it('plans the run per cohort and in all and sends nothing', async () => {
    const target = await countingTarget();
    try {
      const { plan, text } = await planAudit({ config: config(target.url, { maxRps: 50, maxRequests: 5000 }) });
      const lat = plan.checks.find((c) => c.id === 'PAR-LAT-001')?.plan;
      // Text (100) + ten other types (15 each) + 2 warm-up rounds, per cohort.
      expect(lat?.requestsPerCohort).toEqual({ ref: 252, sub: 252 });
      expect(plan.requestsPerCohort.ref).toBeGreaterThanOrEqual(252);
      expect(text).toMatch(/PAR-ERR-001 {2}its traffic is PAR-LAT-001's outbound stream/);
      expect(text).toMatch(/detectable at the cap: text latency: \d+\.\d% slower/);
      expect(target.count()).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('refuses a plan that cannot fit the limits, naming the limit and the figure', async () => {
    const target = await countingTarget();
    try {
      const run = planAudit({
        config: config(target.url, { maxRps: 50, maxRequests: 500, maxRequestsPerCohort: 250 }),
      });
      await expect(run).rejects.toBeInstanceOf(ConfigError);
      const error = (await run.catch((e: unknown) => e)) as ConfigError;
      expect(error.problems).toContain('limits.maxRequests: the plan can send 504 requests, the limit is 500');
      expect(error.problems).toContain(
        'limits.maxRequestsPerCohort: the plan can send 252 requests for ref, the limit is 250',
      );
      expect(target.count()).toBe(0);
    } finally {
      await target.close();
    }
  });
});
