import { describe, expect, it } from 'vitest';
import type { Observation } from '../../core/types.js';
import { ObservationPool } from './compact.js';

/** A stream sample as samples.ndjson holds it, parsed anew each time (as the reader does). */
function parsed(seq: number, wamid: string): Observation {
  return JSON.parse(
    JSON.stringify({
      check: 'PAR-LAT-001',
      metrics: ['PAR-LAT-001', 'PAR-ERR-001'],
      variant: 'text',
      cohort: seq % 2 === 0 ? 'meta-ai' : 'assistant',
      kind: 'send',
      round: seq,
      latencyUs: 1000.5 + seq,
      outcome: 'ok',
      exchanges: [`ex-${seq}`],
      data: { status: 200, errorCode: null, wamid, category: 'service', feeHeaders: {}, pricing: [] },
      seq,
    }),
  ) as Observation;
}

describe('ObservationPool', () => {
  it('changes no value', () => {
    const pool = new ObservationPool();
    for (let seq = 0; seq < 4; seq += 1) {
      const wamid = `wamid.${'x'.repeat(30)}${seq}`;
      expect(pool.compact(parsed(seq, wamid))).toEqual(parsed(seq, wamid));
    }
  });

  it('shares what repeats across observations and freezes what it shares', () => {
    const pool = new ObservationPool();
    const [a, b] = [pool.compact(parsed(0, 'wamid.a')), pool.compact(parsed(2, 'wamid.b'))];
    expect(a.metrics).toBe(b.metrics);
    expect(a.data?.feeHeaders).toBe(b.data?.feeHeaders);
    expect(a.data?.pricing).toBe(b.data?.pricing);
    expect(Object.isFrozen(a.metrics)).toBe(true);
    expect(Object.isFrozen(a.data?.feeHeaders)).toBe(true);
    expect(() => (a.metrics as string[]).push('PAR-FEE-001')).toThrow(TypeError);
    // What differs stays each observation's own.
    expect(a.exchanges).not.toBe(b.exchanges);
    expect(a.data?.wamid).toBe('wamid.a');
    expect(b.data?.wamid).toBe('wamid.b');
  });

  it('tags every observation with the vantage it is given', () => {
    const pool = new ObservationPool();
    expect(pool.compact(parsed(1, 'w'), 'eu-west').vantage).toBe('eu-west');
    expect(pool.compact(parsed(1, 'w')).vantage).toBeUndefined();
  });
});
