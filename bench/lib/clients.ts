/**
 * Three ways to time the same request against the same sim endpoint: dma-audit's own harness (a
 * PAR-LAT-001 run), a bare node:http client on a keep-alive agent, and autocannon. Each offers the
 * same open-loop rate; the bare client and autocannon time from send to last byte.
 */
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../../src/config/load.js';
import { createClock } from '../../src/core/clock.js';
import { runAudit } from '../../src/app/audit.js';
import { simAuditConfig } from '../../src/sim/audit-config.js';
import type { RunningSim } from '../../src/sim/server.js';
import type { Results } from '../../src/core/types.js';
import { testSigningKey } from '../../suites/shared/audit.test-helpers.js';

/** One client's latencies (ms) and, for the harness, its schedule slip. */
export interface ClientRun {
  latenciesMs: number[];
  slip?: { p50Us: number; p99Us: number; maxUs: number };
  eventLoopDelayMs?: { p50: number; p99: number; max: number };
}

/** The reference cohort's send-message request against `sim`. */
export function sendRequest(sim: RunningSim): { url: string; headers: Record<string, string>; body: string } {
  const cohort = sim.cohorts.find((c) => c.role === 'reference') ?? sim.cohorts[0];
  return {
    url: `${sim.urls.businessApi}/${sim.apiVersion}/${cohort?.phoneNumberId ?? ''}/messages`,
    headers: { authorization: `Bearer ${cohort?.token ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: sim.recipient,
      type: 'text',
      text: { body: 'dma-audit bench' },
    }),
  };
}

/** PAR-LAT-001 (text) through runAudit against the running sim, all three cohorts interleaved at `ratePerSec`. */
export async function harnessRun(sim: RunningSim, samples: number, ratePerSec: number): Promise<ClientRun> {
  const outDir = await mkdtemp(join(tmpdir(), 'dma-audit-bench-'));
  try {
    const raw = simAuditConfig(sim) as { limits: Record<string, unknown>; analysis?: Record<string, unknown> };
    raw.limits = { ...raw.limits, maxRps: Math.max(200, ratePerSec * 2) };
    raw.analysis = { samples, warmup: 10, latencyRps: ratePerSec, bootstrapResamples: 100, latencyTypes: ['text'] };
    const { bundleDir, results } = await runAudit({
      config: loadConfig(raw, {}),
      checks: ['PAR-LAT-001'],
      seed: 1,
      outDir,
      signingKey: await testSigningKey(),
    });
    const lines = (await readFile(join(bundleDir, 'samples.ndjson'), 'utf8')).split('\n').filter((line) => line !== '');
    const latenciesMs = lines
      .map((line) => JSON.parse(line) as { kind: string; outcome?: string; round?: number; latencyUs?: number })
      .filter((o) => o.kind === 'latency' && o.outcome === 'ok' && (o.round ?? 0) >= 0)
      .map((o) => (o.latencyUs ?? 0) / 1000);
    return {
      latenciesMs,
      ...slipOf(results),
      ...(results.run.eventLoopDelayMs === undefined ? {} : { eventLoopDelayMs: results.run.eventLoopDelayMs }),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** A bare node:http client on one keep-alive agent, open loop at `ratePerSec`, timed from send to the last byte. */
export async function bareRun(sim: RunningSim, count: number, ratePerSec: number): Promise<ClientRun> {
  const { url, headers, body } = sendRequest(sim);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const clock = createClock();
  const start = clock.now() + 10e6;
  const pending: Array<Promise<number>> = [];
  for (let i = 0; i < count; i += 1) {
    await clock.sleepUntil(start + (i * 1e9) / ratePerSec);
    pending.push(timeOne(url, headers, body, agent, clock.now));
  }
  const latenciesMs = await Promise.all(pending);
  agent.destroy();
  return { latenciesMs };
}

/** autocannon at `ratePerSec` over `connections` keep-alive connections, per-response times from its `response` events. */
export async function autocannonRun(
  sim: RunningSim,
  count: number,
  ratePerSec: number,
  connections = 4,
): Promise<ClientRun> {
  const { url, headers, body } = sendRequest(sim);
  const latenciesMs: number[] = [];
  const instance = autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections,
    overallRate: ratePerSec,
    amount: count,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === 200) latenciesMs.push(responseTime);
  });
  await instance;
  return { latenciesMs };
}

function timeOne(
  url: string,
  headers: Record<string, string>,
  body: string,
  agent: http.Agent,
  now: () => number,
): Promise<number> {
  return new Promise((resolve) => {
    const sent = now();
    const request = http.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent },
      (response) => {
        response.resume();
        response.on('end', () => resolve((now() - sent) / 1e6));
      },
    );
    request.on('error', () => resolve(Number.NaN));
    request.end(body);
  });
}

function slipOf(results: Results): Pick<ClientRun, 'slip'> {
  const slip = results.findings[0]?.measurements.scheduleSlipUs as ClientRun['slip'] | undefined;
  return slip === undefined ? {} : { slip };
}
