/**
 * What the E2EE probe records, one observation per step, and how analysis reads it back. Every
 * E2EE verdict is derived from these records alone (`verify` recomputes them from samples.ndjson),
 * so each record carries the facts a verdict needs, not a verdict.
 */
import type { JsonObject, Observation } from '../../src/core/types.js';

/** Observation kinds of the E2EE suite. */
export const KIND = {
  bundle: 'key-bundle',
  session: 'session',
  message: 'message',
  safetyNumber: 'safety-number',
} as const;

export type Kind = (typeof KIND)[keyof typeof KIND];

/** One `GET /v2/keys/{recipient}/{device}` as the harness understood it. */
export type BundleRecord = {
  status: number;
  /** ok: decoded; malformed: answered with undecodable key material; unavailable: no bundle (HTTP error, timeout). */
  state: 'ok' | 'malformed' | 'unavailable';
  /** Why the bundle is malformed or unavailable, with JSON paths. */
  problems: string[];
  /** Base64 of the served identity key (public), so a pinned key can be compared byte for byte. */
  identityKey: string | null;
  /** Hex SHA-256 of the served identity key. */
  identityFingerprint: string | null;
  deviceId: number | null;
  registrationId: number | null;
  signedPreKeyId: number | null;
  /** Id of the one-time EC prekey offered, null when none was. */
  preKeyId: number | null;
  /** Id of the Kyber prekey offered, null when none was. */
  pqPreKeyId: number | null;
  /** Whether the signatures verify under the served identity key (pqPreKey null: no Kyber key to verify). */
  signatures: { signedPreKey: boolean; pqPreKey: boolean | null } | null;
};

/** The harness's attempt to open a Signal session with the recipient from one fetched bundle. */
export type SessionRecord = {
  /** Status of publishing the cohort's own keys (`PUT /v2/keys`); null when not attempted. */
  uploadStatus: number | null;
  /** Round of the bundle fetch the session was built from; null when no bundle was usable. */
  bundleRound: number | null;
  ok: boolean;
  /** Why no session: no-bundle, no-kyber-prekey, invalid-signature, untrusted-identity, rejected, no-device. */
  reason: string | null;
  detail: string | null;
  protocol: string | null;
  sessionVersion: number | null;
  usedOneTimePreKey: boolean | null;
};

/** How far one message got: sent, answered by the recipient's device, decrypted, and echoed intact. */
export type MessageStage =
  | 'echo-ok'
  | 'echo-mismatch'
  | 'not-an-echo'
  | 'reply-undecryptable'
  | 'recipient-could-not-decrypt'
  | 'no-reply'
  | 'send-failed'
  /** The harness itself withheld the send (request budget spent, run interrupted): says nothing of the relay. */
  | 'not-sent'
  /** The send got no answer at all (refused, reset, timed out after the retry): a network fact, not a refusal. */
  | 'unanswered'
  | 'encrypt-failed';

/** One encrypted message sent to the recipient and what came back (round-trip time in the observation's latencyUs). */
export type MessageRecord = {
  stage: MessageStage;
  sendStatus: number | null;
  /** Envelope type sent: 3 PreKey message, 1 Signal message. */
  messageType: number | null;
  messageVersion: number | null;
  /** Envelope type of the reply: 1 or 3 an encrypted reply, 8 the recipient's decryption-error notice. */
  replyType: number | null;
  /** Hex SHA-256 of the plaintext sent, and the digest the recipient echoed (null when none could be read). */
  expectedDigest: string | null;
  receivedDigest: string | null;
  detail: string | null;
  polls: number;
};

/** The safety number the cohort's client would show, and the recipient's half of it. */
export type SafetyNumberRecord = {
  ok: boolean;
  reason: string | null;
  /** 60 digits: the client's half and the recipient's half, in Signal's display order. */
  safetyNumber: string | null;
  /** The 30 digits derived from the recipient's identifier and served identity key alone: equal for every cohort unless the key differs. */
  recipientDigits: string | null;
  identityFingerprint: string | null;
};

/** An observation with its record, read back for analysis. */
export interface Recorded<T> {
  observation: Observation;
  record: T;
}

/** The observations of one kind, with their records; observations without a record object are dropped. */
export function recordsOf<T>(observations: readonly Observation[], kind: Kind, cohort?: string): Array<Recorded<T>> {
  return observations
    .filter((o) => o.kind === kind && (cohort === undefined || o.cohort === cohort) && isObject(o.data))
    .map((observation) => ({ observation, record: observation.data as unknown as T }));
}

/** HAR ids of the given observations, deduplicated, in order. */
export function evidenceOf(observations: ReadonlyArray<{ observation: Observation }>): string[] {
  return [...new Set(observations.flatMap(({ observation }) => observation.exchanges ?? []))];
}

/** A record as observation data. */
export function asData(record: BundleRecord | SessionRecord | MessageRecord | SafetyNumberRecord): JsonObject {
  return record;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
