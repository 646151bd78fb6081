import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/app/audit.js';
import type { SigningKey } from '../../../src/evidence/keys.js';
import { startSim, type RunningSim } from '../../../src/sim/server.js';
import { simConfig, tempDir, testSigningKey } from '../../../test/helpers.js';
import { isPolicyRejection } from './index.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

async function audit(
  scenario: string,
): Promise<Array<{ cohort: string | null; verdict: string; summary: string; measurements: unknown }>> {
  const sim: RunningSim = await startSim({ scenario, seed: 5 });
  try {
    const { results } = await runAudit({
      config: simConfig(sim, { limits: { maxRps: 400 } }),
      checks: ['PAR-POL-001'],
      seed: 5,
      outDir: tempDir(),
      signingKey,
      isQuick: true,
    });
    return results.findings.map((f) => ({
      cohort: f.cohort,
      verdict: f.verdict,
      summary: f.summary,
      measurements: f.measurements,
    }));
  } finally {
    await sim.close();
  }
}

describe('PAR-POL-001', () => {
  it('fails the banned assistant with error 368 and never the control', async () => {
    const findings = await audit('oct-2025-ban');
    expect(findings.map((f) => [f.cohort, f.verdict])).toEqual([
      ['assistant', 'fail'],
      ['control', 'pass'],
    ]);
    const [assistant] = findings;
    expect(assistant?.summary).toContain('368');
    expect(assistant?.summary).toContain('AI Providers are not permitted');
    expect(assistant?.measurements).toMatchObject({
      rejections: { reference: 0, subject: 5 },
      codes: { subject: { '368': 5 } },
    });
  });

  for (const scenario of ['compliant', 'flaky-but-fair']) {
    it(`finds no policy block on ${scenario}`, async () => {
      const findings = await audit(scenario);
      expect(findings.map((f) => f.verdict)).toEqual(['pass', 'pass']);
    });
  }
});

describe('isPolicyRejection', () => {
  it('takes the policy codes and refusal texts naming AI providers, not other errors', () => {
    expect(isPolicyRejection(368, null)).toBe(true);
    expect(isPolicyRejection(131049, 'not delivered')).toBe(true);
    expect(isPolicyRejection(131000, 'AI Providers are not permitted')).toBe(true);
    expect(isPolicyRejection(2, 'Service temporarily unavailable')).toBe(false);
    expect(isPolicyRejection(null, 'policy')).toBe(false);
  });
});
