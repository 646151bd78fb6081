import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { runAudit } from '../../src/app/audit.js';
import { packagePath } from '../../src/core/paths.js';

const scenarios = readdirSync(packagePath('fixtures', 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));
let key: SigningKey;
let outDir: string;

beforeAll(async () => {
  process.env.DMA_AUDIT_HOME = await mkdtemp(join(tmpdir(), 'dma-audit-home-'));
  key = await loadSigningKey();
  outDir = await mkdtemp(join(tmpdir(), 'dma-audit-conf-scn-'));
});
afterAll(async () => rm(outDir, { recursive: true, force: true }));

describe('no shipped scenario plants a conformance violation, so no CONF check may fail on any of them', () => {
  it.each(scenarios)('%s', async (scenario) => {
    const { results } = await runAudit({
      scenario,
      checks: ['CONF-*'],
      seed: 11,
      outDir,
      signingKey: key,
      isQuick: true,
    });
    const failed = results.findings
      .filter((f) => f.verdict === 'fail' || f.verdict === 'error')
      .map((f) => `${f.checkId}/${f.cohort}: ${f.summary}`);
    expect(failed).toEqual([]);
    expect(results.findings.filter((f) => f.checkId === 'CONF-WH-001').every((f) => f.verdict === 'pass')).toBe(true);
  });
});
