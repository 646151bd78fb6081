/**
 * (c) Harness overhead: the latency dma-audit measures for one send-message request, against a bare
 * node:http client and autocannon hitting the same sim endpoint at the same open-loop rate, with a
 * constant planted latency so every millisecond above it is the client's (plus the sim's timer).
 * Then the highest offered rate at which the harness's schedule slip stays below 1 ms at p99.
 */
import { cpus, loadavg } from 'node:os';
import { expect, test } from 'vitest';
import { startSim } from '../src/sim/server.js';
import { autocannonRun, bareRun, harnessRun, type ClientRun } from './lib/clients.js';
import { constantScenario } from './lib/noise.js';
import { printTable } from './lib/table.js';

const PLANTED_MS = 5;
const RATE = 150;
const COUNT = 900;
const REPEATS = 2;
const RATES = (process.env.BENCH_RATES ?? '30,100,300,600,1000,1500,2000').split(',').map(Number);

test('harness overhead and the highest open-loop rate it holds', async () => {
  const sim = await startSim({ scenario: constantScenario(PLANTED_MS), seed: 1 });
  try {
    const runs: Record<string, ClientRun[]> = {
      'dma-audit harness (PAR-LAT-001)': [],
      'bare node:http': [],
      autocannon: [],
    };
    // Alternate the clients so drift in the machine's load falls on each alike.
    for (let r = 0; r < REPEATS; r += 1) {
      runs['bare node:http']?.push(await bareRun(sim, COUNT, RATE));
      runs.autocannon?.push(await autocannonRun(sim, COUNT, RATE));
      runs['dma-audit harness (PAR-LAT-001)']?.push(await harnessRun(sim, COUNT / 3, RATE));
    }
    const bare = stats(runs['bare node:http']?.flatMap((run) => run.latenciesMs) ?? []);
    const rows = Object.entries(runs).map(([name, list]) => {
      const s = stats(list.flatMap((run) => run.latenciesMs));
      return [
        name,
        String(s.n),
        s.p50.toFixed(3),
        s.p99.toFixed(3),
        (s.p50 - PLANTED_MS).toFixed(3),
        (s.p50 - bare.p50).toFixed(3),
      ];
    });
    printTable(
      `(c) client overhead, planted latency ${PLANTED_MS} ms, ${RATE} requests/s open loop, ${REPEATS} alternating repeats`,
      ['client', 'n', 'median ms', 'p99 ms', 'median − planted', 'median − bare node:http'],
      rows,
    );

    const rateRows: string[][] = [];
    for (const rate of RATES) {
      const run = await harnessRun(sim, Math.round((rate * 2) / 3), rate);
      const s = stats(run.latenciesMs);
      rateRows.push([
        String(rate),
        `${run.slip?.p50Us ?? '–'}`,
        `${run.slip?.p99Us ?? '–'}`,
        `${run.slip?.maxUs ?? '–'}`,
        s.p50.toFixed(3),
        s.p99.toFixed(3),
        (run.slip?.p99Us ?? Infinity) < 1000 ? 'yes' : 'no',
      ]);
    }
    printTable(
      '(c) open-loop rate the harness holds (2 s per rate, 3 cohorts interleaved)',
      [
        'offered req/s',
        'slip p50 µs',
        'slip p99 µs',
        'slip max µs',
        'latency median ms',
        'latency p99 ms',
        'slip p99 < 1 ms',
      ],
      rateRows,
    );
    const held = rateRows.filter((row) => row[6] === 'yes').map((row) => Number(row[0]));
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
    console.log(
      `highest offered rate with schedule slip p99 < 1 ms: ${held.length === 0 ? 'none of those tried' : `${Math.max(...held)} requests/s`}`,
    );
    expect(rows).toHaveLength(3);
  } finally {
    await sim.close();
  }
});

function stats(values: number[]): { n: number; p50: number; p99: number } {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99) };
}
