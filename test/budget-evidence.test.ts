import { expect, it } from 'vitest';
import { runAudit, verifyBundle } from '../src/app/audit.js';
import { tempDir, testSigningKey } from './helpers.js';

it('with --max-requests 1 no check passes or fails on requests the harness withheld', async () => {
  const { results, bundleDir } = await runAudit({
    scenario: 'compliant',
    checks: ['E2EE-SES-001', 'PAR-RL-002', 'PAR-ERR-001', 'PAR-FEAT-001', 'CONF-WH-001'],
    maxRequests: 1,
    seed: 3,
    outDir: tempDir(),
    signingKey: await testSigningKey(),
  });
  const decided = results.findings.filter((f) => f.verdict === 'pass' || f.verdict === 'fail');
  // The one request the budget allowed is the reference's webhook override: that handshake, and only it, is evidence.
  expect(decided.map((f) => `${f.checkId} ${f.cohort ?? ''} ${f.verdict}`)).toEqual(['CONF-WH-001 meta-ai pass']);
  expect(results.findings.find((f) => f.checkId === 'E2EE-SES-001')?.summary).toMatch(/harness withheld/);
  expect(results.summary.exitCode).toBe(3);
  expect((await verifyBundle(bundleDir)).ok).toBe(true);
}, 120_000);
