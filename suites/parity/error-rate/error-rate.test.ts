import { describe, expect, it } from 'vitest';
import { findingOf, smallAudit, withoutRateLimit } from '../../shared/audit.test-helpers.js';

describe('PAR-ERR-001 success rate', () => {
  it('fails oct-2025-ban for the subject refused with 368, and not for the A/A control', async () => {
    const { results } = await smallAudit({
      scenario: 'oct-2025-ban',
      checks: ['PAR-ERR-001'],
      seed: 2,
      samples: 60,
      latencyRps: 150,
    });
    const subject = findingOf(results.findings, 'PAR-ERR-001', 'assistant');
    expect(subject.verdict).toBe('fail');
    expect(subject.measurements.errors).toEqual({ reference: 0, subject: 60 });
    expect(subject.summary).toMatch(
      new RegExp(
        String.raw`^Third-party AI assistant: 100\.0% of requests failed \(60\/60; error 368 ×60\) vs ` +
          String.raw`0\.0% \(0\/60\) for Gatekeeper's own assistant \(reference\): difference \+100\.0 points`,
      ),
    );
    expect(findingOf(results.findings, 'PAR-ERR-001', 'control').verdict).not.toBe('fail');
  });

  it('never fails flaky-but-fair, whose faults hit every cohort alike, across 5 seeds', async () => {
    const verdicts: string[] = [];
    let errors = 0;
    for (let seed = 1; seed <= 5; seed += 1) {
      const { results } = await smallAudit({
        scenario: withoutRateLimit('flaky-but-fair'),
        checks: ['PAR-ERR-001'],
        seed,
        samples: 300,
        latencyRps: 450,
      });
      for (const finding of results.findings) {
        verdicts.push(`${seed}/${finding.cohort}: ${finding.verdict}`);
        errors += (finding.measurements.errors as { subject: number }).subject;
      }
    }
    expect(verdicts.filter((v) => v.endsWith('fail'))).toEqual([]);
    // The faults are real: about 4% of 3000 subject requests (errors and resets) failed.
    expect(errors).toBeGreaterThan(60);
  });
});
