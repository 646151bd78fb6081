// The default run's bundle, checked the way its readers check it: the console headline, junit.xml
// against the Jenkins xunit schema (xmllint), the reproduction scripts, the README's openssl recipe,
// docs/recompute.md's scipy script, and every sample against schemas/samples.schema.json.
// A tool this machine lacks skips its test with a line that says so (outside CI).
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recomputeRun, verifyBundle } from '../src/app/audit.js';
import { readObservations } from '../src/evidence/bundle/index.js';
import { renderConsole } from '../src/report/console.js';
import { validateAgainst } from '../src/core/schemas.js';
import type { Finding, Observation, Results } from '../src/core/types.js';
import { defaultRunBundle } from './default-run.test-helpers.js';
import { tempDir } from './helpers.js';

const JUNIT_XSD = resolve('fixtures/junit/jenkins-xunit-junit-10.xsd');

/** True when `command args` runs; otherwise says what is skipped and how to enable it. */
function has(command: string, args: string[], what: string, enable: string): boolean {
  const ok = spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  if (!ok) console.warn(`SKIPPED ${what}: ${command} not usable here (${enable})`);
  return ok;
}

// .ci/run installs xmllint, so under CI=true a missing one fails the test instead of skipping it.
const hasXmllint =
  process.env['CI'] === 'true' ||
  has('xmllint', ['--version'], 'junit.xml schema validation', 'apt-get install libxml2-utils');
const hasScipy = has('python3', ['-c', 'import scipy'], 'the docs/recompute.md scipy script', 'pip install scipy');
const hasOpenssl =
  has('openssl', ['version'], 'the README openssl recipe', 'apt-get install openssl') &&
  has('jq', ['--version'], 'the README openssl recipe', 'apt-get install jq');

/** The first fenced block of `lang` after `heading` in a Markdown file: the exact text readers copy. */
function codeBlock(file: string, heading: string, lang: string): string {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(heading);
  if (from < 0) throw new Error(`${file} has no "${heading}"`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(text.slice(from));
  if (match?.[1] === undefined) throw new Error(`${file}: no \`\`\`${lang} block after "${heading}"`);
  return match[1];
}

let dir: string;
let results: Results;
beforeAll(async () => {
  dir = await defaultRunBundle();
  results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
}, 360_000);

const failed = (): Finding[] => results.findings.filter((f) => f.verdict === 'fail');

describe('the default run, as its readers check it', () => {
  it('puts every failed check id within the first 15 non-empty console lines', () => {
    const lines = renderConsole(results, dir)
      .split('\n')
      .filter((line) => line.trim() !== '');
    const head = lines.slice(0, 15).join('\n');
    expect(failed().length).toBeGreaterThanOrEqual(3);
    for (const finding of failed()) expect(head).toContain(finding.checkId);
    expect(lines[0]).toMatch(/^dma-audit — VIOLATIONS FOUND: \d+ of \d+ findings fail$/);
  });

  it.skipIf(!hasXmllint)('writes a junit.xml that validates against the Jenkins xunit JUnit XSD', () => {
    const run = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, join(dir, 'junit.xml')], { encoding: 'utf8' });
    expect(run.stderr).toContain('validates');
    expect(run.status).toBe(0);
  });

  it('writes a reproduction per failing finding into repro/, covered by the manifest, with tokens as $ENV names', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
    const repro = manifest.files.map((f) => f.path).filter((p) => p.startsWith('repro/'));
    expect(repro.length).toBe(failed().length);
    for (const path of repro) {
      const script = readFileSync(join(dir, path), 'utf8');
      expect(script).toMatch(/-H "Authorization: Bearer \$[A-Z_]+_TOKEN"/);
      expect(script).not.toContain('[REDACTED]');
      expect(spawnSync('sh', ['-n', join(dir, path)]).status).toBe(0);
    }
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(`Reproduce (also in the bundle as ${repro[0]}):`);
  });

  it('gets the same findings from samples read as table rows as from plain parsed objects', async () => {
    const plain = readFileSync(join(dir, 'samples.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Observation);
    const rows = await readObservations(dir);
    expect(rows).toHaveLength(plain.length);
    const fromPlain = JSON.parse(JSON.stringify(recomputeRun(results, plain))) as Finding[];
    expect(JSON.parse(JSON.stringify(recomputeRun(results, rows)))).toEqual(fromPlain);
    expect(fromPlain.map((f) => [f.checkId, f.cohort, f.variant, f.verdict])).toEqual(
      results.findings.map((f) => [f.checkId, f.cohort, f.variant, f.verdict]),
    );
  });

  it('has samples that all validate against schemas/samples.schema.json, and verify rejects one that does not', async () => {
    const lines = readFileSync(join(dir, 'samples.ndjson'), 'utf8').trim().split('\n');
    const problems = lines.flatMap((line) => validateAgainst('samples.schema.json', JSON.parse(line)));
    expect(problems).toEqual([]);
    const copy = tempDir('dma-audit-bad-samples-');
    cpSync(dir, copy, { recursive: true });
    const [first, ...rest] = lines;
    writeFileSync(
      join(copy, 'samples.ndjson'),
      [first?.replace(/^\{/, '{"undocumented":1,'), ...rest].join('\n') + '\n',
    );
    const report = await verifyBundle(copy);
    const recompute = report.checks.find((c) => c.name === 'recompute');
    expect(recompute?.ok).toBe(false);
    expect(recompute?.details.join('\n')).toContain('samples.ndjson:1:');
  });

  describe.skipIf(!hasOpenssl)("README's check without dma-audit (openssl, jq, sha256sum)", () => {
    const recipe = (bundle: string): string =>
      codeBlock('README.md', '## Check a bundle without dma-audit', 'sh').replace(/^BUNDLE=.*$/m, `BUNDLE='${bundle}'`);

    it('verifies the signature over the DSSE PAE and every subject digest', () => {
      const run = spawnSync('sh', ['-e', '-c', recipe(dir)], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('Signature Verified Successfully');
      const statement = JSON.parse(
        Buffer.from(
          (JSON.parse(readFileSync(join(dir, 'attestation.json'), 'utf8')) as { payload: string }).payload,
          'base64',
        ).toString('utf8'),
      ) as { subject: Array<{ name: string }> };
      for (const { name } of statement.subject) expect(run.stdout).toContain(`${name}: OK`);
      expect(run.status).toBe(0);
    });

    it('fails on a bundle whose file was changed after signing', () => {
      const copy = tempDir('dma-audit-tampered-');
      cpSync(dir, copy, { recursive: true });
      writeFileSync(
        join(copy, 'results.json'),
        readFileSync(join(dir, 'results.json'), 'utf8').replace('"fail"', '"pass"'),
      );
      const run = spawnSync('sh', ['-e', '-c', recipe(copy)], { encoding: 'utf8' });
      expect(run.stdout).toContain('results.json: FAILED');
      expect(run.status).not.toBe(0);
    });
  });

  it.skipIf(!hasScipy)("docs/recompute.md's scipy script reproduces the recorded Mann–Whitney and KS p-values", () => {
    const script = join(tempDir('dma-audit-recompute-'), 'recompute.py');
    writeFileSync(script, codeBlock('docs/recompute.md', '## A latency finding, recomputed with scipy', 'python'));
    const latency = results.findings.filter((f) => f.checkId.startsWith('PAR-LAT-') && 'mannWhitney' in f.measurements);
    expect(latency.length).toBeGreaterThan(2);
    for (const finding of latency.slice(0, 6)) {
      const args = [script, dir, finding.checkId, finding.cohort ?? '', finding.variant ?? 'text'];
      const run = spawnSync('python3', args, { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as {
        n: { subject: number; reference: number };
        mannWhitney: { u: number; p: number };
        ks: { d: number; p: number };
      };
      const m = finding.measurements as unknown as typeof out;
      expect(out.n).toEqual(m.n);
      expect(out.mannWhitney.u).toBeCloseTo(m.mannWhitney.u, 6);
      expect(Math.abs(out.mannWhitney.p - m.mannWhitney.p)).toBeLessThanOrEqual(1e-6 * m.mannWhitney.p + 1e-12);
      // results.json rounds D to 3 decimals, so it may be off by half a unit of the last one.
      expect(Math.abs(out.ks.d - m.ks.d)).toBeLessThanOrEqual(0.0005 + 1e-12);
      expect(Math.abs(out.ks.p - m.ks.p)).toBeLessThanOrEqual(1e-6 * m.ks.p + 1e-12);
    }
  });
});
