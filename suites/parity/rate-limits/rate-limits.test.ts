import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { runAudit } from '../../../src/app/audit.js';
import type { SigningKey } from '../../../src/evidence/keys.js';
import { simAuditConfig } from '../../../src/sim/audit-config.js';
import { startSim } from '../../../src/sim/server.js';
import type { Finding } from '../../../src/core/types.js';
import { simConfig, tempDir, testSigningKey } from '../../../test/helpers.js';
import type { ThrottleEstimate } from './estimate.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

async function audit(scenario: string, seed: number): Promise<Finding[]> {
  const sim = await startSim({ scenario, seed });
  try {
    const { results } = await runAudit({
      config: simConfig(sim, { limits: { maxRps: 600 } }),
      checks: ['PAR-RL-*'],
      seed,
      outDir: tempDir(),
      signingKey,
      isQuick: true,
    });
    return results.findings;
  } finally {
    await sim.close();
  }
}

const pick = (findings: Finding[], check: string, cohort: string, variant?: string): Finding | undefined =>
  findings.find((f) => f.checkId === check && f.cohort === cohort && f.variant === variant);
const estimates = (finding: Finding | undefined): { reference: ThrottleEstimate; subject: ThrottleEstimate } =>
  finding?.measurements.estimates as unknown as { reference: ThrottleEstimate; subject: ThrottleEstimate };

describe('PAR-RL-001 and PAR-RL-002 on the throttled platform', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await audit('throttled', 3);
  });

  it('fails the advertised limits of the assistant, naming 15 against 60', () => {
    expect(pick(findings, 'PAR-RL-001', 'assistant')?.verdict).toBe('fail');
    expect(pick(findings, 'PAR-RL-001', 'assistant')?.summary).toContain(
      'RateLimit-Policy:burst 15 per 1 s vs 60 per 1 s',
    );
    expect(pick(findings, 'PAR-RL-001', 'control')?.verdict).toBe('pass');
  });

  it('estimates both planted buckets within 20% and fails the assistant on rate and burst', () => {
    const rate = pick(findings, 'PAR-RL-002', 'assistant', 'rate');
    const burst = pick(findings, 'PAR-RL-002', 'assistant', 'burst');
    expect([rate?.verdict, burst?.verdict]).toEqual(['fail', 'fail']);
    const { reference, subject } = estimates(rate);
    expect(subject.rate?.estimate).toBeGreaterThan(12);
    expect(subject.rate?.estimate).toBeLessThan(18);
    expect(subject.burst?.estimate).toBeGreaterThan(12);
    expect(subject.burst?.estimate).toBeLessThan(18);
    expect(reference.rate?.estimate).toBeGreaterThan(48);
    expect(reference.rate?.estimate).toBeLessThan(72);
    expect(reference.burst?.estimate).toBeGreaterThan(48);
    expect(reference.burst?.estimate).toBeLessThan(72);
    expect(subject.stopReason).toBe('sustained throttling');
  });

  it('never fails the control', () => {
    const control = findings.filter((f) => f.cohort === 'control').map((f) => f.verdict);
    expect(control).toHaveLength(3);
    expect(control).not.toContain('fail');
  });
});

describe('fair platforms', () => {
  for (const scenario of ['compliant', 'flaky-but-fair']) {
    it(`${scenario}: no rate-limit check fails`, async () => {
      const findings = await audit(scenario, 4);
      expect(findings).toHaveLength(6);
      expect(findings.filter((f) => f.verdict === 'fail').map((f) => f.summary)).toEqual([]);
      const { subject } = estimates(pick(findings, 'PAR-RL-002', 'assistant', 'rate'));
      expect(subject.rate?.estimate).toBeGreaterThan(48);
    });
  }
});

/** A loopback proxy in front of the sim that timestamps every request arriving at the platform. */
async function arrivalRecorder(target: string): Promise<{ url: string; arrivals: number[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const arrivals: number[] = [];
  const server: Server = createServer((req, res) => {
    arrivals.push(performance.now());
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('the probe stays within the budget', () => {
  it('never exceeds limits.maxRps in any one-second window nor limits.maxRequests, counted at the platform', async () => {
    const sim = await startSim({ scenario: 'compliant', seed: 9 });
    const proxy = await arrivalRecorder(sim.urls.base);
    try {
      const raw = simAuditConfig(sim) as { target: { businessApi: { baseUrl: string } } };
      raw.target.businessApi.baseUrl = `${proxy.url}/graph`;
      const loaded = loadConfig({ ...raw, limits: { maxRps: 90, maxRequests: 400 } }, {});
      await runAudit({ config: loaded, checks: ['PAR-RL-002'], seed: 9, outDir: tempDir(), signingKey, isQuick: true });
      const total = Object.values(sim.context.requestCounts()).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(50);
      // Every arrival counts, the preflight GET of the business API's base URL (not a platform route) included.
      expect(proxy.arrivals).toHaveLength(total + 1);
      expect(proxy.arrivals.length).toBeLessThanOrEqual(400);
      const sorted = [...proxy.arrivals].sort((a, b) => a - b);
      const busiest = Math.max(...sorted.map((t, i) => sorted.filter((u, j) => j >= i && u < t + 1000).length));
      expect(busiest).toBeLessThanOrEqual(90);
      expect(busiest).toBeGreaterThan(30);
    } finally {
      await proxy.close();
      await sim.close();
    }
  });
});
