import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { runAudit } from '../../src/engine/run.js';
import { conformanceChecks } from './index.js';

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
    const { results, bundleDir } = await runAudit({ scenario: 'compliant', checks: ['CONF-*'], seed: 5, outDir, signingKey: key });
    const verdicts = results.findings.map((f) => `${f.checkId}/${f.cohort}:${f.verdict}${f.verdict === 'pass' ? '' : ` ${f.summary}`}`);
    expect(verdicts.filter((v) => !v.endsWith(':pass'))).toEqual([]);
    expect(new Set(results.findings.map((f) => f.checkId))).toEqual(new Set(CONF));
    expect(results.findings.filter((f) => f.checkId === 'CONF-WH-003').map((f) => f.cohort).sort()).toEqual(results.run.cohorts.map((c) => c.id).sort());
    const har = JSON.parse(await readFile(join(bundleDir, 'exchanges.har'), 'utf8')) as { log: { entries: Array<{ _direction: string; _signature?: string; request: { url: string } }> } };
    const inbound = har.log.entries.filter((e) => e._direction === 'inbound');
    expect(inbound.some((e) => e._signature === 'valid')).toBe(true);
    expect(inbound.filter((e) => e.request.url.includes('hub.verify_token')).every((e) => e.request.url.includes('hub.verify_token=%5BREDACTED%5D'))).toBe(true);
  });
});
