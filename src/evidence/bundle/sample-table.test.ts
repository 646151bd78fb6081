import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OBSERVATION_FIELDS, observationWith, type Observation } from '../../core/types.js';
import { readObservations, readSampleLines } from './reader.js';
import { subsetOf } from './sample-table.js';

/** Samples of every shape a bundle holds: stream sends with timings, probes without, markers with neither. */
function samples(count: number): Observation[] {
  return Array.from({ length: count }, (_, seq): Observation => {
    if (seq % 5 === 4)
      return { check: 'PAR-RL-002', cohort: 'control', kind: 'probe-start', seq, data: { note: 'ünïcødé ✓ 🙂' } };
    return {
      check: 'PAR-LAT-001',
      metrics: ['PAR-LAT-001', 'PAR-ERR-001'],
      variant: seq % 2 === 0 ? 'text' : 'image',
      cohort: ['meta-ai', 'assistant', 'control'][seq % 3] as string,
      kind: 'send',
      round: Math.floor(seq / 3) - 2,
      scheduledNs: 1_250_039_519_927 + seq,
      sentNs: 1_250_716_778_988 + seq,
      latencyUs: 679_931.997 + seq / 7,
      outcome: seq % 7 === 0 ? 'http-error' : 'ok',
      exchanges: [`ex-${String(seq).padStart(6, '0')}`],
      data: { status: 200, errorCode: null, wamid: `wamid.${'é'.repeat(seq % 11)}${seq}`, feeHeaders: {} },
      seq,
    };
  });
}

async function bundleWith(lines: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dma-table-'));
  await writeFile(join(dir, 'samples.ndjson'), lines);
  return dir;
}

describe('SampleTable rows', () => {
  it('read back every field as recorded, across 1 MiB read chunks, multi-byte text and CRLF line ends', async () => {
    const recorded = samples(12_000);
    const text = recorded.map((o, i) => `${JSON.stringify(o)}${i % 9 === 0 ? '\r\n' : '\n'}`).join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
    const rows = await readObservations(await bundleWith(text));
    expect(rows).toHaveLength(recorded.length);
    recorded.forEach((o, i) => {
      const row = rows[i] as Observation;
      for (const field of OBSERVATION_FIELDS) expect(row[field], `${field} of sample ${i}`).toEqual(o[field]);
      expect(JSON.parse(JSON.stringify(row))).toEqual(o);
    });
  });

  it('give the spans readSampleLines reports, blank lines skipped', async () => {
    const [a, b] = samples(2).map((o) => JSON.stringify(o));
    const dir = await bundleWith(`${a}\n\n   \n${b}`);
    const spans = [];
    for await (const { span, lineNo } of readSampleLines(dir)) spans.push({ lineNo, ...span });
    const bytes = (text = ''): number => Buffer.byteLength(text);
    expect(spans).toEqual([
      { lineNo: 1, offset: 0, bytes: bytes(a) },
      { lineNo: 4, offset: bytes(a) + 6, bytes: bytes(b) },
    ]);
    expect((await readObservations(dir)).map((o) => o.data)).toEqual(samples(2).map((o) => o.data));
  });

  it('are read-only, frozen below, and copied whole by observationWith (a spread copies nothing)', async () => {
    const rows = await readObservations(await bundleWith(`${JSON.stringify(samples(1)[0])}\n`));
    const row = rows[0] as Observation;
    expect(() => {
      (row as { kind: string }).kind = 'other';
    }).toThrow(TypeError);
    expect(() => {
      (rows as Observation[]).push(row);
    }).toThrow(TypeError);
    expect(Object.isFrozen(row.data)).toBe(true);
    expect(Object.isFrozen(row.exchanges)).toBe(true);
    expect({ ...row }).not.toHaveProperty('kind');
    expect(observationWith(row, { kind: 'event' })).toEqual({ ...samples(1)[0], kind: 'event' });
  });

  it('behave as an array: filter, find, sort of a copy, iteration, subsets', async () => {
    const recorded = samples(30);
    const rows = await readObservations(await bundleWith(recorded.map((o) => JSON.stringify(o)).join('\n')));
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.filter((o) => o.kind === 'send').length).toBe(recorded.filter((o) => o.kind === 'send').length);
    expect(rows.findLast((o) => o.kind === 'probe-start')?.seq).toBe(29);
    expect([...rows].map((o) => o.seq)).toEqual(recorded.map((o) => o.seq));
    expect(rows.toSorted((a, b) => b.seq - a.seq)[0]?.seq).toBe(29);
    expect(rows[30]).toBeUndefined();
    const odd = subsetOf(rows, Uint32Array.from([1, 3, 5]));
    expect(subsetOf(odd, Uint32Array.from([2])).map((o) => o.seq)).toEqual([5]);
    expect(subsetOf(recorded, Uint32Array.from([2])).map((o) => o.seq)).toEqual([2]);
  });

  it('refuse to read a line back from a file that changed under them', async () => {
    const recorded = samples(3);
    const dir = await bundleWith(recorded.map((o) => JSON.stringify(o)).join('\n'));
    const rows = await readObservations(dir);
    await writeFile(
      join(dir, 'samples.ndjson'),
      recorded
        .reverse()
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    expect(() => rows[2]?.data).toThrow(/changed while it was being read/);
  });
});
