/**
 * E2EE-SES-001..003: can each cohort actually talk to the recipient end to end, does the relay carry
 * ciphertext unmodified, and which safety number would a person compare out of band?
 */
import { defineCheck, type AnalysisContext } from '../../../src/engine/check.js';
import { formatSafetyNumber } from '../../../src/e2ee/index.js';
import { describe } from '../../../src/stats/index.js';
import type { Finding, JsonObject, Observation } from '../../../src/core/types.js';
import { common, decided, errored, partiesOf, share, type Party } from '../findings.js';
import { recordProbe, UNREACHED_FETCH, WITHHELD_FETCH } from '../probe.js';
import {
  evidenceOf,
  KIND,
  recordsOf,
  type MessageRecord,
  type MessageStage,
  type Recorded,
  type SafetyNumberRecord,
  type SessionRecord,
} from '../records.js';
import { E2EE_BASIS, PQXDH_KEYS, RATCHET, X3DH_AUTH } from '../references.js';
import { roundTo } from '../../shared/finding.js';

const SESSION = 'E2EE-SES-001';
const INTEGRITY = 'E2EE-SES-002';
const SAFETY = 'E2EE-SES-003';

/** Stages at which the recipient's device had decrypted the message and answered it. */
const ANSWERED: readonly MessageStage[] = ['echo-ok', 'echo-mismatch', 'not-an-echo', 'reply-undecryptable'];

const session = defineCheck({
  id: SESSION,
  title: 'Signal session and message round trip',
  suite: 'e2ee',
  description:
    'Each cohort can open a Signal (PQXDH) session with the recipient, and the recipient’s device decrypts and answers its messages.',
  references: [...E2EE_BASIS, PQXDH_KEYS],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, SESSION, [KIND.session, KIND.message]),
  analyse: (observations, ctx) => partiesOf(ctx).map((party) => judgeSession(observations, party, ctx)),
});

/** Why a session could not be opened, in words. */
const SESSION_FAILURES: Record<string, string> = {
  'no-bundle': 'no usable key bundle was served',
  'no-kyber-prekey':
    'the recipient offered no Kyber (post-quantum) ' +
    'prekey, and current Signal clients only open ' +
    'PQXDH sessions: the downgrade makes end-to-end ' +
    'encryption impossible rather than weaker',
  'invalid-signature': "the signed prekey's signature does not verify, so the client refuses the bundle",
  'untrusted-identity': 'the identity key served is not the one the client already trusts for the recipient',
  'no-device': 'the bundle lists no device to talk to',
};

/** What went wrong with a message that the recipient did not answer, in words. */
const MESSAGE_FAILURES: Partial<Record<MessageStage, string>> = {
  'recipient-could-not-decrypt':
    "the recipient's device could not decrypt what was sent and answered " +
    'with a decryption-error notice: the message was encrypted ' +
    'to keys the recipient does not hold, as happens when the ' +
    "identity key served is not the recipient's (see E2EE-KEY-003)",
  'no-reply': 'no reply came back from the recipient',
  'send-failed': 'the relay refused the encrypted message',
  unanswered:
    'the relay gave no answer at all (connection refused, reset or timed out), which says nothing of how it treats the message',
  'echo-mismatch': "the recipient's echo does not match what was sent (see E2EE-SES-002)",
  'not-an-echo': 'the reply that came back is not an echo of the message (a fabricated or foreign reply)',
  'reply-undecryptable': 'the reply that came back does not decrypt in the session (see E2EE-SES-002)',
  'encrypt-failed': 'the client could not encrypt on the session',
};

function judgeSession(observations: readonly Observation[], party: Party, ctx: AnalysisContext): Finding {
  const base = common(session, party, ctx);
  const sessions = recordsOf<SessionRecord>(observations, KIND.session, party.id);
  const messages = messagesOf(observations, party.id);
  const evidence = evidenceOf([...sessions, ...messages]);
  const record = sessions[0]?.record;
  const measurements = sessionMeasurements(record, messages);
  const { label } = party;
  if (record === undefined)
    return errored(
      base,
      `the session probe did not run for ${label} (the run may have been interrupted)`,
      measurements,
      evidence,
    );
  if (!record.ok && record.detail === WITHHELD_FETCH)
    return errored(base, `${label}: ${WITHHELD_FETCH}, so no session was tried`, measurements, evidence);
  if (!record.ok && record.detail === UNREACHED_FETCH)
    return decided(
      base,
      'inconclusive',
      `${label}: ${UNREACHED_FETCH}, so no session was tried.`,
      measurements,
      evidence,
    );
  if (!record.ok) {
    const why =
      SESSION_FAILURES[record.reason ?? ''] ??
      `the client refused the bundle (${record.detail ?? record.reason ?? 'no reason given'})`;
    const detail = record.reason === 'no-bundle' && record.detail !== null ? ` (${record.detail})` : '';
    return decided(
      base,
      'fail',
      `No Signal session could be opened for ${label}: ${why}${detail}.`,
      measurements,
      evidence,
    );
  }
  if (messages.length === 0)
    return errored(
      base,
      `a session was opened for ${label} but no message was sent (the run may have been interrupted)`,
      measurements,
      evidence,
    );
  const withheld = messages.filter((m) => m.record.stage === 'not-sent');
  // A round trip counts only when the echo decrypted and matched what was sent.
  const unanswered = messages.filter((m) => m.record.stage !== 'echo-ok' && m.record.stage !== 'not-sent');
  if (unanswered.length === 0 && withheld.length > 0)
    return errored(
      base,
      `the harness withheld ${share(withheld.length, messages.length)} messages of ${label} (request ` +
        `budget spent or run interrupted), so the round trip was not tested`,
      measurements,
      evidence,
    );
  const isUnconfirmed = (m: Recorded<MessageRecord>): boolean =>
    ANSWERED.includes(m.record.stage) || m.record.stage === 'unanswered';
  const hard = unanswered.filter((m) => !isUnconfirmed(m));
  if (hard.length === 0 && unanswered.length > 0) {
    const why = MESSAGE_FAILURES[unanswered[0]?.record.stage ?? 'no-reply'] ?? '';
    const summary =
      `${label} opened a session, but for ${share(unanswered.length, messages.length)} messages no decrypted, ` +
      `matching echo came back, so the round trip is not confirmed: ${why}.`;
    return decided(base, 'inconclusive', summary, measurements, evidence);
  }
  const first = hard[0]?.record;
  if (first !== undefined) {
    const why = MESSAGE_FAILURES[first.stage] ?? first.stage;
    const detail = first.stage === 'recipient-could-not-decrypt' || first.detail === null ? '' : ` (${first.detail})`;
    const summary = `${label} opened a session, but ${share(hard.length, messages.length)} messages did not get through: ${why}${detail}.`;
    return decided(base, 'fail', summary, measurements, evidence);
  }
  const rtt = roundTripsMs(messages);
  const timing = rtt.length === 0 ? '' : ` (median round trip ${describe(rtt).median.toFixed(1)} ms)`;
  const summary =
    `${label} opened a ${(record.protocol ?? 'Signal').toUpperCase()} ` +
    `session (version ${record.sessionVersion ?? '?'}) ` +
    `with the recipient, whose device decrypted and ` +
    `answered all ${messages.length} messages${timing}.`;
  return decided(base, 'pass', summary, measurements, evidence);
}

function messagesOf(observations: readonly Observation[], cohort: string): Array<Recorded<MessageRecord>> {
  return recordsOf<MessageRecord>(observations, KIND.message, cohort).sort(
    (a, b) => (a.observation.round ?? 0) - (b.observation.round ?? 0),
  );
}

function roundTripsMs(messages: ReadonlyArray<Recorded<MessageRecord>>): number[] {
  return messages.flatMap(({ observation }) =>
    typeof observation.latencyUs === 'number' ? [observation.latencyUs / 1000] : [],
  );
}

function sessionMeasurements(
  record: SessionRecord | undefined,
  messages: ReadonlyArray<Recorded<MessageRecord>>,
): JsonObject {
  const rtt = roundTripsMs(messages);
  const stages: JsonObject = {};
  for (const { record: m } of messages) stages[m.stage] = ((stages[m.stage] as number | undefined) ?? 0) + 1;
  return {
    session:
      record === undefined
        ? null
        : {
            ok: record.ok,
            reason: record.reason,
            protocol: record.protocol,
            sessionVersion: record.sessionVersion,
            usedOneTimePreKey: record.usedOneTimePreKey,
            keysUploadStatus: record.uploadStatus,
          },
    messages: messages.length,
    stages,
    messageTypes: messages.map((m) => m.record.messageType),
    roundTripMs:
      rtt.length === 0 ? null : { median: roundTo(describe(rtt).median, 2), max: roundTo(Math.max(...rtt), 2) },
  };
}

const integrity = defineCheck({
  id: INTEGRITY,
  title: 'Ciphertext relayed unmodified',
  suite: 'e2ee',
  description:
    'The relay carries ciphertext unmodified: the recipient’s encrypted echo decrypts, and its digest matches what was sent.',
  references: [...E2EE_BASIS, RATCHET],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, INTEGRITY, [KIND.session, KIND.message]),
  analyse: (observations, ctx) => partiesOf(ctx).map((party) => judgeIntegrity(observations, party, ctx)),
});

function judgeIntegrity(observations: readonly Observation[], party: Party, ctx: AnalysisContext): Finding {
  const base = common(integrity, party, ctx);
  const sessions = recordsOf<SessionRecord>(observations, KIND.session, party.id);
  const messages = messagesOf(observations, party.id);
  const answered = messages.filter((m) => ANSWERED.includes(m.record.stage));
  const count = (stage: MessageStage): number => answered.filter((m) => m.record.stage === stage).length;
  const measurements: JsonObject = {
    messages: messages.length,
    repliesChecked: answered.length,
    echoesIntact: count('echo-ok'),
    repliesFailingAuthentication: count('reply-undecryptable'),
    digestMismatches: count('echo-mismatch'),
    digests: answered.map((m) => ({ expected: m.record.expectedDigest, received: m.record.receivedDigest })),
  };
  const evidence = evidenceOf(messages.length > 0 ? messages : sessions);
  const { label } = party;
  if (count('reply-undecryptable') > 0) {
    const summary =
      `The recipient's encrypted reply to ${label} ` +
      `failed authentication when decrypted ` +
      `(${share(count('reply-undecryptable'), answered.length)} ` +
      `replies): the relay altered the ciphertext in transit.`;
    return decided(base, 'fail', summary, measurements, evidence);
  }
  if (count('echo-mismatch') > 0) {
    const summary =
      `The recipient echoed a digest that ` +
      `differs from what ${label} sent ` +
      `(${share(count('echo-mismatch'), answered.length)} ` +
      `messages): the message arrived altered.`;
    return decided(base, 'fail', summary, measurements, evidence);
  }
  if (answered.length === 0) {
    const summary =
      `No encrypted reply came back to ${label} ` +
      `(see E2EE-SES-001), so whether ` +
      `the relay carries its ciphertext ` +
      `unmodified could not be observed.`;
    return decided(base, 'inconclusive', summary, measurements, evidence);
  }
  if (count('not-an-echo') > 0)
    return errored(
      base,
      `the recipient's replies to ${label} were not echoes, so their digests cannot be compared`,
      measurements,
      evidence,
    );
  const summary =
    `All ${answered.length} echoes ${label} ` +
    `received decrypted and match the ` +
    `SHA-256 of what it sent: the relay carried ` +
    `the ciphertext unmodified both ways.`;
  return decided(base, 'pass', summary, measurements, evidence);
}

const safety = defineCheck({
  id: SAFETY,
  title: 'Safety number for out-of-band comparison',
  suite: 'e2ee',
  description:
    'Reports the safety number each cohort’s client would compare with the recipient out of band; warns when the recipient’s half differs between cohorts.',
  references: [...E2EE_BASIS, X3DH_AUTH],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, SAFETY, [KIND.safetyNumber]),
  analyse: (observations, ctx) => {
    const reference = recordsOf<SafetyNumberRecord>(observations, KIND.safetyNumber, ctx.reference.id)[0]?.record;
    return partiesOf(ctx).map((party) => judgeSafety(observations, party, reference, ctx));
  },
});

function judgeSafety(
  observations: readonly Observation[],
  party: Party,
  reference: SafetyNumberRecord | undefined,
  ctx: AnalysisContext,
): Finding {
  const base = common(safety, party, ctx);
  const recorded = recordsOf<SafetyNumberRecord>(observations, KIND.safetyNumber, party.id).slice(0, 1);
  const record = recorded[0]?.record;
  const evidence = evidenceOf(recorded);
  const { label } = party;
  if (record === undefined)
    return errored(base, `no safety number was computed for ${label} (the run may have been interrupted)`, {}, []);
  const referenceDigits = party.isReference ? null : (reference?.recipientDigits ?? null);
  const measurements: JsonObject = {
    safetyNumber: record.safetyNumber === null ? null : formatSafetyNumber(record.safetyNumber),
    recipientDigits: record.recipientDigits,
    referenceRecipientDigits: referenceDigits,
    identityKeyFingerprint: record.identityFingerprint,
  };
  if (!record.ok || record.safetyNumber === null)
    return errored(base, `no safety number for ${label}: ${record.reason ?? 'unknown reason'}`, measurements, evidence);
  const shown = formatSafetyNumber(record.safetyNumber);
  if (referenceDigits !== null && record.recipientDigits !== referenceDigits) {
    const summary =
      `The recipient's half of the safety number ${label} ` +
      `would compare out of band differs from the one ` +
      `${ctx.reference.label} sees: a person comparing numbers with ` +
      `the recipient would see a mismatch (${label}: ${shown}).`;
    return decided(base, 'warn', summary, measurements, evidence);
  }
  const match = referenceDigits === null ? '' : `; the recipient's half matches the one ${ctx.reference.label} sees`;
  return decided(
    base,
    'pass',
    `Safety number of ${label} with the recipient, for comparison out of band: ${shown}${match}.`,
    measurements,
    evidence,
  );
}

/** E2EE-SES-001..003, in catalogue order. */
export const sessionChecks = [session, integrity, safety];
