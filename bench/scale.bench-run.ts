/**
 * (f) Evidence at scale: real PAR-LAT-001 text runs of the CLI against a fast loopback
 * platform (constant 1 ms, no rate limit in the way) at 10k and 100k samples (1M with
 * BENCH_SCALE_1M=1), each in its own process under /usr/bin/time. Prints the bundle size, the run's
 * peak RSS, and `verify`'s wall time and peak RSS, with per-sample ratios so linear growth shows as
 * flat columns. Knobs: BENCH_SCALE_SIZES (e.g. "10000,60000"), BENCH_SCALE_RATE (offered rate,
 * 800/s: what a 2-core machine sustains with the platform beside it; above it requests queue up).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { packagePath } from '../src/core/paths.js';
import { simAuditConfig } from '../src/sim/audit-config.js';
import { startSim } from '../src/sim/server.js';
import { constantScenario } from './lib/noise.js';
import { printTable } from './lib/table.js';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? `10000,100000${process.env.BENCH_SCALE_1M === '1' ? ',1000000' : ''}`)
  .split(',')
  .map(Number);
const RATE = Number(process.env.BENCH_SCALE_RATE ?? 800);
const COHORTS = 3;
/** The most `run --samples` takes. */
const MAX_SAMPLES_OPTION = 100_000;

interface Timed {
  status: number;
  stdout: string;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
}

/**
 * Runs the built CLI under /usr/bin/time -f '%e %M' (wall seconds, peak RSS in KiB). Asynchronously: the
 * platform it audits runs in this process, and a blocking spawn would leave it unable to answer.
 */
async function timedCli(args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  const child = spawn(
    '/usr/bin/time',
    ['-f', 'TIME %e %U %S %M', process.execPath, packagePath('bin', 'dma-audit.js'), ...args],
    {
      env,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-64 * 1024)));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const match = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (match === null) throw new Error(`no timing from /usr/bin/time: ${stderr.slice(-2000)}`);
  return {
    status,
    stdout,
    seconds: Number(match[1]),
    cpuSeconds: Number(match[2]) + Number(match[3]),
    maxRssMb: Number(match[4]) / 1024,
  };
}

async function bundleBytes(dir: string): Promise<{ total: number; byFile: Record<string, number> }> {
  const byFile: Record<string, number> = {};
  for (const name of await readdir(dir)) byFile[name] = (await stat(join(dir, name))).size;
  return { total: Object.values(byFile).reduce((a, b) => a + b, 0), byFile };
}

test('bundle size, run RSS and verify time/RSS grow linearly in the sample count', async () => {
  const sim = await startSim({ scenario: constantScenario(1), seed: 1 });
  const work = await mkdtemp(join(tmpdir(), 'dma-audit-scale-'));
  const env = { ...process.env, DMA_AUDIT_HOME: join(work, 'home') };
  const rows: string[][] = [];
  try {
    for (const size of SIZES) {
      const raw = simAuditConfig(sim) as Record<string, unknown>;
      raw.limits = { maxRps: RATE * 2, maxRequests: size * 2 + 1000, timeoutMs: 10_000 };
      raw.analysis = { warmup: 5, latencyRps: RATE, latencyTypes: ['text'] };
      const configFile = join(work, `config-${size}.json`);
      await writeFile(configFile, JSON.stringify(raw));
      const out = join(work, `out-${size}`);
      const perCohort = Math.ceil(size / COHORTS);
      // --samples stops at 100,000 per cohort; past it a soak is sized by time (samples = duration × rate ÷ cohorts).
      const length =
        perCohort <= MAX_SAMPLES_OPTION
          ? ['--samples', String(perCohort)]
          : ['--duration', `${Math.ceil((perCohort * COHORTS) / RATE)}s`];
      const run = await timedCli(
        [
          'run',
          '--config',
          configFile,
          '--check',
          'PAR-LAT-001',
          '--design',
          'fixed',
          ...length,
          '--out',
          out,
          '--json',
        ],
        env,
      );
      expect([0, 1, 3], run.stdout.slice(-500)).toContain(run.status);
      const bundleDir =
        (JSON.parse(run.stdout) as { bundleDir?: string }).bundleDir ?? join(out, (await readdir(out))[0] ?? '');
      const verify = await timedCli(['verify', bundleDir, '--json'], env);
      expect(verify.status, verify.stdout.slice(-2000)).toBe(0);
      const bytes = await bundleBytes(bundleDir);
      const samples = size;
      const results = JSON.parse(run.stdout) as { findings: Array<{ verdict: string }> };
      const checked = (JSON.parse(verify.stdout) as { checks: Array<{ name: string; details: string[] }> }).checks;
      rows.push([
        String(samples),
        results.findings.map((finding) => finding.verdict).join(' '),
        checked.find((check) => check.name === 'recompute')?.details[0]?.replace(/ findings recomputed from /, '/') ??
          '?',
        `${(bytes.total / 2 ** 20).toFixed(1)} MiB`,
        `${(bytes.total / samples).toFixed(0)} B`,
        `${((bytes.byFile['exchanges.har.gz'] ?? 0) / samples).toFixed(0)} B / ${((bytes.byFile['samples.ndjson'] ?? 0) / samples).toFixed(0)} B`,
        `${run.seconds.toFixed(1)} s (${run.cpuSeconds.toFixed(0)} s CPU)`,
        `${run.maxRssMb.toFixed(0)} MB`,
        `${verify.seconds.toFixed(2)} s (${verify.cpuSeconds.toFixed(1)} s CPU)`,
        `${((verify.seconds * 1e6) / samples).toFixed(1)} µs`,
        `${verify.maxRssMb.toFixed(0)} MB`,
      ]);
      console.log(`| ${rows.at(-1)?.join(' | ') ?? ''} |`);
      await rm(out, { recursive: true, force: true });
    }
  } finally {
    await sim.close();
    await rm(work, { recursive: true, force: true });
  }
  printTable(
    `(d) evidence at scale: PAR-LAT-001 text, ${COHORTS} cohorts, ${RATE} requests/s offered, constant 1 ms platform`,
    [
      'samples',
      'verdicts',
      'recomputed',
      'bundle',
      'bundle/sample',
      'HAR.gz / samples per sample',
      'run wall',
      'run peak RSS',
      'verify wall',
      'verify/sample',
      'verify peak RSS',
    ],
    rows,
  );
});
