import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from './fixtures.test-helpers.js';
import { githubAnnotations, writeGithubSummary } from './github.js';
import { renderMarkdown } from './markdown.js';

describe('githubAnnotations', () => {
  const lines = githubAnnotations(fixtureView());

  it('emits ::error for fail and error, ::warning for warn and inconclusive, nothing for pass and skip', () => {
    expect(lines.map((l) => l.slice(0, l.indexOf(' ')))).toEqual([
      '::error',
      '::error',
      '::error',
      '::error',
      '::warning',
      '::warning',
    ]);
    expect(lines.some((l) => l.includes('CONF-WH-001'))).toBe(false);
  });

  it('escapes property separators in the title and newlines in the message', () => {
    expect(lines[0]).toBe(
      '::error title=FAIL PAR-LAT-001 [assistant] (text)%3A Send-message latency::' +
        `The assistant's text messages are 38 ms slower than Meta AI's ${HOSTILE}%0ABasis: DMA Art. 6(7); DMA Art. 6(5)`,
    );
    expect(lines[3]).toContain('%0AReason: ECONNRESET from the interop relay%0A');
  });

  it('cannot be made to start a second workflow command', () => {
    const view = fixtureView();
    const [first] = view.results.findings;
    if (first === undefined) throw new Error('fixture has findings');
    first.summary = 'x\n::add-mask::y 100%';
    first.title = 'a,b:c';
    const [line] = githubAnnotations(view);
    expect(line).toContain('title=FAIL PAR-LAT-001 [assistant] (text)%3A a%2Cb%3Ac::x%0A::add-mask::y 100%25');
    expect(line?.split('\n')).toHaveLength(1);
  });
});

describe('writeGithubSummary', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dma-report-gh-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends the markdown report to $GITHUB_STEP_SUMMARY', async () => {
    const file = join(dir, 'summary.md');
    await writeFile(file, 'earlier step\n');
    expect(await writeGithubSummary(fixtureView(), { GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(`earlier step\n${renderMarkdown(fixtureView())}`);
  });

  it('does nothing outside GitHub Actions', async () => {
    expect(await writeGithubSummary(fixtureView(), {})).toBe(false);
    expect(await writeGithubSummary(fixtureView(), { GITHUB_STEP_SUMMARY: '' })).toBe(false);
  });

  it('throws an OutputError when the summary file cannot be written', async () => {
    await expect(
      writeGithubSummary(fixtureView(), { GITHUB_STEP_SUMMARY: join(dir, 'missing', 'x.md') }),
    ).rejects.toMatchObject({ code: 'E_OUTPUT' });
  });
});
