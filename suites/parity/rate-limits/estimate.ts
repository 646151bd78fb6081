/**
 * Token-bucket estimates from the recorded probe (pure). Under a bucket (rate r, burst b), a throttling
 * answer means the bucket held less than one token when the request arrived; between two such
 * answers the platform accepted r·Δt ± 1 requests, and before the first one b + r·t ± 1. Arrival
 * times at the platform are only known to lie between a request's send and its answer, which gives
 * the intervals. Throughput here is what a client that honours Retry-After gets; it equals r whenever
 * the bucket refills no more than its burst during a Retry-After pause.
 */
import type { Observation } from '../../../src/core/types.js';
import { isAcceptedSend, numberField } from '../../shared/send.js';
import { PROBE, PROBE_SUMMARY } from './probe.js';
import { roundTo } from '../../shared/finding.js';

/** An estimate with its interval. */
export interface Bounded {
  estimate: number;
  low: number;
  high: number;
}

/** What the probe established about one cohort's limit. */
export interface ThrottleEstimate {
  requests: number;
  accepted: number;
  throttled: number;
  episodes: number;
  /** sustained: throttled again after honouring Retry-After; transient: once; none: never. */
  state: 'sustained' | 'transient' | 'none';
  stopReason: string | null;
  offeredRps: number | null;
  /** Accepted requests per second over the whole probe (a lower bound on the limit when never throttled). */
  achievedRps: number;
  rate: Bounded | null;
  burst: Bounded | null;
  /** Accepted requests and seconds between the first and the last episode start (the rate's raw counts). */
  window: { accepted: number; seconds: number } | null;
  /** Accepted requests per second in each cycle between episode starts. */
  cycleRates: number[];
}

interface Sample {
  sentNs: number;
  endNs: number;
  isAccepted: boolean;
  isThrottled: boolean;
  isEpisodeStart: boolean;
  episode: number;
}

function samplesOf(observations: readonly Observation[], cohort: string): Sample[] {
  return observations
    .filter(
      (o) =>
        o.kind === PROBE &&
        o.cohort === cohort &&
        o.sentNs !== undefined &&
        o.outcome !== 'budget-exhausted' &&
        o.outcome !== 'cancelled',
    )
    .map((o) => {
      const status = numberField(o.data?.status) ?? 0;
      const sentNs = o.sentNs ?? 0;
      return {
        sentNs,
        endNs: numberField(o.data?.endNs) ?? sentNs,
        isAccepted: isAcceptedSend(o.outcome, status),
        isThrottled: o.data?.isThrottled === true,
        isEpisodeStart: o.data?.isEpisodeStart === true,
        episode: numberField(o.data?.episode) ?? 0,
      };
    })
    .sort((a, b) => a.sentNs - b.sentNs);
}

const SEC = 1e9;

/** Estimates one cohort's rate and burst from its probe observations. */
export function estimateThrottle(observations: readonly Observation[], cohort: string): ThrottleEstimate {
  const samples = samplesOf(observations, cohort);
  const summary = observations.find((o) => o.kind === PROBE_SUMMARY && o.cohort === cohort)?.data;
  const starts = boundaries(samples);
  const accepted = samples.filter((s) => s.isAccepted);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const spanSec = first === undefined || last === undefined ? 0 : (last.sentNs - first.sentNs) / SEC;
  const base = {
    requests: samples.length,
    accepted: accepted.length,
    throttled: samples.filter((s) => s.isThrottled).length,
    episodes: samples.filter((s) => s.isEpisodeStart).length,
    stopReason: typeof summary?.stopReason === 'string' ? summary.stopReason : null,
    offeredRps: numberField(summary?.ratePerCohort),
    achievedRps: spanSec > 0 ? accepted.length / spanSec : 0,
  };
  const state = starts.length >= 2 ? 'sustained' : starts.length === 1 ? 'transient' : 'none';
  const rate = rateBetween(accepted, starts);
  const firstStart = starts[0];
  const burst =
    rate === null || first === undefined || firstStart === undefined
      ? null
      : burstBefore(accepted, first, firstStart, rate);
  const cycleRates = starts.slice(1).map((end, i) => {
    const begin = starts[i] as Sample;
    return roundTo((countBetween(accepted, begin, end).point / (mid(end) - mid(begin))) * SEC, 3);
  });
  const lastStart = starts[starts.length - 1];
  const window =
    rate === null || firstStart === undefined || lastStart === undefined
      ? null
      : {
          accepted: countBetween(accepted, firstStart, lastStart).point,
          seconds: roundTo((mid(lastStart) - mid(firstStart)) / SEC, 3),
        };
  return { ...base, state, rate, burst, window, cycleRates };
}

/**
 * One boundary per throttle episode: any throttling answer shows an empty bucket at its arrival, so
 * each episode's answer with the shortest round trip (the most precisely placed arrival) is used.
 */
function boundaries(samples: readonly Sample[]): Sample[] {
  const best = new Map<number, Sample>();
  for (const s of samples) {
    if (!s.isThrottled || s.episode < 1) continue;
    const seen = best.get(s.episode);
    if (seen === undefined || s.endNs - s.sentNs < seen.endNs - seen.sentNs) best.set(s.episode, s);
  }
  return [...best.keys()].sort((a, b) => a - b).map((k) => best.get(k) as Sample);
}

/** Arrival at the platform lies between send and answer; the midpoint is the point estimate. */
const mid = (s: Sample): number => (s.sentNs + s.endNs) / 2;

/** Accepted requests that arrived between two boundaries: by midpoint, certainly, and possibly. */
function countBetween(
  accepted: readonly Sample[],
  from: Sample | null,
  to: Sample,
): { point: number; certain: number; possible: number } {
  let point = 0;
  let certain = 0;
  let possible = 0;
  for (const s of accepted) {
    if ((from === null || mid(s) >= mid(from)) && mid(s) < mid(to)) point += 1;
    if ((from === null || s.sentNs > from.endNs) && s.endNs < to.sentNs) certain += 1;
    if ((from === null || s.endNs > from.sentNs) && s.sentNs < to.endNs) possible += 1;
  }
  return { point, certain, possible };
}

/** r from the accepted count between the first and the last episode start, ±1 token and the arrival-time uncertainty. */
function rateBetween(accepted: readonly Sample[], starts: readonly Sample[]): Bounded | null {
  const begin = starts[0];
  const end = starts[starts.length - 1];
  if (begin === undefined || end === undefined || starts.length < 2) return null;
  const count = countBetween(accepted, begin, end);
  const longest = (end.endNs - begin.sentNs) / SEC;
  const shortest = Math.max(1e-6, (end.sentNs - begin.endNs) / SEC);
  return {
    estimate: roundTo(count.point / ((mid(end) - mid(begin)) / SEC), 3),
    low: roundTo(Math.max(0, count.certain - 1) / longest, 3),
    high: roundTo((count.possible + 1) / shortest, 3),
  };
}

/** b = A0 − r·t: the requests accepted before the first throttling minus what the bucket refilled meanwhile. */
function burstBefore(accepted: readonly Sample[], first: Sample, start: Sample, rate: Bounded): Bounded {
  const count = countBetween(accepted, null, start);
  const longest = (start.endNs - first.sentNs) / SEC;
  const shortest = Math.max(0, (start.sentNs - first.endNs) / SEC);
  return {
    estimate: roundTo(count.point - rate.estimate * ((mid(start) - mid(first)) / SEC), 3),
    low: roundTo(Math.max(0, count.certain - 1 - rate.high * longest), 3),
    high: roundTo(count.possible + 1 - rate.low * shortest, 3),
  };
}
