import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { loadConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/app/audit.js';
import { verifyBundle } from '../../src/app/audit.js';
import { simAuditConfig } from '../../src/sim/audit-config.js';
import { startSim } from '../../src/sim/server.js';
import { signatureHeader } from '../../src/webhook/signature.js';
import { conformanceChecks } from './index.js';
import { readHarDocument } from '../../src/evidence/bundle/index.js';

const CONF = ['CONF-API-001', 'CONF-API-002', 'CONF-WH-001', 'CONF-WH-002', 'CONF-WH-003', 'CONF-KEY-001'];
let key: SigningKey;
let outDir: string;

beforeAll(async () => {
  process.env.DMA_AUDIT_HOME = await mkdtemp(join(tmpdir(), 'dma-audit-home-'));
  key = await loadSigningKey();
  outDir = await mkdtemp(join(tmpdir(), 'dma-audit-conf-'));
});
afterAll(async () => rm(outDir, { recursive: true, force: true }));

describe('conformance against the built-in platform', () => {
  it('lists the checks in catalogue order', () => {
    expect(conformanceChecks.map((c) => c.id)).toEqual(CONF);
  });

  it('passes every CONF check per cohort on the compliant scenario', async () => {
    const { results, bundleDir } = await runAudit({
      scenario: 'compliant',
      checks: ['CONF-*'],
      seed: 5,
      outDir,
      signingKey: key,
    });
    const verdicts = results.findings.map(
      (f) => `${f.checkId}/${f.cohort}:${f.verdict}${f.verdict === 'pass' ? '' : ` ${f.summary}`}`,
    );
    expect(verdicts.filter((v) => !v.endsWith(':pass'))).toEqual([]);
    expect(new Set(results.findings.map((f) => f.checkId))).toEqual(new Set(CONF));
    expect(
      results.findings
        .filter((f) => f.checkId === 'CONF-WH-003')
        .map((f) => f.cohort)
        .sort(),
    ).toEqual(results.run.cohorts.map((c) => c.id).sort());
    const har = (await readHarDocument(bundleDir)) as unknown as {
      log: { entries: Array<{ _direction: string; _signature?: string; request: { url: string } }> };
    };
    const inbound = har.log.entries.filter((e) => e._direction === 'inbound');
    expect(inbound.some((e) => e._signature === 'valid')).toBe(true);
    expect(
      inbound
        .filter((e) => e.request.url.includes('hub.verify_token'))
        .every((e) => e.request.url.includes('hub.verify_token=%5BREDACTED%5D')),
    ).toBe(true);
    const report = await verifyBundle(bundleDir);
    expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.details.join('; ')}`)).toEqual([]);
  });

  it('rejects a webhook forged during a run, keeps it as evidence and fails CONF-WH-002 for the cohort it names', async () => {
    const sim = await startSim({ scenario: 'compliant', seed: 9 });
    try {
      const port = await freePort();
      const raw = simAuditConfig(sim) as { webhook: Record<string, unknown> };
      raw.webhook = { ...raw.webhook, listen: `127.0.0.1:${port}` };
      const assistant = sim.cohorts.find((c) => c.id === 'assistant');
      const forged = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '1', phone_number_id: assistant?.phoneNumberId },
                  statuses: [],
                },
              },
            ],
          },
        ],
      });
      let posted: Promise<number> | undefined;
      const onLog = (line: string): void => {
        if (!line.startsWith('CONF-API-001') || posted !== undefined) return;
        posted = fetch(`http://127.0.0.1:${port}/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signatureHeader('not-the-app-secret', forged),
          },
          body: forged,
        }).then((r) => r.status);
      };
      const { results, bundleDir } = await runAudit({
        config: loadConfig(raw, {}),
        checks: ['CONF-API-001', 'CONF-WH-002'],
        seed: 9,
        outDir,
        signingKey: key,
        onLog,
      });
      expect(await posted).toBe(401);
      const har = (await readHarDocument(bundleDir)) as unknown as {
        log: {
          entries: Array<{
            _id: string;
            _direction: string;
            _signature?: string;
            _cohort: string;
            response: { status: number };
          }>;
        };
      };
      const rejected = har.log.entries.filter((e) => e._direction === 'inbound' && e._signature === 'invalid');
      expect(rejected.map((e) => [e._cohort, e.response.status])).toEqual([['assistant', 401]]);
      const wh = results.findings.filter((f) => f.checkId === 'CONF-WH-002');
      expect(wh.map((f) => `${f.cohort}:${f.verdict}`).sort()).toEqual([
        'assistant:fail',
        'control:pass',
        'meta-ai:pass',
      ]);
      expect(wh.find((f) => f.cohort === 'assistant')?.evidence).toEqual([rejected[0]?._id]);
    } finally {
      await sim.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
