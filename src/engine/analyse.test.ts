import { describe, expect, it } from 'vitest';
import type { Observation } from '../core/types.js';
import { observationsByCheck, RESTARTED, ROUNDS_VOIDED } from './analyse.js';

function lines(...partial: Array<Partial<Observation>>): Observation[] {
  return partial.map((o, seq) => ({ check: 'PAR-LAT-001', cohort: 'assistant', kind: 'send', ...o, seq }));
}

const STREAM = { metrics: ['PAR-LAT-001', 'PAR-LAT-003'] };

describe('observationsByCheck', () => {
  it('serves each stream sample to every check it names', () => {
    const byCheck = observationsByCheck(lines({ ...STREAM, round: 0 }, { check: 'PAR-FEE-002', kind: 'probe' }));
    expect(byCheck.get('PAR-LAT-001')).toHaveLength(1);
    expect(byCheck.get('PAR-LAT-003')).toHaveLength(1);
    expect(byCheck.get('PAR-FEE-002')).toHaveLength(1);
  });

  it("check-restarted voids the check's own earlier samples, not stream samples nor later ones", () => {
    const byCheck = observationsByCheck(
      lines(
        { check: 'PAR-RL-002', kind: 'probe', round: 1 },
        { ...STREAM, check: 'PAR-RL-002', round: 1 },
        { check: 'PAR-RL-002', cohort: '*', kind: RESTARTED },
        { check: 'PAR-RL-002', kind: 'probe', round: 2 },
      ),
    );
    expect(byCheck.get('PAR-RL-002')?.map((o) => o.round)).toEqual([2]);
    expect(byCheck.get('PAR-LAT-001')?.map((o) => o.round)).toEqual([1]);
  });

  it('rounds-voided voids earlier stream samples of its kinds from its round on, of its own vantage point', () => {
    const marker = { ...STREAM, cohort: '*', kind: ROUNDS_VOIDED, data: { kinds: ['send'], fromRound: 2 } };
    const byCheck = observationsByCheck(
      lines(
        { ...STREAM, round: 1 },
        { ...STREAM, round: 2 },
        { ...STREAM, round: 2, kind: 'inbound' },
        { ...STREAM, round: 3, vantage: 'pl-waw' },
        { check: 'PAR-LAT-001', kind: 'send', round: 5 },
        marker,
        { ...STREAM, round: 2 },
      ),
    );
    expect(byCheck.get('PAR-LAT-001')?.map((o) => [o.kind, o.round, o.vantage ?? null, o.seq])).toEqual([
      ['send', 1, null, 0],
      ['inbound', 2, null, 2],
      ['send', 3, 'pl-waw', 3],
      ['send', 5, null, 4],
      ['send', 2, null, 6],
    ]);
  });
});
