import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit, verifyBundle } from '../src/app/audit.js';
import { loadConfig } from '../src/config/load.js';
import type { SigningKey } from '../src/evidence/keys.js';
import { readBundleView, writeReports } from '../src/report/index.js';
import { tempDir, testSigningKey } from './helpers.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

describe('interrupts', () => {
  it('marks a bundle interrupted when Ctrl-C arrives while it is being written, and it verifies', async () => {
    const controller = new AbortController();
    const { results, bundleDir, exitCode } = await runAudit({
      scenario: 'compliant',
      checks: ['CONF-API-001'],
      seed: 4,
      outDir: tempDir(),
      signingKey,
      signal: controller.signal,
      renderReports: async (dir) => {
        controller.abort();
        await writeReports(dir, await readBundleView(dir), ['html', 'md', 'junit']);
      },
    });
    expect(results.run.status).toBe('interrupted');
    expect(exitCode).toBe(3);
    const report = await verifyBundle(bundleDir);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect((await readBundleView(bundleDir)).results.run.status).toBe('interrupted');
  }, 120_000);

  it('skips every check, with the reason, when interrupted before any ran (never a pass)', async () => {
    const controller = new AbortController();
    controller.abort();
    const { results, bundleDir } = await runAudit({
      scenario: 'compliant',
      checks: ['PAR-RL-002', 'PAR-FEAT-001'],
      seed: 4,
      outDir: tempDir(),
      signingKey,
      signal: controller.signal,
    });
    expect(results.findings.map((f) => f.verdict)).toEqual(['skip', 'skip']);
    expect(results.findings.map((f) => f.summary)).toEqual([
      'Skipped: not run: the run was interrupted before this check started',
      'Skipped: not run: the run was interrupted before this check started',
    ]);
    expect(results.summary.exitCode).toBe(3);
    expect((await verifyBundle(bundleDir)).ok).toBe(true);
  }, 120_000);

  it('a second Ctrl-C cuts off requests the target stalls and still writes a bundle that says interrupted', async () => {
    const stalled = await stallingServer();
    try {
      const config = loadConfig(
        {
          target: { name: 'stall', businessApi: { kind: 'whatsapp-cloud', baseUrl: stalled.url, timeoutMs: 60_000 } },
          cohorts: [
            { id: 'meta-ai', role: 'reference', token: 'env:REF', phoneNumberId: '1' },
            { id: 'assistant', role: 'subject', token: 'env:SUB', phoneNumberId: '2' },
          ],
          recipient: { waId: '15550001234' },
          limits: { timeoutMs: 60_000 },
          analysis: { samples: 20, warmup: 0, latencyRps: 50, latencyTypes: ['text'] },
        },
        { REF: 'reference-token-1', SUB: 'subject-token-22' },
      );
      const stop = new AbortController();
      const drain = new AbortController();
      setTimeout(() => stop.abort(), 1500);
      setTimeout(() => drain.abort(), 1800);
      const started = Date.now();
      const { results, bundleDir } = await runAudit({
        config,
        checks: ['PAR-LAT-001'],
        seed: 2,
        outDir: tempDir(),
        signingKey,
        signal: stop.signal,
        drainSignal: drain.signal,
      });
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(results.run.status).toBe('interrupted');
      expect(results.findings.every((f) => f.verdict !== 'pass')).toBe(true);
      // The check had started: its sends were cut off, not skipped.
      expect(results.findings.some((f) => f.verdict === 'skip')).toBe(false);
      expect((await verifyBundle(bundleDir)).ok).toBe(true);
    } finally {
      stalled.close();
    }
  }, 120_000);

  it('the CLI says what each Ctrl-C does, exits 3 and leaves a bundle that verifies', async () => {
    const out = tempDir();
    const bin = join(import.meta.dirname, '..', 'bin', 'dma-audit.js');
    const child = spawn(
      process.execPath,
      [bin, 'run', '--scenario', 'compliant', '--check', 'PAR-LAT-001', '--out', out],
      {
        env: { ...process.env, DMA_AUDIT_HOME: tempDir('dma-audit-home-'), NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toMatch(/interrupted: finishing in-flight requests/);
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
    expect(code).toBe(3);
    const [bundle] = readdirSync(out);
    const dir = join(out, bundle ?? '');
    expect((await readBundleView(dir)).results.run.status).toBe('interrupted');
    expect((await verifyBundle(dir)).ok).toBe(true);
  }, 120_000);
});

/** Answers the preflight, then never answers a send (the drain would wait for the 60 s timeout). */
async function stallingServer(): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
