// The campaign options and commands through the real binary: usage errors exit 2 before anything runs, a run
// with --vantage records it, and merge/verify keep run's exit codes and print the bundle path last.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../src/core/types.js';
import { tempDir } from './helpers.js';

const BIN = new URL('../bin/dma-audit.js', import.meta.url).pathname;
const home = tempDir('dma-audit-home-');
const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, DMA_AUDIT_HOME: home } });

describe('run --vantage usage errors (exit 2, nothing sent)', () => {
  it.each([
    [['--vantage-meta', 'country=DE'], /--vantage-meta needs --vantage/],
    [['--vantage', 'two words'], /--vantage must be/],
    [['--vantage', 'a', '--vantage-meta', 'country'], /KEY=VALUE/],
    [['--sim-extra-delay', 'subject=abc'], /ROLE=MS/],
    [['--sim-extra-delay', 'everyone=5'], /ROLE=MS/],
  ])('%j', (args, message) => {
    const result = cli('run', ...args, '--out', tempDir());
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('a vantage run, merged and verified by the binary', () => {
  let bundleDir: string;
  beforeAll(() => {
    const out = tempDir();
    const run = cli(
      'run',
      '--scenario',
      'compliant',
      '--check',
      'PAR-LAT-001',
      '--quick',
      '--design',
      'fixed',
      '--samples',
      '20',
      '--seed',
      '7',
      '--vantage',
      'de-fra',
      '--vantage-meta',
      'country=DE',
      '--vantage-meta',
      'asn=AS3320',
      '--out',
      out,
      '--json',
    );
    const results = JSON.parse(run.stdout) as Results;
    expect(results.run.vantage).toEqual({ country: 'DE', asn: 'AS3320', name: 'de-fra' });
    bundleDir = join(out, results.run.id);
  }, 60_000);

  it('records the vantage in results, manifest, every sample and the report header', () => {
    const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as { vantage?: unknown };
    expect(manifest.vantage).toEqual({ country: 'DE', asn: 'AS3320', name: 'de-fra' });
    const lines = readFileSync(join(bundleDir, 'samples.ndjson'), 'utf8').trim().split('\n');
    expect(lines.every((l) => (JSON.parse(l) as { vantage?: string }).vantage === 'de-fra')).toBe(true);
    expect(readFileSync(join(bundleDir, 'report.md'), 'utf8')).toContain('Vantage: de-fra (country=DE, asn=AS3320)');
    expect(readFileSync(join(bundleDir, 'report.html'), 'utf8')).toContain('Vantage: de-fra');
  });

  it('merge prints the merged bundle path last, and verify accepts the merged bundle', () => {
    const out = tempDir();
    const merged = cli('merge', bundleDir, '--out', out);
    expect([0, 3]).toContain(merged.status);
    const last = merged.stdout.trim().split('\n').at(-1) ?? '';
    expect(last).toContain(out);
    const dir = last.replace(/^evidence bundle: /, '');
    const verified = cli('verify', dir);
    expect(verified.stdout).toContain('sources');
    expect(verified.status).toBe(0);
  }, 60_000);

  it('merge of a folder that is not a bundle exits 2 and names it', () => {
    const missing = join(tempDir(), 'nope');
    const result = cli('merge', bundleDir, missing, '--out', tempDir());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(missing);
  });
});
