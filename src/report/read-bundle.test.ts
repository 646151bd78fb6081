import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleReadError } from '../core/errors.js';
import { fixtureView, writeFixtureBundle } from './fixtures.test-helpers.js';
import { readBundleView } from './read-bundle.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dma-report-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readBundleView', () => {
  it('reads back what was written: the cited exchanges whole, the others only counted', async () => {
    await writeFixtureBundle(dir);
    const view = await readBundleView(dir);
    const written = fixtureView();
    const cited = new Set(written.results.findings.flatMap((f) => f.evidence));
    const entries = written.har.log.entries.filter((e) => cited.has(e._id));
    expect(entries.length).toBeLessThan(written.har.log.entries.length);
    // Observations are SampleTable rows, whose JSON is the recorded sample.
    expect(JSON.parse(JSON.stringify(view))).toEqual({
      ...written,
      har: { log: { entries }, recorded: written.har.log.entries.length },
    });
  });

  it('rejects a folder without results.json with a BundleReadError naming the file', async () => {
    const error = await readBundleView(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleReadError);
    expect((error as BundleReadError).code).toBe('E_BUNDLE');
    expect((error as Error).message).toContain('results.json');
  });

  it('rejects an unparsable samples line with its line number', async () => {
    await writeFixtureBundle(dir);
    await writeFile(join(dir, 'samples.ndjson'), '{"check":"A","cohort":"x","kind":"k","seq":0}\n{oops\n');
    await expect(readBundleView(dir)).rejects.toThrow(/samples\.ndjson line 2/);
  });

  it('rejects a HAR without entries', async () => {
    await writeFixtureBundle(dir);
    await rm(join(dir, 'exchanges.har.gz'), { force: true });
    await writeFile(join(dir, 'exchanges.har'), '{"log":{}}');
    await expect(readBundleView(dir)).rejects.toThrow(/exchanges\.har lacks log\.entries/);
  });

  it('rejects results.json that is not a results document', async () => {
    await writeFixtureBundle(dir);
    await writeFile(join(dir, 'results.json'), '[]');
    await expect(readBundleView(dir)).rejects.toThrow(/results\.json lacks run, summary or findings/);
  });
});
