/**
 * (g) merge streams: three synthetic bundles of 60,000 samples each (PAR-LAT-001, three cohorts) are merged by
 * the real binary, and its peak resident set (VmHWM) is read from /proc while it runs. The target:
 * ≤ 400 MB. The baseline is the same binary verifying one input bundle, in the same process tree.
 * Needs a build first (`npx tsc -p tsconfig.build.json`). Knob: BENCH_MERGE_SAMPLES (60000 per bundle).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { recomputeRun, runAudit } from '../src/app/audit.js';
import { createRng } from '../src/core/rng.js';
import type { Observation, Results } from '../src/core/types.js';
import { writeBundle } from '../src/evidence/bundle/index.js';
import { loadSigningKey, type SigningKey } from '../src/evidence/keys.js';
import { summarise } from '../src/engine/run.js';
import { printTable } from './lib/table.js';

const SAMPLES = Number(process.env.BENCH_MERGE_SAMPLES ?? 60_000);
const BIN = new URL('../bin/dma-audit.js', import.meta.url).pathname;
const COHORTS = ['meta-ai', 'assistant', 'control'];

test('merging three bundles of 60,000 samples each stays within 400 MB RSS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dma-audit-bench-merge-'));
  const key = await loadSigningKey(undefined, { DMA_AUDIT_HOME: join(dir, 'home') });
  const keyFile = join(dir, 'sign.pem');
  writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  // A real (tiny) run gives the shape: analysis context, cohorts, selection. Its samples are then replaced.
  const template = await runAudit({
    scenario: 'compliant',
    checks: ['PAR-LAT-001'],
    isQuick: true,
    samples: 20,
    seed: 1,
    outDir: join(dir, 'template'),
    signingKey: key,
  });
  const bundles: string[] = [];
  for (const [i, vantage] of ['de-fra', 'fr-par', 'pl-waw'].entries()) {
    bundles.push(await syntheticBundle(dir, template.results, vantage, i, key));
  }
  const verifyOne = await peakRss(['verify', bundles[0] ?? '']);
  const merge = await peakRss(['merge', ...bundles, '--out', join(dir, 'merged'), '--sign-key', keyFile, '--json']);
  printTable(
    `(d) peak RSS of the dma-audit process, ${SAMPLES.toLocaleString('en')} samples per bundle`,
    ['command', 'exit', 'peak RSS (MB)', 'wall (s)', 'ratio to verify of one input'],
    [
      ['verify one input bundle', String(verifyOne.code), mb(verifyOne.peakKb), secs(verifyOne.ms), '1.00'],
      [
        'merge three bundles',
        String(merge.code),
        mb(merge.peakKb),
        secs(merge.ms),
        (merge.peakKb / verifyOne.peakKb).toFixed(2),
      ],
    ],
  );
  expect(verifyOne.code).toBe(0);
  expect([0, 1, 3]).toContain(merge.code);
  expect(merge.peakKb / 1024).toBeLessThanOrEqual(400);
});

/** A signed bundle whose results are this version's analysis of synthetic samples (so it verifies). */
async function syntheticBundle(
  dir: string,
  template: Results,
  vantage: string,
  index: number,
  key: SigningKey,
): Promise<string> {
  const rng = createRng(1000 + index);
  const observations: Observation[] = [];
  const rounds = Math.floor(SAMPLES / COHORTS.length);
  for (let round = 0; round < rounds; round += 1) {
    for (const cohort of COHORTS) {
      const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      const latencyUs = Math.round(6000 * Math.exp(0.25 * normal));
      const scheduledNs = round * 10_000_000;
      observations.push({
        check: 'PAR-LAT-001',
        variant: 'text',
        cohort,
        kind: 'latency',
        seq: observations.length,
        round,
        scheduledNs,
        sentNs: scheduledNs + 20_000,
        latencyUs,
        outcome: 'ok',
        exchanges: [],
        data: { status: 200, errorCode: null },
        vantage,
      });
    }
  }
  const analysis = {
    ...template.run.analysis,
    seed: index + 1,
    analysis: { ...template.run.analysis.analysis, bootstrapResamples: 200 },
  };
  const run = { ...template.run, id: `bench-${vantage}`, seed: index + 1, analysis, vantage: { name: vantage } };
  const shell: Results = { ...template, run, findings: [], summary: summarise([], false) };
  const findings = recomputeRun(shell, observations);
  const results: Results = { ...shell, findings, summary: summarise(findings, false) };
  const bundleDir = join(dir, 'in', run.id);
  await writeBundle(bundleDir, { results, observations, exchanges: [], configDigest: null }, { key });
  return bundleDir;
}

/** Runs the binary and polls its VmHWM (peak resident set) until it exits. */
function peakRss(args: string[]): Promise<{ code: number | null; peakKb: number; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        peakKb = Math.max(peakKb, Number(match?.[1] ?? 0));
      } catch {
        // the process has just exited
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, peakKb, ms: Date.now() - started });
    });
  });
}

const mb = (kb: number): string => (kb / 1024).toFixed(0);
const secs = (ms: number): string => (ms / 1000).toFixed(1);
