/**
 * The E2EE probe, run once per audit and shared by every E2EE check: each fetch of the recipient's
 * bundle draws one of its one-time prekeys, so fetching per check would drain them and skew
 * E2EE-KEY-004. Every check records the probe's steps it reads, under its own id.
 */
import type { CheckContext } from '../../src/engine/check.js';
import type { HttpExchange } from '../../src/http/types.js';
import type { ObservationInput } from '../../src/core/types.js';
import { describeBundle, type DescribedBundle } from './describe-bundle.js';
import { asData, KIND, type BundleRecord, type Kind } from './records.js';
import { probeSession, type SessionOutcome, type SessionProbeInput } from './sessions/probe.js';

/** HAR label of the key fetches (they serve every E2EE-KEY check). */
export const KEY_TRAFFIC = 'E2EE-KEY';
/** Bundle fetches per cohort: enough to see a key change or run-out, few enough to spare the recipient's prekeys. */
const FETCHES = 5;
const QUICK_FETCHES = 3;
/** Messages per cohort: the first is a PreKey message, the second rides the confirmed session. */
const MESSAGES = 2;
const QUICK_MESSAGES = 1;

/** One recorded step of the probe, before a check puts its id on it. */
export type ProbeEntry = Omit<ObservationInput, 'check'> & { kind: Kind };

/** Records, under `checkId`, the probe's steps of the given kinds; the probe runs on first use. */
export async function recordProbe(ctx: CheckContext, checkId: string, kinds: readonly Kind[]): Promise<void> {
  const probe = ctx.shared('e2ee-probe', () => runProbe(ctx));
  for (const entry of await probe) if (kinds.includes(entry.kind)) ctx.record({ ...entry, check: checkId });
}

interface Fetched {
  round: number;
  described: DescribedBundle;
  deviceId: number | null;
  exchanges: string[];
  /** The harness itself did not send the fetch (budget spent, run interrupted). */
  isWithheld: boolean;
  /** The fetch got no answer at all (refused, reset, timed out). */
  isUnanswered: boolean;
}

/** The session record's detail when no fetch got any answer (refused, reset, timed out): the network's doing, not a verdict. */
export const UNREACHED_FETCH =
  'not fetched: no key-bundle request got an answer (connection refused, reset or timed out)';

const TRANSPORT_FAILURES = new Set(['refused', 'network-error', 'timeout', 'reset']);

/** The session record's detail when no fetch was sent at all: the harness's doing, not the platform's. */
export const WITHHELD_FETCH =
  'not fetched: the harness withheld every key-bundle request (request budget spent or run interrupted)';

/** Fetches bundles interleaved across cohorts, then opens one session per cohort and sends messages. */
async function runProbe(ctx: CheckContext): Promise<ProbeEntry[]> {
  const interop = ctx.config.target.interop;
  if (interop === undefined) throw new Error('the config has no target.interop');
  const entries: ProbeEntry[] = [];
  const fetched = await fetchBundles(ctx, interop.recipient, interop.deviceId, entries);
  const order = ctx.rng.fork('E2EE:sessions').shuffle(ctx.cohorts.map((c) => c.id));
  for (const cohort of order) {
    if (ctx.signal.aborted) break;
    const mine = fetched.get(cohort) ?? [];
    const usable = firstUsable(mine);
    const outcome = await probeSession({
      cohort,
      api: ctx.interop(cohort),
      recipient: interop.recipient,
      bundle: usable?.bundle ?? null,
      bundleProblems: mine.every((f) => f.isWithheld)
        ? [WITHHELD_FETCH]
        : mine.every((f) => f.isWithheld || f.isUnanswered)
          ? [UNREACHED_FETCH]
          : [...new Set(mine.flatMap((f) => f.described.record.problems))],
      messageCount: ctx.isQuick ? QUICK_MESSAGES : MESSAGES,
      signal: ctx.signal,
    });
    entries.push(...sessionEntries(cohort, outcome, usable?.exchanges ?? []));
  }
  return entries;
}

/** The first fetch (in round order) whose bundle decoded and names the device to talk to. */
function firstUsable(
  fetches: readonly Fetched[],
): { bundle: SessionProbeInput['bundle']; exchanges: string[] } | undefined {
  for (const { round, described, deviceId, exchanges } of fetches) {
    if (described.bundle !== null && deviceId !== null)
      return { bundle: { round, bundle: described.bundle, deviceId }, exchanges };
  }
  return undefined;
}

async function fetchBundles(
  ctx: CheckContext,
  recipient: string,
  deviceId: string,
  entries: ProbeEntry[],
): Promise<Map<string, Fetched[]>> {
  const fetched = new Map<string, Fetched[]>(ctx.cohorts.map((c) => [c.id, []]));
  const wanted = deviceId === '*' ? null : Number(deviceId);
  const rounds = ctx.isQuick ? QUICK_FETCHES : FETCHES;
  const ratePerSec = Math.min(20, ctx.config.limits.maxRps / 2);
  await ctx.scheduler.interleave(
    { cohorts: ctx.cohorts.map((c) => c.id), rounds, warmupRounds: 0, ratePerSec, rng: ctx.rng.fork('E2EE:bundles') },
    async (slot) => {
      const exchange = await ctx
        .interop(slot.cohort)
        .getKeys(recipient, deviceId, { check: KEY_TRAFFIC, scheduledNs: slot.scheduledNs });
      const described = describeSafely(exchange, wanted);
      fetched.get(slot.cohort)?.push({
        round: slot.round,
        described,
        deviceId: described.record.deviceId,
        exchanges: idsOf([exchange]),
        isWithheld: exchange.outcome === 'budget-exhausted' || exchange.outcome === 'cancelled',
        isUnanswered: TRANSPORT_FAILURES.has(exchange.outcome),
      });
      entries.push({
        cohort: slot.cohort,
        kind: KIND.bundle,
        round: slot.round,
        scheduledNs: slot.scheduledNs,
        sentNs: exchange.sentNs,
        latencyUs: exchange.latencyUs,
        outcome: exchange.outcome,
        exchanges: idsOf([exchange]),
        data: asData(described.record),
      });
    },
  );
  for (const list of fetched.values()) list.sort((a, b) => a.round - b.round);
  return fetched;
}

/** A bundle description; a harness fault while decoding is recorded as such rather than lost in the scheduler. */
function describeSafely(exchange: HttpExchange, wanted: number | null): DescribedBundle {
  try {
    return describeBundle(exchange, wanted);
  } catch (error: unknown) {
    const problem = `the harness could not decode the bundle: ${error instanceof Error ? error.message : String(error)}`;
    const record: BundleRecord = {
      status: exchange.status,
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
    return { record, bundle: null };
  }
}

/** The session's steps as entries; the safety number cites the fetch whose identity key it was computed from. */
function sessionEntries(cohort: string, outcome: SessionOutcome, bundleExchanges: string[]): ProbeEntry[] {
  const session: ProbeEntry = {
    cohort,
    kind: KIND.session,
    exchanges: [...bundleExchanges, ...idsOf(outcome.sessionExchanges)],
    data: asData(outcome.session),
  };
  const safety: ProbeEntry = {
    cohort,
    kind: KIND.safetyNumber,
    exchanges: bundleExchanges,
    data: asData(outcome.safety),
  };
  const messages = outcome.messages.map((message, round): ProbeEntry => {
    const first = message.exchanges[0];
    return {
      cohort,
      kind: KIND.message,
      round,
      exchanges: idsOf(message.exchanges),
      data: asData(message.record),
      ...(first === undefined ? {} : { scheduledNs: first.scheduledNs, sentNs: first.sentNs, outcome: first.outcome }),
      ...(message.roundTripUs === undefined ? {} : { latencyUs: message.roundTripUs }),
    };
  });
  return [session, ...messages, safety];
}

function idsOf(exchanges: readonly HttpExchange[]): string[] {
  return exchanges.map((e) => e.id).filter((id) => id !== '');
}
