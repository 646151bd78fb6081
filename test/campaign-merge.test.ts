// Three vantage points against the built-in platform, one of which sees a slow third-party lane: merge flags
// that vantage point per-vantage, the combined finding follows van Elteren's stratified rule, verify
// recomputes it all, and a tampered input is refused before anything is written. The runs use the fixed
// design: the stratified rule is a fixed-N test (under the sequential design each vantage point stops where
// its own looks decided, and the combined finding follows the pre-declared rule instead, src/engine/strata.ts).
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeAudit, runAudit, verifyBundle } from '../src/app/audit.js';
import { MergeRefusedError } from '../src/campaign/errors.js';
import { validateAgainst } from '../src/core/schemas.js';
import type { Finding, Observation, Results } from '../src/core/types.js';
import type { SigningKey } from '../src/evidence/keys.js';
import { vanElteren } from '../src/stats/index.js';
import { tempDir, testSigningKey } from './helpers.js';

const VANTAGES = [
  { name: 'de-fra', seed: 101, delay: 0 },
  { name: 'fr-par', seed: 202, delay: 0 },
  { name: 'pl-waw', seed: 303, delay: 40 },
] as const;

let signingKey: SigningKey;
let bundles: string[];
let merged: { results: Results; bundleDir: string; exitCode: number };

beforeAll(async () => {
  signingKey = await testSigningKey();
  const out = tempDir();
  bundles = [];
  for (const v of VANTAGES) {
    const { bundleDir } = await runAudit({
      scenario: 'compliant',
      checks: ['PAR-LAT-001'],
      isQuick: true,
      // 80 pairs per vantage point: the two A/A strata dilute the slow one's z by √3, and at 40 their noise
      // alone pushed the combined p above 1e-4 in about one run in five.
      samples: 80,
      design: 'fixed',
      seed: v.seed,
      outDir: out,
      signingKey,
      vantage: { name: v.name, country: v.name.slice(0, 2).toUpperCase() },
      ...(v.delay === 0 ? {} : { simExtraDelayMs: { subject: v.delay } }),
    });
    bundles.push(bundleDir);
  }
  merged = await mergeAudit(bundles, { outDir: tempDir(), signingKey });
}, 120_000);

const textLatency = (findings: Finding[], vantage: string | undefined): Finding | undefined =>
  findings.find(
    (f) => f.checkId === 'PAR-LAT-001' && f.cohort === 'assistant' && f.variant === 'text' && f.vantage === vantage,
  );

describe('merge of three vantage points', () => {
  it('records the run as merged, with each source pinned by its digests', () => {
    const { run } = merged.results;
    expect(run.kind).toBe('merged');
    expect(run.sources?.map((s) => s.vantage.name)).toEqual(VANTAGES.map((v) => v.name));
    expect(run.sources?.[0]?.vantage).toEqual({ name: 'de-fra', country: 'DE' });
    for (const source of run.sources ?? []) expect(source.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(validateAgainst('results.schema.json', merged.results)).toEqual([]);
    expect(readFileSync(join(merged.bundleDir, 'report.md'), 'utf8')).toContain(
      'Merged from 3 vantage points: de-fra (country=DE); fr-par (country=FR); pl-waw (country=PL)',
    );
    expect(merged.bundleDir.startsWith(merged.results.run.id) || merged.bundleDir.endsWith(merged.results.run.id)).toBe(
      true,
    );
  });

  it('flags the slow vantage point per-vantage and only it', () => {
    expect(textLatency(merged.results.findings, 'pl-waw')?.verdict).toBe('fail');
    expect(textLatency(merged.results.findings, 'de-fra')?.verdict).not.toBe('fail');
    expect(textLatency(merged.results.findings, 'fr-par')?.verdict).not.toBe('fail');
    expect(merged.exitCode).toBe(1);
  });

  it('derives the combined finding from the pooled samples by the stratified rule', () => {
    const combined = textLatency(merged.results.findings, undefined);
    if (combined === undefined) throw new Error('no combined finding');
    const samples = readFileSync(join(merged.bundleDir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Observation);
    const ms = (vantage: string, cohort: string): number[] =>
      samples
        .filter((o) => o.vantage === vantage && o.cohort === cohort && o.variant === 'text' && o.outcome === 'ok')
        .filter((o) => (o.round ?? 0) >= 0 && o.kind === 'send')
        .map((o) => (o.latencyUs ?? 0) / 1000);
    const strata = VANTAGES.map((v) => ({ x: ms(v.name, 'assistant'), y: ms(v.name, 'meta-ai') }));
    const expected = vanElteren(strata, 'greater');
    const m = combined.measurements as {
      vanElteren: { p: number; z: number };
      shift: { estimatePct: number };
      marginPct: number;
      pHolm: number;
      alpha: number;
    };
    expect(m.vanElteren.p).toBeCloseTo(expected.p, 12);
    expect(m.vanElteren.z).toBeCloseTo(expected.z, 9);
    expect(expected.p).toBeLessThan(1e-4);
    const shouldFail = m.pHolm < m.alpha && m.shift.estimatePct > m.marginPct;
    expect(combined.verdict === 'fail').toBe(shouldFail);
  });

  it('verifies: every per-vantage and combined verdict recomputed, the source digests checked', async () => {
    const report = await verifyBundle(merged.bundleDir);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain('sources');
  });

  it('a tampered pooled sample makes verify fail on the sources check', async () => {
    const copy = join(tempDir(), 'copy');
    cpSync(merged.bundleDir, copy, { recursive: true });
    const source = merged.results.run.sources?.[1]?.runId ?? '';
    const samples = join(copy, 'sources', source, 'samples.ndjson');
    appendFileSync(samples, '{"check":"PAR-LAT-001","cohort":"assistant","kind":"latency","seq":99999}\n');
    const report = await verifyBundle(copy);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'sources')?.ok).toBe(false);
  });
});

describe('merge refuses', () => {
  it('an input whose samples were tampered with, naming it, before writing anything', async () => {
    const tampered = join(tempDir(), 'tampered');
    cpSync(bundles[2] ?? '', tampered, { recursive: true });
    const path = join(tampered, 'samples.ndjson');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const edited = lines.map((line, i) => (i === 5 ? line.replace(/"latencyUs":\d+/, '"latencyUs":1') : line));
    await import('node:fs/promises').then((fs) => fs.writeFile(path, `${edited.join('\n')}\n`));
    const out = tempDir();
    const attempt = mergeAudit([bundles[0] ?? '', tampered], { outDir: out, signingKey });
    await expect(attempt).rejects.toThrow(MergeRefusedError);
    await expect(mergeAudit([bundles[0] ?? '', tampered], { outDir: out, signingKey })).rejects.toThrow(/tampered/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('inputs of different targets', async () => {
    const { bundleDir } = await runAudit({
      scenario: 'slow-lane',
      checks: ['PAR-LAT-001'],
      isQuick: true,
      design: 'fixed',
      samples: 20,
      seed: 5,
      outDir: tempDir(),
      signingKey,
      vantage: { name: 'other' },
    });
    await expect(mergeAudit([bundles[0] ?? '', bundleDir], { outDir: tempDir(), signingKey })).rejects.toThrow(
      /the target differs/,
    );
  }, 60_000);

  it('two inputs from the same vantage point', async () => {
    await expect(mergeAudit([bundles[0] ?? '', bundles[0] ?? ''], { outDir: tempDir(), signingKey })).rejects.toThrow(
      /appears twice/,
    );
  });
});
