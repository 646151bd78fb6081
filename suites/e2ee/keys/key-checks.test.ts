import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../../../src/engine/check.js';
import type { Finding } from '../../../src/core/types.js';
import { e2eeChecks } from '../index.js';
import {
  analysisContext,
  goodBundle,
  malformedBundle,
  Observations,
  OTHER_FINGERPRINT,
  REF,
  SUB,
} from '../records.test-helpers.js';

function check(id: string): CheckDefinition {
  const found = e2eeChecks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no ${id}`);
  return found;
}

function analyse(id: string, observations: Observations, pinned: string | null = null): Finding[] {
  return check(id).analyse(observations.list, analysisContext(pinned)) as Finding[];
}

function verdicts(findings: Finding[]): Array<[string | null, string]> {
  return findings.map((f) => [f.cohort, f.verdict]);
}

function forCohort(findings: Finding[], cohort: string): Finding {
  const finding = findings.find((f) => f.cohort === cohort);
  if (finding === undefined) throw new Error(`no finding for ${cohort}`);
  return finding;
}

const compliant = (): Observations => new Observations().bundles(REF.id, goodBundle()).bundles(SUB.id, goodBundle());

describe('catalogue', () => {
  it('lists the E2EE checks in catalogue order, each with legal references', () => {
    expect(e2eeChecks.map((c) => c.id)).toEqual([
      'E2EE-KEY-001',
      'E2EE-KEY-002',
      'E2EE-KEY-003',
      'E2EE-KEY-004',
      'E2EE-SES-001',
      'E2EE-SES-002',
      'E2EE-SES-003',
    ]);
    expect(e2eeChecks.every((c) => c.suite === 'e2ee' && c.references.some((r) => r.clause === 'Art. 7(3)'))).toBe(
      true,
    );
  });
});

describe('E2EE-KEY-001 signatures', () => {
  it('passes every cohort whose bundles verify, and names the reference only on subject findings', () => {
    const findings = analyse('E2EE-KEY-001', compliant());
    expect(verdicts(findings)).toEqual([
      ['ref', 'pass'],
      ['sub', 'pass'],
    ]);
    expect(findings.map((f) => f.reference)).toEqual([null, 'ref']);
    expect(forCohort(findings, 'sub').evidence).toHaveLength(5);
  });

  it('fails the cohort whose signed prekey does not verify', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(SUB.id, goodBundle({ signatures: { signedPreKey: false, pqPreKey: true } }), 2)
      .bundles(SUB.id, goodBundle(), 3);
    const finding = forCohort(analyse('E2EE-KEY-001', obs), 'sub');
    expect(finding.verdict).toBe('fail');
    expect(finding.summary).toContain('signed prekey (2 of 5 fetches)');
    expect(finding.measurements['signedPreKey']).toEqual({ verified: 3, failed: 2 });
  });

  it('fails on a Kyber prekey signature that does not verify', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle({ signatures: { signedPreKey: true, pqPreKey: false } }))
      .bundles(SUB.id, goodBundle());
    expect(verdicts(analyse('E2EE-KEY-001', obs))).toEqual([
      ['ref', 'fail'],
      ['sub', 'pass'],
    ]);
  });

  it('fails malformed key material with the reason, and errors when no bundle was fetched at all', () => {
    const obs = new Observations().bundles(
      SUB.id,
      malformedBundle('identityKey: wrong key type byte 0x07 (0x05 expected)'),
    );
    const findings = analyse('E2EE-KEY-001', obs);
    expect(forCohort(findings, 'sub').verdict).toBe('fail');
    expect(forCohort(findings, 'sub').summary).toContain('wrong key type byte 0x07');
    const ref = forCohort(findings, 'ref');
    expect(ref.verdict).toBe('error');
    expect(ref.verdict === 'error' ? ref.reason : '').toContain('no key bundle was fetched');
  });
});

describe('E2EE-KEY-002 Kyber prekey', () => {
  it('fails a cohort offered no Kyber prekey and says the session becomes impossible', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(SUB.id, goodBundle({ pqPreKeyId: null, signatures: { signedPreKey: true, pqPreKey: null } }));
    const findings = analyse('E2EE-KEY-002', obs);
    expect(verdicts(findings)).toEqual([
      ['ref', 'pass'],
      ['sub', 'fail'],
    ]);
    expect(forCohort(findings, 'sub').summary).toMatch(
      /in any of 5 bundles, while the reference assistant was offered one in 5 of 5.*cannot open an end-to-end encrypted session/,
    );
  });

  it('fails a cohort offered the Kyber prekey only some of the time', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(SUB.id, goodBundle(), 3)
      .bundles(SUB.id, goodBundle({ pqPreKeyId: null }), 2);
    const finding = forCohort(analyse('E2EE-KEY-002', obs), 'sub');
    expect(finding.verdict).toBe('fail');
    expect(finding.measurements['kyberPreKeyOffered']).toBe(3);
  });

  it('errors, with the decoding problem, when no bundle of a cohort decoded', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(
        SUB.id,
        malformedBundle('devices[0].pqPreKey.publicKey: truncated Kyber key: 1000 bytes (1569 expected)'),
      );
    const finding = forCohort(analyse('E2EE-KEY-002', obs), 'sub');
    expect(finding.verdict).toBe('error');
    expect(finding.verdict === 'error' ? finding.reason : '').toContain('truncated Kyber key');
  });
});

describe('E2EE-KEY-003 identity key', () => {
  it('fails the subject only when it is served a different identity key', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(SUB.id, goodBundle({ identityFingerprint: OTHER_FINGERPRINT }));
    const findings = analyse('E2EE-KEY-003', obs);
    expect(verdicts(findings)).toEqual([
      ['ref', 'pass'],
      ['sub', 'fail'],
    ]);
    expect(forCohort(findings, 'sub').summary).toBe(
      'The identity key served to the third-party ' +
        'assistant differs from the one served ' +
        'to the reference assistant: a substituted ' +
        'key lets the gateway read the messages.',
    );
  });

  it('fails a cohort whose identity key changes between fetches', () => {
    const obs = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(SUB.id, goodBundle(), 4)
      .bundles(SUB.id, goodBundle({ identityFingerprint: OTHER_FINGERPRINT }), 1);
    const finding = forCohort(analyse('E2EE-KEY-003', obs), 'sub');
    expect(finding.verdict).toBe('fail');
    expect(finding.summary).toContain('changed between fetches (2 different keys in 5 fetches)');
  });

  it('compares every cohort with the pinned key, which may lack the type byte', () => {
    const key = Buffer.concat([Buffer.from([0x05]), Buffer.alloc(32, 9)]);
    const fingerprint = createHash('sha256').update(key).digest('hex');
    const obs = new Observations()
      .bundles(REF.id, goodBundle({ identityFingerprint: fingerprint }))
      .bundles(SUB.id, goodBundle({ identityFingerprint: fingerprint }));
    expect(verdicts(analyse('E2EE-KEY-003', obs, key.toString('base64')))).toEqual([
      ['ref', 'pass'],
      ['sub', 'pass'],
    ]);
    expect(verdicts(analyse('E2EE-KEY-003', obs, key.subarray(1).toString('base64')))).toEqual([
      ['ref', 'pass'],
      ['sub', 'pass'],
    ]);
    const other = Buffer.concat([Buffer.from([0x05]), Buffer.alloc(32, 1)]).toString('base64');
    const pinnedFail = analyse('E2EE-KEY-003', obs, other);
    expect(verdicts(pinnedFail)).toEqual([
      ['ref', 'fail'],
      ['sub', 'fail'],
    ]);
    expect(forCohort(pinnedFail, 'ref').summary).toContain('pinned out of band');
  });

  it('errors on a pinned key that is not base64, instead of passing', () => {
    const findings = analyse('E2EE-KEY-003', compliant(), 'not base64!');
    expect(verdicts(findings)).toEqual([
      ['ref', 'error'],
      ['sub', 'error'],
    ]);
  });
});

describe('E2EE-KEY-004 one-time prekeys', () => {
  it('fails the subject served none while the reference got some; judges subjects only', () => {
    const obs = new Observations().bundles(REF.id, goodBundle()).bundles(SUB.id, goodBundle({ preKeyId: null }));
    const findings = analyse('E2EE-KEY-004', obs);
    expect(verdicts(findings)).toEqual([['sub', 'fail']]);
    expect(findings[0]?.measurements['oneTimePreKeysServed']).toEqual({ subject: 0, reference: 5 });
    expect(findings[0]?.measurements['oneTimePreKeyIds']).toEqual({ subject: [], reference: [10, 10, 10, 10, 10] });
    expect(findings[0]?.evidence).toHaveLength(10);
  });

  it('passes equal availability, warns on fewer and on none for anyone', () => {
    expect(verdicts(analyse('E2EE-KEY-004', compliant()))).toEqual([['sub', 'pass']]);
    const fewer = new Observations()
      .bundles(REF.id, goodBundle())
      .bundles(SUB.id, goodBundle(), 2)
      .bundles(SUB.id, goodBundle({ preKeyId: null }), 3);
    expect(verdicts(analyse('E2EE-KEY-004', fewer))).toEqual([['sub', 'warn']]);
    const none = new Observations()
      .bundles(REF.id, goodBundle({ preKeyId: null }))
      .bundles(SUB.id, goodBundle({ preKeyId: null }));
    expect(verdicts(analyse('E2EE-KEY-004', none))).toEqual([['sub', 'warn']]);
  });

  it('errors when the reference has nothing to compare with', () => {
    const obs = new Observations()
      .bundles(REF.id, malformedBundle('identityKey: bad base64 (standard alphabet expected)'))
      .bundles(SUB.id, goodBundle());
    const [finding] = analyse('E2EE-KEY-004', obs);
    expect(finding?.verdict).toBe('error');
    expect(finding?.verdict === 'error' ? finding.reason : '').toContain('bad base64');
  });
});
