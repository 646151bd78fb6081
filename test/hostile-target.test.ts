import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { runAudit } from '../src/app/audit.js';
import type { SigningKey } from '../src/evidence/keys.js';
import { verifyBundle } from '../src/app/audit.js';
import { startSim } from '../src/sim/server.js';
import { readAllFiles, simConfig, tempDir, testSigningKey } from './helpers.js';
import { secretForms } from './hostile/harness.js';

const CANARY = 'canary-7f3a9c1e5b2d4f60';
const CANARY_SECRET = 'canary-app-secret-91ad2e';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

/** A target that echoes credentials back, answers garbage, resets and stalls: everything must become evidence. */
function hostileServer(): Promise<{ server: Server; url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const n = count % 5;
    if (n === 0) return void req.socket.destroy();
    if (n === 1) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-auth': req.headers.authorization ?? '' });
      return void res.end(JSON.stringify({ messages: [{ id: 'wamid.x' }], echoed: req.headers.authorization }));
    }
    if (n === 2) {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end('{"error": not json');
    }
    if (n === 3) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(`{"pad":"${'x'.repeat(1_200_000)}"}`);
    }
    res.writeHead(302, { location: 'http://example.invalid/steal' });
    res.end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count }),
    ),
  );
}

describe('secrets and hostile targets', () => {
  let hostile: Awaited<ReturnType<typeof hostileServer>>;
  beforeAll(async () => {
    hostile = await hostileServer();
  });
  afterAll(() => new Promise<void>((resolve) => hostile.server.close(() => resolve())));

  it('records a hostile target as evidence, finishes, keeps the canary token off disk and verifies', async () => {
    const config = loadConfig(
      {
        target: { name: 'hostile', businessApi: { kind: 'whatsapp-cloud', baseUrl: hostile.url, timeoutMs: 2000 } },
        cohorts: [
          { id: 'meta-ai', role: 'reference', token: 'env:REF', phoneNumberId: '1' },
          { id: 'assistant', role: 'subject', token: 'env:SUB', phoneNumberId: '2' },
        ],
        recipient: { waId: '15550001234' },
        limits: { maxRps: 200, maxRequests: 400 },
        analysis: { design: 'fixed', samples: 20, warmup: 0, latencyRps: 100, latencyTypes: ['text'] },
      },
      { REF: CANARY, SUB: `${CANARY}-sub` },
    );
    const { results, bundleDir } = await runAudit({
      config,
      checks: ['PAR-LAT-001'],
      seed: 1,
      outDir: tempDir(),
      signingKey,
    });
    // 40 audited sends plus the one preflight GET of the business API's base URL.
    expect(hostile.requests()).toBe(41);
    expect(results.run.status).toBe('complete');
    expect(results.findings.map((f) => f.verdict).every((v) => v !== 'pass')).toBe(true);
    const files = readAllFiles(bundleDir);
    expect(files.map((f) => f.path.split('/').pop()).sort()).toContain('exchanges.har.gz');
    for (const file of files) expect(file.text.includes(CANARY), `${file.path} contains the canary`).toBe(false);
    const har = files.find((f) => f.path.endsWith('exchanges.har.gz'))?.text ?? '';
    expect(har).toContain('"_outcome":"reset"');
    expect(har).toContain('truncated: 1200010 bytes received');
    expect((await verifyBundle(bundleDir)).ok).toBe(true);
  });

  it('keeps sim tokens and the webhook secret off disk in a full run', async () => {
    const sim = await startSim({
      scenario: 'compliant',
      seed: 3,
      tokens: { 'meta-ai': { token: CANARY, interopToken: `${CANARY}-interop` } },
      appSecret: CANARY_SECRET,
    });
    try {
      const config = simConfig(sim, { analysis: { samples: 20, latencyRps: 150, feeProbeMessages: 10 } });
      const { bundleDir } = await runAudit({ config, seed: 3, outDir: tempDir(), signingKey, isQuick: true });
      for (const file of readAllFiles(bundleDir)) {
        for (const form of [...secretForms(CANARY), ...secretForms(CANARY_SECRET)])
          expect(file.text.includes(form), `${file.path} contains a form of a canary`).toBe(false);
      }
    } finally {
      await sim.close();
    }
  }, 180_000);
});
