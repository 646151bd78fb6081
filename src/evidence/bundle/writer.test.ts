import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Observation, Results } from '../../core/types.js';
import type { ExchangeRecord } from '../recorder.js';
import { echoRecompute, fixtureResults, testKey } from '../verify-fixture.test-helpers.js';
import { verifyBundle } from '../verify.js';
import { readHarEntries, readObservations } from './reader.js';
import { BundleWriter, type BundleWriterOptions } from './writer.js';

const require = createRequire(import.meta.url);
const harValidator = require('har-validator') as { har: (har: unknown) => Promise<unknown> };

function sample(seq: number): Observation {
  return {
    check: 'PAR-LAT-001',
    cohort: seq % 2 === 0 ? 'meta-ai' : 'assistant',
    kind: 'latency',
    seq,
    latencyUs: 1000 + seq,
  };
}

function exchange(seq: number): ExchangeRecord {
  return {
    id: `ex-${String(seq).padStart(6, '0')}`,
    direction: 'outbound',
    cohort: 'assistant',
    check: 'PAR-LAT-001',
    seq,
    startedDateTime: '2026-07-01T10:00:00.000Z',
    scheduledNs: 0,
    sentNs: 1_000,
    endNs: 2_000_000,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:4010/v24.0/1/messages',
      headers: { authorization: '[REDACTED]' },
      bodyText: '{"n":1}',
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: {},
      bodyText: `{"id":"wamid.${seq}"}`,
      isTruncated: false,
      bodyBytes: 18,
    },
    outcome: 'ok',
  };
}

function checkpointResults(draft: Results): BundleWriterOptions['checkpointResults'] {
  return (counts) => ({
    ...draft,
    run: { ...draft.run, status: 'interrupted', checkpoint: counts },
    summary: { total: 0, byVerdict: { pass: 0, fail: 0, warn: 0, inconclusive: 0, skip: 0, error: 0 }, exitCode: 3 },
    findings: [],
  });
}

async function open(dir: string, draft: Results, key = testKey()): Promise<BundleWriterOptions> {
  const options: BundleWriterOptions = {
    key,
    runId: draft.run.id,
    startedAt: draft.run.startedAt,
    seed: draft.run.seed,
    configDigest: null,
    checkpointResults: checkpointResults(draft),
    checkpointMs: 0,
  };
  await BundleWriter.create(dir, options).then((writer) => writer.close());
  return options;
}

const failing = async (dir: string): Promise<Record<string, string[]>> =>
  Object.fromEntries(
    (await verifyBundle(dir, { recompute: echoRecompute })).checks.filter((c) => !c.ok).map((c) => [c.name, c.details]),
  );

describe('BundleWriter', () => {
  it('leaves a verifying interrupted bundle at every checkpoint, and a killed run loses only what was buffered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dma-writer-'));
    const draft = fixtureResults([]);
    const options = await open(dir, draft);
    const writer = await BundleWriter.resume(dir, options);
    for (let i = 0; i < 10; i += 1) writer.addSample(sample(i));
    for (let i = 0; i < 4; i += 1) writer.addExchange(exchange(i));
    await writer.checkpoint();
    expect(await failing(dir)).toEqual({});
    writer.addSample(sample(10)); // buffered only: a SIGKILL now loses it
    await writer.close();
    expect(await failing(dir)).toEqual({});
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as Results;
    expect(results.run.status).toBe('interrupted');
    expect(results.run.checkpoint).toMatchObject({ samples: 10, exchanges: 4 });
    expect((await readObservations(dir)).map((o) => o.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('resumes after a crash in mid-checkpoint: bytes past the manifest are cut, numbering goes on, the end verifies complete', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dma-writer-'));
    const draft = fixtureResults([]);
    const options = await open(dir, draft);
    const first = await BundleWriter.resume(dir, options);
    for (let i = 0; i < 3; i += 1) [first.addSample(sample(i)), first.addExchange(exchange(i))];
    await first.checkpoint();
    await first.close();
    await appendFile(join(dir, 'samples.ndjson'), '{"torn":'); // a crash between appending and sealing
    await writeFile(join(dir, 'report.md'), 'stale report of the interrupted run\n');
    const second = await BundleWriter.resume(dir, options);
    expect(second.counts).toEqual({ samples: 3, exchanges: 3 });
    for (let i = 3; i < 5; i += 1) [second.addSample(sample(i)), second.addExchange(exchange(i))];
    const final: Results = { ...checkpointResults(draft)({ samples: 5, exchanges: 5, at: draft.run.finishedAt }) };
    delete final.run.checkpoint;
    await second.finish(final, async (folder) => writeFile(join(folder, 'report.md'), '# fresh\n'));
    expect(await failing(dir)).toEqual({});
    expect((await readdir(dir)).sort()).toEqual([
      'attestation.json',
      'exchanges.har.gz',
      'manifest.json',
      'report.md',
      'results.json',
      'samples.ndjson',
    ]);
    expect((await readObservations(dir)).map((o) => o.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(await readHarEntries(dir, (e) => (e as { _id: string })._id)).toEqual([
      'ex-000000',
      'ex-000001',
      'ex-000002',
      'ex-000003',
      'ex-000004',
    ]);
  });

  it('writes HAR 1.2 that har-validator (npm) accepts, with a pages array every entry refers to', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dma-writer-'));
    const draft = fixtureResults([]);
    const writer = await BundleWriter.resume(dir, await open(dir, draft));
    for (let i = 0; i < 3; i += 1) writer.addExchange(exchange(i));
    await writer.checkpoint();
    writer.addExchange(exchange(3));
    await writer.finish(draft);
    const har = JSON.parse(gunzipSync(await readFile(join(dir, 'exchanges.har.gz'))).toString('utf8')) as {
      log: { pages: Array<{ id: string }>; entries: Array<{ pageref: string }> };
    };
    await expect(harValidator.har(har)).resolves.toEqual(har);
    expect(har.log.pages.map((page) => page.id)).toEqual(['run']);
    expect(har.log.entries.map((entry) => entry.pageref)).toEqual(['run', 'run', 'run', 'run']);
  });
});
