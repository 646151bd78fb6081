// Tests src/cli/report.ts (the `report` command) in-process.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addReportCommand } from '../cli/report.js';
import { writeFixtureBundle } from './fixtures.test-helpers.js';
import { defaultReportDir } from './write.js';
import { runInProcess, type CapturedRun } from '../cli/in-process.test-helpers.js';

const cli = (args: string[]): Promise<CapturedRun> => runInProcess(addReportCommand, 'report', args);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dma-report-cli-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await rm(dir, { recursive: true, force: true });
  await rm(defaultReportDir(dir), { recursive: true, force: true });
});

describe('dma-audit report', () => {
  it('renders the selected formats into --out and lists them, exit 0', async () => {
    await writeFixtureBundle(dir);
    const out = join(dir, 'out');
    const { code, stdout } = await cli([dir, '--format', 'html', '--format', 'junit,html', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote ${join(out, 'report.html')}\nwrote ${join(out, 'junit.xml')}\n`);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.html']);
  });

  it('maps inconclusive as --junit-inconclusive says, failure by default', async () => {
    await writeFixtureBundle(dir);
    const out = join(dir, 'out');
    await cli([dir, '--format', 'junit', '--out', out]);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('type="inconclusive">');
    await cli([dir, '--format', 'junit', '--out', out, '--junit-inconclusive', 'skipped']);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('type="inconclusive"/>');
    const bad = await cli([dir, '--junit-inconclusive', 'green']);
    expect(bad.stderr).toContain('Allowed choices are failure, skipped');
  });

  it('says "unchanged" when the bundle already holds identical reports', async () => {
    await writeFixtureBundle(dir);
    await cli([dir, '--out', dir]);
    const { code, stdout } = await cli([dir, '--format', 'md']);
    expect(code).toBe(0);
    expect(stdout).toBe(`unchanged ${join(dir, 'report.md')}\n`);
  });

  it('writes next to the bundle, not into it, when nothing is there yet', async () => {
    await writeFixtureBundle(dir);
    const { code, stdout } = await cli([dir, '--format', 'json', '--format', 'md']);
    expect(code).toBe(0);
    // results.json alone would match, but report.md is missing, so the whole render goes next to the bundle
    const next = defaultReportDir(dir);
    expect(stdout).toBe(`wrote ${join(next, 'results.json')}\nwrote ${join(next, 'report.md')}\n`);
    expect((await readdir(dir)).sort()).toEqual(['exchanges.har', 'results.json', 'samples.ndjson']);
  });

  it('exits 2 with one line when the bundle cannot be read', async () => {
    const { code, stdout, stderr } = await cli([join(dir, 'nope')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^dma-audit: cannot read .*nope\/results\.json: .* \[E_BUNDLE\]\n$/);
  });

  it('rejects an unknown format before reading anything', async () => {
    const { stderr } = await cli([dir, '--format', 'pdf']);
    expect(stderr).toContain(
      "option '--format <name>' argument 'pdf' is invalid. expected one of html, md, junit, json",
    );
  });

  it('documents where files go in its help', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain('the bundle is signed over its files, so it is never modified');
    expect(stdout).toContain('<BUNDLE_DIR>-report/');
  });
});
