import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../../src/core/progress.js';
import type { Observation } from '../../../src/core/types.js';
import { tempDir } from '../../../test/helpers.js';
import { smallAudit, withoutRateLimit } from '../audit.test-helpers.js';

type Work = Extract<RunProgress, { kind: 'work' }>;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('progress of a run', () => {
  it('reports each check as it starts and the stream’s samples against its caps, PAR-FEE-002’s among them', async () => {
    const events: RunProgress[] = [];
    const logs: string[] = [];
    const dir = tempDir();
    dirs.push(dir);
    const { bundleDir } = await smallAudit(
      {
        scenario: withoutRateLimit('self-preferencing'),
        checks: ['PAR-LAT-001', 'PAR-LAT-003', 'PAR-FEE-002'],
        seed: 11,
        samples: 40,
        latencyRps: 300,
        latencyTypes: ['text'],
        design: 'sequential',
        maxSamples: 40,
        listen: { onProgress: (event) => events.push(event), onLog: (message) => logs.push(message) },
      },
      dir,
    );
    const starts = events.filter((e) => e.kind === 'check');
    expect(starts.map((e) => [e.check, e.index, e.total])).toEqual([
      ['PAR-LAT-001', 1, 3],
      ['PAR-LAT-003', 2, 3],
      ['PAR-FEE-002', 3, 3],
    ]);

    const samples = readFileSync(join(bundleDir, 'samples.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Observation);
    const cohorts = new Set(samples.filter((s) => s.kind === 'send').map((s) => s.cohort)).size;
    expect(cohorts).toBeGreaterThan(1);
    const stream = events.filter((e): e is Work => e.kind === 'work' && e.part === 'outbound stream');
    expect(new Set(stream.map((e) => `${e.check} ${e.unit}`))).toEqual(new Set(['PAR-LAT-001 samples']));
    // At first the caps: 60 text rounds per cohort (maxSamples 40, held for PAR-FEE-002's 60 messages),
    // each send with its three status callbacks.
    expect(stream[0]?.planned).toBe(60 * cohorts * 4);
    expect(stream.every((e, i) => i === 0 || e.done >= (stream[i - 1]?.done ?? 0))).toBe(true);
    expect(stream.every((e) => e.done <= e.planned)).toBe(true);
    // At the end, what the stream recorded (warm-up left out), and the plan lowered to where it stopped.
    const recorded = samples.filter(
      (s) => s.metrics !== undefined && (s.kind === 'send' || s.kind === 'status') && (s.round ?? -1) >= 0,
    );
    const last = stream.at(-1);
    expect(last?.done).toBe(recorded.length);
    expect(last?.planned).toBe(recorded.length);
    expect(logs.filter((l) => l.startsWith('outbound stream:'))).toEqual([
      expect.stringMatching(/^outbound stream: text stopped after \d+ rounds \((decided|cap)\)$/),
    ]);

    // PAR-FEE-002 sends nothing of its own: its messages are the stream's.
    expect(events.filter((e) => e.kind === 'work' && e.part !== 'outbound stream')).toEqual([]);
    expect(samples.filter((s) => s.kind === 'send' && s.metrics?.includes('PAR-FEE-002') !== true)).toEqual([]);
  }, 20_000);
});
