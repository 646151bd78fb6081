import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testKey, writeEngineBundle, writeSignedBundle } from '../evidence/verify-fixture.test-helpers.js';
import { addVerifyCommand } from './verify.js';
import { runInProcess, type CapturedRun } from './in-process.test-helpers.js';

const cli = (args: string[]): Promise<CapturedRun> => runInProcess(addVerifyCommand, 'verify', args);

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('dma-audit verify', () => {
  it('exits 0 for an intact bundle whose verdicts recompute, pinned to its key', async () => {
    const { dir, key } = await writeEngineBundle();
    const keyFile = join(await mkdtemp(join(tmpdir(), 'dma-audit-cli-')), 'key.pub.pem');
    await writeFile(keyFile, key.publicKeyPem);
    const { code, stdout, stderr } = await cli([dir, '--public-key', keyFile]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`${dir}: intact, every verdict reproduced`);
    expect(stdout).toContain(`public-key  signed by the pinned key ${key.keyId}`);
    expect(stdout).not.toContain('FAIL');
  });

  it('exits 1 and names the failing checks for a bundle that differs', async () => {
    // The fixture's findings are hand-written, so the engine's recompute cannot reproduce them.
    const { dir } = await writeSignedBundle();
    await writeFile(join(dir, 'extra.txt'), 'x');
    const { code, stdout } = await cli([dir]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${dir}: DIFFERS`);
    expect(stdout).toMatch(/FAIL {2}paths +extra\.txt: in the folder but not listed in manifest\.json/);
    expect(stdout).toMatch(/ok {4}digests +\d+ files match/);
  });

  it('prints the report as JSON with --json', async () => {
    const { dir, key } = await writeSignedBundle();
    const keyFile = join(await mkdtemp(join(tmpdir(), 'dma-audit-cli-')), `${key.keyId}.pub.pem`);
    await writeFile(keyFile, testKey().publicKeyPem);
    const { code, stdout } = await cli([dir, '--json', '--public-key', keyFile]);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'public-key')?.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'signature')?.ok).toBe(true);
  });

  it('exits 2 with one line and the error code when the bundle cannot be read', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'dma-audit-cli-')), 'absent');
    const { code, stdout, stderr } = await cli([missing]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^dma-audit: cannot read bundle folder .*absent.* \[E_BUNDLE\]\n$/);
  });

  it('exits 2 when the pinned public key file is unreadable', async () => {
    const { dir } = await writeSignedBundle();
    const { code, stderr } = await cli([dir, '--public-key', join(dir, 'no-such.pem')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read public key file .*no-such\.pem.*\[E_USAGE\]/);
  });
});
