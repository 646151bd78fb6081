import { it } from 'vitest';
import { expectNeverFailsAcrossSeeds } from './aa.test-helpers.js';

it('PAR-LAT-001 never fails on flaky-but-fair (A/A) across 20 seeds', async () => {
  await expectNeverFailsAcrossSeeds('flaky-but-fair');
}, 180_000);
