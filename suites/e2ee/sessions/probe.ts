/**
 * One cohort's Signal session with the recipient, as a third-party client would open it: publish
 * its own keys, build a PQXDH session from a fetched bundle, send encrypted messages through
 * `PUT /v1/messages`, poll `GET /v1/messages` for the recipient's encrypted echo and check it.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkEcho,
  createClientIdentity,
  decryptFrom,
  encryptFor,
  establishSession,
  safetyNumber,
  sendBody,
  sha256Hex,
  type ClientIdentity,
  type DecryptResult,
  type EstablishResult,
  type KeyBundle,
  type RemoteAddress,
} from '../../../src/e2ee/index.js';
import type { HttpExchange } from '../../../src/http/types.js';
import type { InteropApi } from '../../../src/targets/types.js';
import type { MessageRecord, SafetyNumberRecord, SessionRecord } from '../records.js';

/** HAR label of the session traffic (it serves every E2EE-SES check). */
export const SESSION_TRAFFIC = 'E2EE-SES';
/** Waits before each poll for the reply: the first poll is immediate, the whole wait stays under 4 s. */
const POLL_DELAYS_MS = [0, 100, 200, 400, 800, 1600];
/** Pause before the one retry of a send that failed transiently. */
const RETRY_DELAY_MS = 200;

/** A message's record with the facts that go on its observation. */
export interface MessageOutcome {
  record: MessageRecord;
  exchanges: HttpExchange[];
  /** Send until the reply was fetched, in µs; undefined when no reply came. */
  roundTripUs: number | undefined;
}

/** What one cohort's session attempt produced. */
export interface SessionOutcome {
  session: SessionRecord;
  sessionExchanges: HttpExchange[];
  safety: SafetyNumberRecord;
  messages: MessageOutcome[];
}

/** Everything the session probe needs for one cohort. */
export interface SessionProbeInput {
  cohort: string;
  api: InteropApi;
  /** The recipient's identifier (its address name). */
  recipient: string;
  /** The first usable bundle this cohort was served, the round it was fetched in and the device it describes. */
  bundle: { round: number; bundle: KeyBundle; deviceId: number } | null;
  /** Why no bundle was usable (from the fetch records). */
  bundleProblems: string[];
  messageCount: number;
  signal: AbortSignal;
}

/** Runs one cohort's session probe; target failures are recorded, never thrown. */
export async function probeSession(input: SessionProbeInput): Promise<SessionOutcome> {
  const client = createClientIdentity(undefined, { name: input.cohort, preKeyCount: 5, kyberPreKeyCount: 2 });
  const upload = await input.api.putKeys(client.uploadBody(), { check: SESSION_TRAFFIC });
  const outcome: SessionOutcome = {
    session: noBundle(upload.status, input.bundleProblems),
    sessionExchanges: [upload],
    safety: noSafetyNumber(),
    messages: [],
  };
  if (input.bundle === null) return outcome;
  const { bundle, round, deviceId } = input.bundle;
  const address = { name: input.recipient, deviceId };
  const established = await establishSession(client, address, bundle);
  outcome.session = sessionRecord(upload.status, round, established);
  outcome.safety = safetyOf(client, input.cohort, bundle.identityKey, input.recipient);
  if (!established.ok) return outcome;
  const device = { deviceId: address.deviceId, registrationId: established.registrationId };
  for (let index = 0; index < input.messageCount && !input.signal.aborted; index += 1) {
    outcome.messages.push(
      await sendOne({
        client,
        api: input.api,
        address,
        device,
        signal: input.signal,
        plaintext: probeText(input.cohort, index),
      }),
    );
  }
  return outcome;
}

function noBundle(uploadStatus: number, problems: string[]): SessionRecord {
  const detail = problems.length === 0 ? 'no key bundle was fetched' : problems.join('; ');
  return {
    uploadStatus,
    bundleRound: null,
    ok: false,
    reason: 'no-bundle',
    detail,
    protocol: null,
    sessionVersion: null,
    usedOneTimePreKey: null,
  };
}

function noSafetyNumber(): SafetyNumberRecord {
  return {
    ok: false,
    reason: 'no usable key bundle, so no identity key to compare',
    safetyNumber: null,
    recipientDigits: null,
    identityFingerprint: null,
  };
}

function sessionRecord(uploadStatus: number, bundleRound: number, result: EstablishResult): SessionRecord {
  if (!result.ok)
    return {
      uploadStatus,
      bundleRound,
      ok: false,
      reason: result.reason,
      detail: result.detail,
      protocol: null,
      sessionVersion: null,
      usedOneTimePreKey: null,
    };
  const { protocol, sessionVersion, usedOneTimePreKey } = result;
  return {
    uploadStatus,
    bundleRound,
    ok: true,
    reason: null,
    detail: null,
    protocol,
    sessionVersion,
    usedOneTimePreKey,
  };
}

/**
 * The client's safety number with the recipient, and the recipient's half of it. Signal shows the
 * two 30-digit halves (one per identity) in sorted order; a number computed with the recipient on
 * both sides is its half twice, which is how the recipient's half is told apart.
 */
function safetyOf(
  client: ClientIdentity,
  cohort: string,
  remoteIdentity: Uint8Array,
  remoteId: string,
): SafetyNumberRecord {
  const full = safetyNumber(client.identityKey, cohort, remoteIdentity, remoteId);
  const own = safetyNumber(remoteIdentity, remoteId, remoteIdentity, remoteId);
  const identityFingerprint = sha256Hex(remoteIdentity);
  if (!full.ok)
    return { ok: false, reason: full.reason, safetyNumber: null, recipientDigits: null, identityFingerprint };
  const recipientDigits = own.ok ? own.safetyNumber.slice(0, 30) : null;
  return { ok: true, reason: null, safetyNumber: full.safetyNumber, recipientDigits, identityFingerprint };
}

function probeText(cohort: string, index: number): string {
  return `dma-audit e2ee probe ${cohort} #${index} ${randomBytes(8).toString('hex')}`;
}

interface SendInput {
  client: ClientIdentity;
  api: InteropApi;
  address: RemoteAddress;
  device: { deviceId: number; registrationId: number };
  plaintext: string;
  signal: AbortSignal;
}

/** Sends one message and follows it until the recipient's reply is decrypted and its echo checked. */
async function sendOne(input: SendInput): Promise<MessageOutcome> {
  const base: MessageRecord = {
    stage: 'encrypt-failed',
    sendStatus: null,
    messageType: null,
    messageVersion: null,
    replyType: null,
    expectedDigest: sha256Hex(input.plaintext),
    receivedDigest: null,
    detail: null,
    polls: 0,
  };
  const encrypted = await encryptFor(input.client, input.address, input.plaintext);
  if (!encrypted.ok) return { record: { ...base, detail: encrypted.detail }, exchanges: [], roundTripUs: undefined };
  const attempts = await sendWithRetry(input, sendBody(encrypted, input.device));
  const sent = attempts[attempts.length - 1] as HttpExchange;
  const record: MessageRecord = {
    ...base,
    sendStatus: sent.status,
    messageType: encrypted.type,
    messageVersion: encrypted.messageVersion,
  };
  if (!isAccepted(sent)) {
    const isWithheld = sent.outcome === 'budget-exhausted' || sent.outcome === 'cancelled';
    const isUnanswered = ['refused', 'network-error', 'timeout', 'reset'].includes(sent.outcome);
    const stage = isWithheld ? 'not-sent' : isUnanswered ? 'unanswered' : 'send-failed';
    return {
      record: { ...record, stage, detail: describeExchange(sent) },
      exchanges: attempts,
      roundTripUs: undefined,
    };
  }
  const polled = await pollReply(input, attempts);
  if (polled.reply === null) {
    const detail = `no reply from the recipient after ${polled.polls} polls over ${POLL_DELAYS_MS.reduce((a, b) => a + b, 0)} ms`;
    return {
      record: { ...record, stage: 'no-reply', polls: polled.polls, detail },
      exchanges: polled.exchanges,
      roundTripUs: undefined,
    };
  }
  const decrypted = await decryptFrom(input.client, input.address, polled.reply);
  const roundTripUs = Math.round((polled.arrivedNs - (attempts[0] as HttpExchange).scheduledNs) / 1000);
  return {
    record: { ...record, ...readReply(input.plaintext, decrypted), replyType: polled.reply.type, polls: polled.polls },
    exchanges: polled.exchanges,
    roundTripUs,
  };
}

function readReply(
  plaintext: string,
  decrypted: DecryptResult,
): Pick<MessageRecord, 'stage' | 'receivedDigest' | 'detail'> {
  if (!decrypted.ok) {
    const stage =
      decrypted.reason === 'recipient-decryption-error' ? 'recipient-could-not-decrypt' : 'reply-undecryptable';
    return { stage, receivedDigest: null, detail: `${decrypted.reason}: ${decrypted.detail}` };
  }
  const echo = checkEcho(plaintext, decrypted.text);
  if (echo.ok) return { stage: 'echo-ok', receivedDigest: echo.digest, detail: null };
  const stage = echo.reason === 'digest-mismatch' ? 'echo-mismatch' : 'not-an-echo';
  return {
    stage,
    receivedDigest: echo.got,
    detail: echo.reason === 'not-an-echo' ? `the reply was not an echo: ${decrypted.text.slice(0, 120)}` : null,
  };
}

interface Envelope {
  guid: string;
  type: number;
  content: string;
}

interface Polled {
  reply: Envelope | null;
  arrivedNs: number;
  polls: number;
  exchanges: HttpExchange[];
}

/** Polls the cohort's queue for the recipient's envelope and acknowledges what it takes. */
async function pollReply(input: SendInput, attempts: HttpExchange[]): Promise<Polled> {
  const exchanges = [...attempts];
  let polls = 0;
  for (const delay of POLL_DELAYS_MS) {
    if (delay > 0 && !(await pause(delay, input.signal))) break;
    const listed = await input.api.getMessages({ check: SESSION_TRAFFIC });
    polls += 1;
    exchanges.push(listed);
    const reply = repliesIn(listed.json, input.address.name)[0];
    if (reply === undefined) continue;
    exchanges.push(await input.api.ackMessage(reply.guid, { check: SESSION_TRAFFIC }));
    return { reply, arrivedNs: listed.endNs, polls, exchanges };
  }
  return { reply: null, arrivedNs: 0, polls, exchanges };
}

/** The envelopes from the recipient in a `GET /v1/messages` answer (anything unreadable is skipped). */
function repliesIn(json: unknown, recipient: string): Envelope[] {
  const messages =
    typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['messages'] : undefined;
  if (!Array.isArray(messages)) return [];
  return messages.filter((item: unknown): item is Envelope & { source?: unknown } => {
    if (typeof item !== 'object' || item === null) return false;
    const fields = item as Record<string, unknown>;
    const isFromRecipient = fields['source'] === undefined || fields['source'] === recipient;
    return (
      isFromRecipient &&
      typeof fields['guid'] === 'string' &&
      typeof fields['type'] === 'number' &&
      typeof fields['content'] === 'string'
    );
  });
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Sends once, and once more after a transient failure (5xx, reset, timeout), as messaging clients do. */
async function sendWithRetry(input: SendInput, body: unknown): Promise<HttpExchange[]> {
  const send = (): Promise<HttpExchange> => input.api.putMessages(input.address.name, body, { check: SESSION_TRAFFIC });
  const first = await send();
  const isTransient =
    first.status >= 500 ||
    first.outcome === 'reset' ||
    first.outcome === 'timeout' ||
    first.outcome === 'network-error';
  if (isAccepted(first) || !isTransient || !(await pause(RETRY_DELAY_MS, input.signal))) return [first];
  return [first, await send()];
}

function isAccepted(exchange: HttpExchange): boolean {
  return exchange.outcome === 'ok' && exchange.status >= 200 && exchange.status < 300;
}

function describeExchange(exchange: HttpExchange): string {
  return exchange.outcome === 'ok' || exchange.outcome === 'http-error'
    ? `HTTP ${exchange.status}`
    : `with no answer (${exchange.outcome})`;
}
