import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'dma-audit.js');
const home = tempDir('dma-audit-cli-home-');

function cli(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DMA_AUDIT_HOME: home, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the dma-audit binary', () => {
  beforeAll(() => {
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js')))
      throw new Error('run `npm run build` first (npm test does)');
  });

  it('runs the default audit of the built-in platform, exits 1 on the planted slow lane, and the bundle verifies', () => {
    const out = tempDir();
    const run = cli(['run', '--check', 'PAR-LAT-001', '--quick', '--seed', '9', '--out', out]);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/PAR-LAT-001\s+assistant\/text\s+FAIL/);
    const [bundle] = readdirSync(out);
    expect(bundle).toBeDefined();
    const verify = cli(['verify', join(out, bundle ?? ''), '--json']);
    expect(verify.status).toBe(0);
    expect((JSON.parse(verify.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it('on Ctrl-C stops, drains and still writes a verifiable bundle marked interrupted', async () => {
    const out = tempDir();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'run', '--check', 'PAR-LAT-001', '--seed', '3', '--out', out], {
      env: { ...process.env, DMA_AUDIT_HOME: home, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stderr.includes('PAR-LAT-001')) {
          clearInterval(poll);
          setTimeout(resolve, 1500);
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toContain('interrupted: finishing in-flight requests');
    expect([1, 3]).toContain(code);
    const [bundle] = readdirSync(out);
    const results = JSON.parse(readFileSync(join(out, bundle ?? '', 'results.json'), 'utf8')) as {
      run: { status: string };
    };
    expect(results.run.status).toBe('interrupted');
    expect(cli(['verify', join(out, bundle ?? '')]).status).toBe(0);
  });

  it('prints the load plan with --dry-run, and exits 2 naming the limit a plan cannot fit', () => {
    const plan = cli(['run', '--dry-run']);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/^PAR-LAT-001 {2}at most \d+ requests \(meta-ai \d+, assistant \d+, control \d+\)/m);
    expect(plan.stdout).toMatch(/^In all: at most \d+ requests/m);
    const tooSmall = cli(['run', '--dry-run', '--max-requests', '100']);
    expect(tooSmall.status).toBe(2);
    expect(tooSmall.stderr).toMatch(/limits\.maxRequests: the plan can send \d+ requests, the limit is 100/);
    expect(tooSmall.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('prints results.json with --json', () => {
    // The fixed design at its fewest samples: this is about the output format, not about what the run finds.
    const run = cli([
      'run',
      '--check',
      'PAR-LAT-001',
      '--quick',
      '--design',
      'fixed',
      '--samples',
      '20',
      '--seed',
      '9',
      '--out',
      tempDir(),
      '--json',
    ]);
    const results = JSON.parse(run.stdout) as { findings: Array<{ checkId: string }>; summary: { exitCode: number } };
    expect(results.findings.every((f) => f.checkId === 'PAR-LAT-001')).toBe(true);
    expect(run.status).toBe(results.summary.exitCode);
  });

  it('rejects an invalid config with every problem by path, exit 2, no stack trace, and sends nothing', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = join(tempDir(), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        target: { name: 'x', businessApi: { kind: 'whatsapp-cloud', baseUrl: url }, colour: 'red' },
        cohorts: [{ id: 'assistant', role: 'subject', token: 'env:DMA_TEST_UNSET_TOKEN', phoneNumberId: 7 }],
        limits: { maxRps: 'fast' },
      }),
    );
    const run = cli(['run', '--config', file, '--out', tempDir()]);
    server.close();
    expect(run.status).toBe(2);
    expect(requests).toBe(0);
    expect(run.stderr).toContain('invalid config');
    expect(run.stderr).toContain('target: unknown key "colour"');
    expect(run.stderr).toContain('cohorts: must NOT have fewer than 2 items');
    expect(run.stderr).toContain('cohorts[0].phoneNumberId: must be string');
    expect(run.stderr).toContain('limits.maxRps: must be number');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('names the unset secret and the missing reference cohort', () => {
    const file = join(tempDir(), 'unset.json');
    writeFileSync(
      file,
      JSON.stringify({
        target: { name: 'x', businessApi: { kind: 'whatsapp-cloud', baseUrl: 'http://127.0.0.1:9' } },
        cohorts: [
          { id: 'a', role: 'subject', token: 'env:DMA_TEST_UNSET_A', phoneNumberId: '1' },
          { id: 'b', role: 'subject', token: 'env:DMA_TEST_UNSET_B', phoneNumberId: '2' },
        ],
      }),
    );
    const run = cli(['run', '--config', file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cohorts: exactly one cohort must have role "reference" (found 0)');
    expect(run.stderr).toContain('cohorts[0].token: environment variable DMA_TEST_UNSET_A is not set');
    expect(run.stderr).toContain('cohorts[1].token: environment variable DMA_TEST_UNSET_B is not set');
  });

  it('exits 2 with a one-line error for usage mistakes', () => {
    const unknownCheck = cli(['run', '--check', 'NOPE-*']);
    expect(unknownCheck.status).toBe(2);
    expect(unknownCheck.stderr).toContain('--check NOPE-* matches no check [E_USAGE]');
    const unknownScenario = cli(['run', '--scenario', 'nope', '--check', 'PAR-LAT-001']);
    expect(unknownScenario.status).toBe(2);
    expect(unknownScenario.stderr).toContain('unknown scenario "nope"');
    expect(cli(['frobnicate']).status).toBe(2);
  });

  it('exits quietly when its reader closes the pipe early', () => {
    // `true` exits without reading, so every write of the CLI meets a closed pipe; pipefail reports the CLI's status.
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" checks | true`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain('EPIPE');
  });

  it('lists the catalogue with legal bases', () => {
    const run = cli(['checks', '--json']);
    const checks = JSON.parse(run.stdout) as Array<{ id: string; references: unknown[] }>;
    expect(checks.map((c) => c.id)).toContain('PAR-LAT-001');
    expect(checks.every((c) => c.references.length > 0)).toBe(true);
  });

  it('writes a ready-to-use config for the sim', async () => {
    const file = join(tempDir(), 'sim.json');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'sim', '--scenario', 'compliant', '--config-out', file], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    const output = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('Ctrl-C')) resolve(text);
      });
    });
    child.kill('SIGINT');
    expect(output).toContain('scenario compliant');
    const config = JSON.parse(readFileSync(file, 'utf8')) as {
      cohorts: Array<{ role: string }>;
      target: { name: string; businessApi: { baseUrl: string } };
    };
    expect(config.target.name).toBe('dma-audit reference platform (scenario compliant)');
    expect(config.cohorts.map((c) => c.role)).toEqual(['reference', 'subject', 'subject']);
    expect(config.target.businessApi.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graph$/);
  });
});
