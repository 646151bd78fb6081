// trend over compliant → fee → compliant: a daily cron sees exit 1 the day the fee appears and 0 after it goes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../src/app/audit.js';
import { trendAudit } from '../src/campaign/trend-audit.js';
import { BundleReadError } from '../src/core/errors.js';
import type { SigningKey } from '../src/evidence/keys.js';
import { tempDir, testSigningKey } from './helpers.js';

const BIN = new URL('../bin/dma-audit.js', import.meta.url).pathname;
let signingKey: SigningKey;
const days: string[] = [];
let parent: string;

beforeAll(async () => {
  signingKey = await testSigningKey();
  parent = tempDir();
  for (const [i, scenario] of ['compliant', 'ai-provider-fee', 'compliant'].entries()) {
    const { bundleDir } = await runAudit({
      scenario,
      checks: ['PAR-FEE-001'],
      isQuick: true,
      seed: 40 + i,
      outDir: parent,
      signingKey,
    });
    days.push(bundleDir);
  }
}, 120_000);

describe('trend', () => {
  it('exits 1 when the latest run fails a check the run before did not', async () => {
    const { exitCode, trend } = await trendAudit(days.slice(0, 2), { outDir: tempDir() });
    expect(exitCode).toBe(1);
    const fee = trend.series.filter((s) => s.checkId === 'PAR-FEE-001' && s.isNewViolation);
    expect(fee.length).toBeGreaterThan(0);
    expect(fee[0]?.points.map((p) => p.verdict)[0]).not.toBe('fail');
  });

  it('exits 0 once the violation is gone, and says when it was first and last seen', async () => {
    const out = tempDir();
    const { exitCode, trend } = await trendAudit([parent], { outDir: out });
    expect(exitCode).toBe(0);
    expect(trend.runs.map((r) => r.scenario)).toEqual(['compliant', 'ai-provider-fee', 'compliant']);
    const violated = trend.series.filter((s) => s.violation !== null);
    expect(violated.length).toBeGreaterThan(0);
    for (const s of violated) {
      expect(s.violation?.firstSeen).toBe(trend.runs[1]?.startedAt);
      expect(s.violation?.lastSeen).toBe(trend.runs[1]?.startedAt);
    }
    const md = readFileSync(join(out, 'trend.md'), 'utf8');
    expect(md).toContain('## Violations');
    expect(md).toContain(`| ${trend.runs[1]?.startedAt ?? '?'} | ${trend.runs[1]?.startedAt ?? '?'} | 1 | no |`);
    expect(md).toMatch(/PAR-FEE-001 .*\| pass \| fail \| pass \|/);
    const html = readFileSync(join(out, 'trend.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('orders runs by startedAt, not by the order given', async () => {
    const { trend } = await trendAudit([days[2] ?? '', days[0] ?? '', days[1] ?? ''], { outDir: tempDir() });
    const started = trend.runs.map((r) => r.startedAt);
    expect(started).toEqual([...started].sort());
  });

  it('refuses unreadable input', async () => {
    const broken = join(tempDir(), 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'results.json'), '{ not json');
    await expect(trendAudit([broken], { outDir: tempDir() })).rejects.toThrow(BundleReadError);
  });

  it('the CLI maps it to exit codes 1, 0 and 2', () => {
    const run = (...args: string[]): number | null =>
      spawnSync('node', [BIN, 'trend', ...args, '--out', tempDir()], { encoding: 'utf8' }).status;
    expect(run(days[0] ?? '', days[1] ?? '')).toBe(1);
    expect(run(parent)).toBe(0);
    expect(run(join(tempDir(), 'missing'))).toBe(2);
  }, 30_000);
});
