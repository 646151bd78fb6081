// Record once, render many: the reports a real run writes into its bundle are reproduced byte for byte.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { runAudit, type RunResult } from '../app/audit.js';
import { keyIdOf } from '../evidence/keys.js';
import { verifyBundle } from '../app/audit.js';
import { simAuditConfig } from '../sim/audit-config.js';
import { startSim } from '../sim/server.js';
import { readBundleView } from './read-bundle.js';
import { REPORTERS } from './reporters.js';
import { reproductions } from './repro.js';
import { renderBundle, writeBundleReports } from './write.js';

let outDir: string;
let run: RunResult;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'dma-report-run-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signingKey = {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
    isNew: false,
  };
  // A fast probe rate and the fewest samples a comparison takes keep this run to a few seconds.
  const sim = await startSim({ scenario: 'self-preferencing', seed: 5 });
  try {
    const raw = simAuditConfig(sim) as { analysis?: object; limits?: object };
    const config = loadConfig(
      {
        ...raw,
        analysis: { ...raw.analysis, samples: 10, warmup: 1, latencyRps: 400 },
        limits: { ...raw.limits, maxRps: 1000 },
      },
      {},
    );
    run = await runAudit({
      config,
      checks: ['PAR-LAT-001'],
      seed: 5,
      outDir,
      signingKey,
      renderReports: async (dir) => {
        await writeBundleReports(dir, await readBundleView(dir));
      },
    });
  } finally {
    await sim.close();
  }
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('reports of a real run', () => {
  it('are reproduced exactly from the bundle, so `report` leaves the signed bundle untouched', async () => {
    const result = await renderBundle(run.bundleDir);
    expect(result.isUnchanged).toBe(true);
    const report = await verifyBundle(run.bundleDir);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("render the same results.json the run wrote and the same HTML from the run's results", async () => {
    const view = await readBundleView(run.bundleDir);
    expect(await REPORTERS.json.render({ ...view, results: run.results })).toBe(
      await readFile(join(run.bundleDir, 'results.json'), 'utf8'),
    );
    const html = await readFile(join(run.bundleDir, 'report.html'), 'utf8');
    expect(await REPORTERS.html.render({ ...view, results: run.results })).toBe(html);
    expect(html).toContain('<figure class="chart ecdf"><svg');
    expect(html).toMatch(/<tr id="har-[^"]+"><td><code>/);
  });

  it('keeps each reproduction script in the bundle byte-identical to a fresh render', async () => {
    const repros = reproductions(await readBundleView(run.bundleDir));
    for (const repro of repros) expect(await readFile(join(run.bundleDir, repro.fileName), 'utf8')).toBe(repro.script);
  });
});
