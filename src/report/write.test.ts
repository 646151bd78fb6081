import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSignedBundle } from '../evidence/verify-fixture.test-helpers.js';
import { fixtureView, writeFixtureBundle } from './fixtures.test-helpers.js';
import { readBundleView } from './read-bundle.js';
import { REPORT_FORMATS, REPORTERS } from './reporters.js';
import { defaultReportDir, renderBundle, writeReports } from './write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dma-report-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(defaultReportDir(dir), { recursive: true, force: true });
});

describe('REPORTERS', () => {
  it('maps every format to its file name', () => {
    expect(Object.fromEntries(REPORT_FORMATS.map((f) => [f, REPORTERS[f].fileName]))).toEqual({
      html: 'report.html',
      md: 'report.md',
      junit: 'junit.xml',
      json: 'results.json',
    });
  });

  it.each(REPORT_FORMATS)(
    '%s renders the same bytes from a fresh view and from the bundle re-read from disk',
    async (format) => {
      await writeFixtureBundle(dir);
      const fresh = await REPORTERS[format].render(fixtureView());
      const reread = await REPORTERS[format].render(await readBundleView(dir));
      expect(reread).toBe(fresh);
      expect(fresh.length).toBeGreaterThan(200);
    },
  );

  it("json reproduces the bundle's results.json byte for byte", async () => {
    await writeFixtureBundle(dir);
    expect(await REPORTERS.json.render(await readBundleView(dir))).toBe(
      await readFile(join(dir, 'results.json'), 'utf8'),
    );
  });
});

describe('writeReports', () => {
  it('writes the selected formats and returns their paths', async () => {
    const out = join(dir, 'out');
    const files = await writeReports(out, fixtureView(), ['md', 'junit']);
    expect(files).toEqual([join(out, 'report.md'), join(out, 'junit.xml')]);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.md']);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toBe(await REPORTERS.md.render(fixtureView()));
  });

  it('throws an OutputError when the folder cannot be created', async () => {
    await writeFixtureBundle(dir);
    await expect(writeReports(join(dir, 'results.json', 'x'), fixtureView())).rejects.toMatchObject({
      code: 'E_OUTPUT',
    });
  });
});

describe('renderBundle', () => {
  it('leaves a bundle alone whose reports already match, and writes nothing', async () => {
    await writeFixtureBundle(dir);
    await writeReports(dir, await readBundleView(dir));
    const before = (await stat(join(dir, 'report.html'))).mtimeMs;
    const result = await renderBundle(dir);
    expect(result).toEqual({
      outDir: dir,
      isUnchanged: true,
      files: REPORT_FORMATS.map((f) => join(dir, REPORTERS[f].fileName)),
    });
    expect((await stat(join(dir, 'report.html'))).mtimeMs).toBe(before);
    await expect(stat(defaultReportDir(dir))).rejects.toThrow();
  });

  it('writes to <bundle>-report instead of changing the bundle when the reports differ or are missing', async () => {
    await writeFixtureBundle(dir);
    const result = await renderBundle(dir, { formats: ['html', 'md'] });
    expect(result.isUnchanged).toBe(false);
    expect(result.outDir).toBe(defaultReportDir(dir));
    expect((await readdir(result.outDir)).sort()).toEqual(['report.html', 'report.md']);
    expect((await readdir(dir)).sort()).toEqual(['exchanges.har', 'results.json', 'samples.ndjson']);
  });

  it('writes to --out when given', async () => {
    await writeFixtureBundle(dir);
    const out = join(dir, 'elsewhere');
    const result = await renderBundle(dir, { outDir: out, formats: ['junit'] });
    expect(result).toEqual({ outDir: out, isUnchanged: false, files: [join(out, 'junit.xml')] });
  });

  it('renders a bundle written by the evidence writer (full HAR entries)', async () => {
    const signed = await writeSignedBundle();
    try {
      const result = await renderBundle(signed.dir, { outDir: join(dir, 'signed'), formats: ['html'] });
      const html = await readFile(result.files[0] ?? '', 'utf8');
      expect(html).toContain('<tr id="har-ex-000000"><td><code>ex-000000</code></td>');
      expect(html).toContain('<figure class="chart shift"><svg');
    } finally {
      await rm(signed.dir, { recursive: true, force: true });
    }
  });
});
