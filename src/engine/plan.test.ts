import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { CheckDefinition } from './check.js';
import { globToRegex, selectChecks } from './plan.js';

const check = (id: string, suite: CheckDefinition['suite']): CheckDefinition => ({
  id,
  suite,
  title: id,
  description: id,
  references: [],
  requires: [],
  run: async () => undefined,
  analyse: () => [],
});
const catalogue = [
  check('CONF-API-001', 'conformance'),
  check('PAR-LAT-001', 'parity'),
  check('PAR-LAT-002', 'parity'),
  check('PAR-FEE-001', 'parity'),
  check('E2EE-KEY-001', 'e2ee'),
];
const ids = (checks: CheckDefinition[]): string[] => checks.map((c) => c.id);

describe('selectChecks', () => {
  it('selects everything by default, in catalogue order', () => {
    expect(ids(selectChecks(catalogue, {}))).toEqual(ids(catalogue));
  });

  it('matches ids and globs, case-insensitively, keeping catalogue order', () => {
    expect(ids(selectChecks(catalogue, { checks: ['par-fee-001', 'PAR-LAT-*'] }))).toEqual([
      'PAR-LAT-001',
      'PAR-LAT-002',
      'PAR-FEE-001',
    ]);
  });

  it('intersects suites with check filters', () => {
    expect(ids(selectChecks(catalogue, { suites: ['parity', 'e2ee'], checks: ['*-001'] }))).toEqual([
      'PAR-LAT-001',
      'PAR-FEE-001',
      'E2EE-KEY-001',
    ]);
  });

  it('rejects a glob that matches nothing and an unknown suite', () => {
    expect(() => selectChecks(catalogue, { checks: ['PAR-XYZ-*'] })).toThrow(UsageError);
    expect(() => selectChecks(catalogue, { suites: ['speed'] })).toThrow('unknown suite "speed"');
  });

  it('treats regex characters in a glob literally', () => {
    expect(globToRegex('PAR-LAT-00?').test('PAR-LAT-001')).toBe(true);
    expect(globToRegex('PAR.LAT').test('PARXLAT')).toBe(false);
  });
});
