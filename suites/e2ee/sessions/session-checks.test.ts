import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/types.js';
import { e2eeChecks } from '../index.js';
import { analysisContext, echoed, Observations, OK_SAFETY, OK_SESSION, REF, SUB } from '../records.test-helpers.js';

function analyse(id: string, observations: Observations): Finding[] {
  const check = e2eeChecks.find((c) => c.id === id);
  if (check === undefined) throw new Error(`no ${id}`);
  return check.analyse(observations.list, analysisContext()) as Finding[];
}

function subject(findings: Finding[]): Finding {
  const finding = findings.find((f) => f.cohort === SUB.id);
  if (finding === undefined) throw new Error('no subject finding');
  return finding;
}

const healthy = (): Observations =>
  new Observations().session(REF.id, OK_SESSION, [echoed(), echoed({ messageType: 1 })]);

describe('E2EE-SES-001 session and round trip', () => {
  it('passes a PQXDH session whose messages the recipient answered, with round-trip times', () => {
    const findings = analyse('E2EE-SES-001', healthy().session(SUB.id, OK_SESSION, [echoed(), echoed()]));
    expect(findings.map((f) => f.verdict)).toEqual(['pass', 'pass']);
    expect(subject(findings).summary).toContain('PQXDH session (version 4)');
    expect(subject(findings).measurements['roundTripMs']).toEqual({ median: 3, max: 3 });
    expect(subject(findings).evidence).toEqual(['sub-upload', 'sub-send-0', 'sub-send-1']);
  });

  it('fails plainly when the missing Kyber prekey makes the session impossible', () => {
    const failed = {
      ...OK_SESSION,
      ok: false,
      reason: 'no-kyber-prekey',
      detail: 'no Kyber prekey offered',
      protocol: null,
      sessionVersion: null,
      usedOneTimePreKey: null,
    };
    const finding = subject(analyse('E2EE-SES-001', healthy().session(SUB.id, failed)));
    expect(finding.verdict).toBe('fail');
    expect(finding.summary).toContain('impossible rather than weaker');
  });

  it('fails when the recipient answers with a decryption-error notice (a substituted key)', () => {
    const notice = echoed({ stage: 'recipient-could-not-decrypt', replyType: 8, receivedDigest: null });
    const finding = subject(analyse('E2EE-SES-001', healthy().session(SUB.id, OK_SESSION, [notice, notice])));
    expect(finding.verdict).toBe('fail');
    expect(finding.summary).toContain('2 of 2 messages did not get through');
    expect(finding.measurements['stages']).toEqual({ 'recipient-could-not-decrypt': 2 });
  });

  it('does not pass a round trip whose reply does not decrypt or is not the echo (E2EE-SES-002 blames the relay)', () => {
    const tampered = echoed({ stage: 'reply-undecryptable', receivedDigest: null });
    const fabricated = echoed({ stage: 'not-an-echo', receivedDigest: null });
    for (const message of [tampered, fabricated]) {
      const finding = subject(analyse('E2EE-SES-001', healthy().session(SUB.id, OK_SESSION, [message])));
      expect(finding.verdict).toBe('inconclusive');
      expect(finding.summary).toMatch(/not confirmed/);
    }
  });

  it('is an error, not a failure of the relay, when the harness withheld the messages', () => {
    const withheld = echoed({ stage: 'not-sent', receivedDigest: null, detail: 'with no answer (budget-exhausted)' });
    const finding = subject(analyse('E2EE-SES-001', healthy().session(SUB.id, OK_SESSION, [withheld])));
    expect(finding.verdict).toBe('error');
    expect(finding.summary).toMatch(/withheld/);
  });

  it('errors when the probe never reached the cohort', () => {
    const finding = subject(analyse('E2EE-SES-001', healthy()));
    expect(finding.verdict).toBe('error');
  });
});

describe('E2EE-SES-002 ciphertext integrity', () => {
  it('passes intact echoes and fails replies that fail authentication or echo another digest', () => {
    expect(subject(analyse('E2EE-SES-002', healthy().session(SUB.id, OK_SESSION, [echoed()]))).verdict).toBe('pass');
    const tampered = subject(
      analyse(
        'E2EE-SES-002',
        healthy().session(SUB.id, OK_SESSION, [
          echoed({ stage: 'reply-undecryptable', receivedDigest: null }),
          echoed(),
        ]),
      ),
    );
    expect(tampered.verdict).toBe('fail');
    expect(tampered.summary).toContain('the relay altered the ciphertext in transit');
    expect(tampered.measurements['repliesFailingAuthentication']).toBe(1);
    const mismatch = subject(
      analyse(
        'E2EE-SES-002',
        healthy().session(SUB.id, OK_SESSION, [echoed({ stage: 'echo-mismatch', receivedDigest: 'other' })]),
      ),
    );
    expect(mismatch.verdict).toBe('fail');
  });

  it('is inconclusive when no reply came back to compare', () => {
    const notice = echoed({ stage: 'recipient-could-not-decrypt', replyType: 8 });
    expect(subject(analyse('E2EE-SES-002', healthy().session(SUB.id, OK_SESSION, [notice]))).verdict).toBe(
      'inconclusive',
    );
  });
});

describe('E2EE-SES-003 safety number', () => {
  it('reports the safety number, and warns when the recipient half differs from the reference', () => {
    const same = subject(
      analyse(
        'E2EE-SES-003',
        healthy().session(SUB.id, OK_SESSION, [], { ...OK_SAFETY, safetyNumber: '3'.repeat(30) + '1'.repeat(30) }),
      ),
    );
    expect(same.verdict).toBe('pass');
    expect(same.measurements['safetyNumber']).toBe(
      '33333 33333 33333 33333 33333 33333 11111 11111 11111 11111 11111 11111',
    );
    const other = subject(
      analyse(
        'E2EE-SES-003',
        healthy().session(SUB.id, OK_SESSION, [], { ...OK_SAFETY, recipientDigits: '4'.repeat(30) }),
      ),
    );
    expect(other.verdict).toBe('warn');
    expect(other.measurements['referenceRecipientDigits']).toBe('1'.repeat(30));
  });

  it('errors with the reason when no safety number could be computed', () => {
    const missing = {
      ok: false,
      reason: 'no usable key bundle, so no identity key to compare',
      safetyNumber: null,
      recipientDigits: null,
      identityFingerprint: null,
    };
    const finding = subject(analyse('E2EE-SES-003', healthy().session(SUB.id, OK_SESSION, [], missing)));
    expect(finding.verdict).toBe('error');
    expect(finding.verdict === 'error' ? finding.reason : '').toContain('no usable key bundle');
  });
});
