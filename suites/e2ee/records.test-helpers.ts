/** Hand-built E2EE observations for analysis tests: what the probe would record, one field changed at a time. */
import type { AnalysisContext } from '../../src/engine/check.js';
import type { Observation } from '../../src/core/types.js';
import { KIND, type BundleRecord, type MessageRecord, type SafetyNumberRecord, type SessionRecord } from './records.js';

export const REF = { id: 'ref', label: 'the reference assistant' };
export const SUB = { id: 'sub', label: 'the third-party assistant' };

/** An analysis context with one reference and one subject. */
export function analysisContext(pinnedIdentityKey: string | null = null): AnalysisContext {
  return {
    analysis: {
      alpha: 0.01,
      latencyMarginPct: 10,
      samples: 60,
      warmup: 0,
      latencyRps: 20,
      rateMarginPct: 10,
      feeProbeMessages: 10,
      bootstrapResamples: 200,
    },
    reference: REF,
    subjects: [SUB],
    seed: 1,
    target: { feeHeaders: [], pinnedIdentityKey },
  };
}

export const GOOD_FINGERPRINT = 'a'.repeat(64);
export const OTHER_FINGERPRINT = 'b'.repeat(64);

/** A decoded bundle whose signatures verify, with a one-time and a Kyber prekey. */
export function goodBundle(overrides: Partial<BundleRecord> = {}): BundleRecord {
  return {
    status: 200,
    state: 'ok',
    problems: [],
    identityKey: 'BQ==',
    identityFingerprint: GOOD_FINGERPRINT,
    deviceId: 1,
    registrationId: 7,
    signedPreKeyId: 1,
    preKeyId: 10,
    pqPreKeyId: 20,
    signatures: { signedPreKey: true, pqPreKey: true },
    ...overrides,
  };
}

/** A bundle whose key material did not decode. */
export function malformedBundle(problem: string): BundleRecord {
  return {
    status: 200,
    state: 'malformed',
    problems: [problem],
    identityKey: null,
    identityFingerprint: null,
    deviceId: null,
    registrationId: null,
    signedPreKeyId: null,
    preKeyId: null,
    pqPreKeyId: null,
    signatures: null,
  };
}

export const OK_SESSION: SessionRecord = {
  uploadStatus: 204,
  bundleRound: 0,
  ok: true,
  reason: null,
  detail: null,
  protocol: 'pqxdh',
  sessionVersion: 4,
  usedOneTimePreKey: true,
};

/** A message that went all the way: decrypted by the recipient, echoed intact. */
export function echoed(overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    stage: 'echo-ok',
    sendStatus: 200,
    messageType: 3,
    messageVersion: 4,
    replyType: 1,
    expectedDigest: 'd1',
    receivedDigest: 'd1',
    detail: null,
    polls: 1,
    ...overrides,
  };
}

export const OK_SAFETY: SafetyNumberRecord = {
  ok: true,
  reason: null,
  safetyNumber: '1'.repeat(30) + '2'.repeat(30),
  recipientDigits: '1'.repeat(30),
  identityFingerprint: GOOD_FINGERPRINT,
};

/** Numbers observations in order, as the recorder would. */
export class Observations {
  readonly list: Observation[] = [];

  /** Adds `count` fetches of `record` for `cohort` (rounds continue from the cohort's last one). */
  bundles(cohort: string, record: BundleRecord, count = 5): this {
    const start = this.list.filter((o) => o.cohort === cohort && o.kind === KIND.bundle).length;
    for (let i = 0; i < count; i += 1)
      this.add(cohort, KIND.bundle, record, { round: start + i, exchanges: [`${cohort}-keys-${start + i}`] });
    return this;
  }

  /** Adds a session, its messages (round-trip 3 ms each) and a safety number for `cohort`. */
  session(
    cohort: string,
    session: SessionRecord,
    messages: MessageRecord[] = [],
    safety: SafetyNumberRecord = OK_SAFETY,
  ): this {
    this.add(cohort, KIND.session, session, { exchanges: [`${cohort}-upload`] });
    messages.forEach((m, round) =>
      this.add(cohort, KIND.message, m, { round, latencyUs: 3000, exchanges: [`${cohort}-send-${round}`] }),
    );
    this.add(cohort, KIND.safetyNumber, safety, {});
    return this;
  }

  private add(cohort: string, kind: string, record: object, extra: Partial<Observation>): void {
    this.list.push({
      check: 'E2EE-TEST',
      cohort,
      kind,
      seq: this.list.length,
      ...extra,
      data: structuredClone(record) as Observation['data'],
    });
  }
}
