/**
 * The hostile-target matrix: every fault mode of test/hostile/modes.ts against the built-in platform
 * behind the fault-injecting proxy. `npm test` runs a representative subset; `npm run test:hostile`
 * (DMA_AUDIT_HOSTILE=full) runs them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SigningKey } from '../../src/evidence/keys.js';
import { testSigningKey } from '../helpers.js';
import { runMode } from './harness.js';
import { faultModes } from './modes.js';
import { APP_SECRET } from './harness.js';

/** One mode per surface and failure family, small enough for the ordinary test run. */
const SUBSET = [
  'send-reset-mid-body',
  'send-empty-object',
  'send-redirect-302',
  'fee-duplicate-header',
  'secret-in-status-text',
  'probe-token-reflection',
  'hook-forged-signature',
  'interop-fabricated-reply',
];

const isFull = process.env.DMA_AUDIT_HOSTILE === 'full';
const modes = faultModes({ appSecret: APP_SECRET });
const selected = isFull ? modes : modes.filter((m) => SUBSET.includes(m.name));

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

describe(`hostile targets (${isFull ? 'full matrix' : 'subset'}: ${selected.length} of ${modes.length} modes)`, () => {
  it('has at least 40 modes and every subset mode exists', () => {
    expect(modes.length).toBeGreaterThanOrEqual(40);
    expect(new Set(modes.map((m) => m.name)).size).toBe(modes.length);
    for (const name of SUBSET) expect(modes.map((m) => m.name)).toContain(name);
  });

  // Each mode has its own platform and proxy and mostly waits on its paced streams, so the subset's modes
  // share the wall time (at most maxConcurrency at once); the full matrix runs them one at a time.
  (isFull ? it : it.concurrent).each(selected.map((m) => [m.name, m] as const))(
    '%s: finishes, verifies, keeps every credential form off disk, claims nothing the evidence cannot support',
    async (_name, mode) => {
      await runMode(mode, signingKey);
    },
    180_000,
  );
});
