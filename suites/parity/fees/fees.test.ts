import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/app/audit.js';
import type { SigningKey } from '../../../src/evidence/keys.js';
import { startSim } from '../../../src/sim/server.js';
import type { Finding } from '../../../src/core/types.js';
import { simConfig, tempDir, testSigningKey } from '../../../test/helpers.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

async function audit(scenario: string, checks: string[]): Promise<Finding[]> {
  const sim = await startSim({ scenario, seed: 7 });
  try {
    const { results } = await runAudit({
      config: simConfig(sim, { limits: { maxRps: 400 } }),
      checks,
      seed: 7,
      outDir: tempDir(),
      signingKey,
      isQuick: true,
    });
    return results.findings;
  } finally {
    await sim.close();
  }
}

const verdicts = (findings: Finding[], check: string): Array<[string | null, string]> =>
  findings.filter((f) => f.checkId === check).map((f) => [f.cohort, f.verdict]);

describe('PAR-FEE-001', () => {
  it('fails the surcharged assistant with the planted EUR 0.0572 and names the first evidence exchange', async () => {
    const findings = await audit('ai-provider-fee', ['PAR-FEE-001']);
    expect(verdicts(findings, 'PAR-FEE-001')).toEqual([
      ['assistant', 'fail'],
      ['control', 'pass'],
    ]);
    const assistant = findings[0];
    expect(assistant?.summary).toContain('EUR 0.0572 per message');
    expect(assistant?.measurements.perMessage).toEqual({ reference: 0, subject: 0.0572 });
    const fees = assistant?.measurements.fees as Record<
      string,
      { charged: number; accepted: number; currency: string | null; firstEvidence: string | null }
    >;
    expect(fees.assistant).toMatchObject({ charged: 10, accepted: 10, currency: 'EUR' });
    expect(fees['meta-ai']).toMatchObject({ charged: 0, currency: null, firstEvidence: null });
    expect(assistant?.evidence[0]).toBe(fees.assistant?.firstEvidence);
    expect(assistant?.evidence[0]).toMatch(/^ex-\d{6}$/);
  });

  for (const scenario of ['compliant', 'flaky-but-fair', 'capped-free-tier']) {
    it(`finds no extra fee on ${scenario} within the free messages`, async () => {
      const findings = await audit(scenario, ['PAR-FEE-001']);
      expect(verdicts(findings, 'PAR-FEE-001')).toEqual([
        ['assistant', 'pass'],
        ['control', 'pass'],
      ]);
    });
  }
});

describe('PAR-FEE-001 with status webhooks', () => {
  it('records the billable pricing of status webhooks next to the fee headers', async () => {
    const findings = await audit('ai-provider-fee', ['PAR-FEE-001', 'PAR-FEAT-002']);
    const assistant = findings.find((f) => f.checkId === 'PAR-FEE-001' && f.cohort === 'assistant');
    expect(assistant?.verdict).toBe('fail');
    expect(assistant?.measurements.statusWebhooks).toBeGreaterThanOrEqual(30);
  });
});

describe('PAR-FEE-002', () => {
  it('finds the capped free tier at the planted threshold of 40 messages', async () => {
    const findings = await audit('capped-free-tier', ['PAR-FEE-002']);
    expect(verdicts(findings, 'PAR-FEE-002')).toEqual([
      ['assistant', 'fail'],
      ['control', 'pass'],
    ]);
    expect(findings[0]?.measurements.threshold).toBe(40);
    expect(findings[0]?.summary).toContain('after 40 free messages');
    expect(findings[0]?.summary).toContain('EUR 0.0572 per message');
  });

  it('counts messages sent earlier in the run towards the threshold', async () => {
    const findings = await audit('capped-free-tier', ['CONF-API-001', 'PAR-FEE-002']);
    const tier = findings.find((f) => f.checkId === 'PAR-FEE-002' && f.cohort === 'assistant');
    const onset = (tier?.measurements.onset as { subject: { acceptedBefore: number } } | undefined)?.subject;
    const before = onset?.acceptedBefore ?? 0;
    expect(before).toBeGreaterThan(0);
    expect(tier?.verdict).toBe('fail');
    expect(tier?.measurements.threshold).toBe(40);
    expect(tier?.summary).toContain(`${40 - before} in this probe, after ${before} messages this cohort sent earlier`);
  });

  it('shares the outbound stream with PAR-FEE-001: one set of sends, the text held for the probe', async () => {
    const findings = await audit('capped-free-tier', ['PAR-FEE-001', 'PAR-FEE-002']);
    expect(verdicts(findings, 'PAR-FEE-002')).toEqual([
      ['assistant', 'fail'],
      ['control', 'pass'],
    ]);
    const tier = findings.find((f) => f.checkId === 'PAR-FEE-002' && f.cohort === 'assistant');
    expect(tier?.measurements.threshold).toBe(40);
    expect(tier?.measurements.probeMessages).toBe(60);
    // Past the free tier the same sends carry PAR-FEE-001's evidence: 60 − 40 charged text messages.
    const signals = findings.find((f) => f.checkId === 'PAR-FEE-001' && f.cohort === 'assistant');
    expect(signals?.verdict).toBe('fail');
    expect(signals?.measurements.fees).toMatchObject({ assistant: { accepted: 60, charged: 20 } });
  });

  it('warns, not fails, on a flat fee from the first message (PAR-FEE-001 judges that)', async () => {
    const findings = await audit('ai-provider-fee', ['PAR-FEE-002']);
    expect(verdicts(findings, 'PAR-FEE-002')).toEqual([
      ['assistant', 'warn'],
      ['control', 'pass'],
    ]);
  });

  it('passes a compliant platform', async () => {
    const findings = await audit('flaky-but-fair', ['PAR-FEE-002']);
    expect(verdicts(findings, 'PAR-FEE-002')).toEqual([
      ['assistant', 'pass'],
      ['control', 'pass'],
    ]);
  });
});
