import { it } from 'vitest';
import { expectNeverFailsAcrossSeeds } from './aa.test-helpers.js';

it('PAR-LAT-001 never fails on compliant (A/A) across 20 seeds', async () => {
  await expectNeverFailsAcrossSeeds('compliant');
}, 180_000);
