import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Observation, Results } from '../src/core/types.js';
import { tempDir } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'dma-audit.js');
const home = tempDir('dma-audit-resume-home-');
const env = { ...process.env, DMA_AUDIT_HOME: home, NO_COLOR: '1', DMA_AUDIT_CHECKPOINT_MS: '400' };

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function resultsOf(bundle: string): Results | null {
  try {
    return JSON.parse(readFileSync(join(bundle, 'results.json'), 'utf8')) as Results;
  } catch {
    return null; // not written yet
  }
}

/**
 * Signals `child` just after a seal completes (attestation.json is replaced last) once the sealed bundle is
 * `ready`, and resolves with the bundle folder. A kill inside the few milliseconds of a seal leaves data
 * ahead of the manifest, which verify rightly refuses and --resume repairs; that window is not what these
 * tests are about.
 */
async function killAfterSeal(
  child: ChildProcess,
  out: string,
  ready: (bundle: string) => boolean,
  signal: 'SIGKILL' | 'SIGINT' = 'SIGKILL',
): Promise<string> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, by) => resolve({ code, signal: by })),
  );
  const bundle = await new Promise<string>((resolve) => {
    let sealedAt = -1;
    const poll = setInterval(() => {
      const [name] = existsSync(out) ? readdirSync(out) : [];
      const dir = join(out, name ?? '');
      if (name === undefined || resultsOf(dir)?.run.checkpoint === undefined || !ready(dir)) return;
      const mtime = statSync(join(dir, 'attestation.json')).mtimeMs;
      if (sealedAt === -1) sealedAt = mtime;
      else if (mtime !== sealedAt) {
        child.kill(signal);
        clearInterval(poll);
        resolve(dir);
      }
    }, 5);
  });
  const ended = await exited;
  // SIGKILL ends the process at once; Ctrl-C (SIGINT) lets it drain and write a bundle marked interrupted (exit 3).
  if (signal === 'SIGKILL') expect(ended.signal).toBe('SIGKILL');
  else expect(ended.code).toBe(3);
  return bundle;
}

/** The highest round of a measured send the bundle holds so far (−1 before the first). */
function sentRounds(bundle: string): number {
  const text = existsSync(join(bundle, 'samples.ndjson')) ? readFileSync(join(bundle, 'samples.ndjson'), 'utf8') : '';
  return Math.max(-1, ...[...text.matchAll(/"kind":"send","round":(\d+)/g)].map((m) => Number(m[1])));
}

describe('a run killed with SIGKILL', () => {
  beforeAll(() => {
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js')))
      throw new Error('run `npm run build` first (npm test does)');
  });

  it('leaves a bundle that verifies as interrupted, and --resume completes it into one that verifies complete', async () => {
    const out = tempDir();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        '--check',
        'PAR-LAT-001',
        '--quick',
        '--design',
        'fixed',
        '--samples',
        '60',
        '--seed',
        '5',
        '--out',
        out,
      ],
      {
        env,
        stdio: 'ignore',
      },
    );
    const bundle = await killAfterSeal(child, out, (dir) => (resultsOf(dir)?.run.checkpoint?.samples ?? 0) > 20);
    const left = resultsOf(bundle);
    expect(left?.run.status).toBe('interrupted');
    expect(left?.findings).toEqual([]);
    const verifyLeft = cli(['verify', bundle, '--json']);
    expect(verifyLeft.status, verifyLeft.stdout).toBe(0);

    const resumed = cli(['run', '--resume', bundle, '--reporter', 'json']);
    expect(resumed.stderr).not.toMatch(/at .*\.js:\d+/);
    expect([0, 1, 3]).toContain(resumed.status);
    const done = resultsOf(bundle);
    expect(done?.run.status).toBe('complete');
    expect(done?.run.id).toBe(left?.run.id);
    expect(done?.run.seed).toBe(5);
    expect(done?.run.resume).toMatchObject({
      resumes: 1,
      checks: ['PAR-LAT-001'],
      isQuick: true,
      design: 'fixed',
      samples: 60,
    });
    // The resumed run kept the design it was started with: fixed-N findings, no sequential stop.
    expect(done?.findings.every((f) => f.measurements.sequential === undefined)).toBe(true);
    expect(done?.findings.map((f) => (f.measurements.n as { subject: number }).subject)).toEqual([60, 60]);
    expect(done?.findings.map((f) => [f.checkId, f.cohort]).sort()).toEqual([
      ['PAR-LAT-001', 'assistant'],
      ['PAR-LAT-001', 'control'],
    ]);
    const verifyDone = cli(['verify', bundle, '--json']);
    expect(verifyDone.status, verifyDone.stdout).toBe(0);
    expect(readdirSync(out)).toHaveLength(1);
    expect(cli(['run', '--resume', bundle]).status).toBe(2);
  }, 120_000);

  it.each(['SIGKILL', 'SIGINT'] as const)(
    'continues a shared stream cut off by %s: kept rounds are not sent again, and every check sees each round once',
    async (signal) => {
      const out = tempDir();
      const rounds = 60; // --quick's text rounds
      const child = spawn(
        process.execPath,
        [
          BIN,
          'run',
          '--scenario',
          'compliant',
          ...['PAR-LAT-001', 'PAR-LAT-003', 'PAR-ERR-001'].flatMap((id) => ['--check', id]),
          '--quick',
          '--design',
          'fixed',
          '--samples',
          String(rounds),
          '--seed',
          '7',
          '--out',
          out,
        ],
        { env, stdio: 'ignore' },
      );
      // Past the warm-up and ten rounds of the stream (the engine's webhook set-up records many samples before it).
      const bundle = await killAfterSeal(child, out, (dir) => sentRounds(dir) >= 10, signal);
      expect(cli(['verify', bundle, '--json']).status).toBe(0);

      const resumed = cli(['run', '--resume', bundle, '--reporter', 'json']);
      expect([0, 1, 3], resumed.stderr).toContain(resumed.status);
      const verifyDone = cli(['verify', bundle, '--json']);
      expect(verifyDone.status, verifyDone.stdout).toBe(0);

      const lines = readFileSync(join(bundle, 'samples.ndjson'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Observation);
      const markers = lines.filter((o) => o.kind === 'rounds-voided');
      expect(markers).toHaveLength(1);
      const marker = markers[0] as Observation;
      const fromRound = Number(marker.data?.fromRound);
      expect(fromRound).toBeGreaterThan(0);
      // The resumed run sent only the rounds the first one lacked: fromRound … rounds − 1, once per cohort.
      const resent = lines.filter((o) => o.seq > marker.seq && o.kind === 'send' && (o.round ?? -1) >= 0);
      expect(resent.every((o) => (o.round ?? -1) >= fromRound)).toBe(true);
      expect(resent).toHaveLength((rounds - fromRound) * 3);

      // Each finding counts each round once: kept and resent rounds make exactly `rounds` per cohort.
      const done = resultsOf(bundle);
      expect(done?.run.status).toBe('complete');
      const sizes = (checkId: string): number[] =>
        (done?.findings ?? [])
          .filter((f) => f.checkId === checkId)
          .map((f) => (f.measurements.n as { subject: number }).subject);
      expect(sizes('PAR-LAT-001')).toEqual([rounds, rounds]);
      expect(sizes('PAR-LAT-003')).toEqual(Array(6).fill(rounds));
      expect(sizes('PAR-ERR-001')).toEqual([rounds, rounds]);
      expect(done?.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'error')).toEqual([]);
    },
    120_000,
  );
});
