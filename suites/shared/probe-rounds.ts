/**
 * What every latency probe shares: the offered rate and sample counts (bounded by the budget), and the
 * record of the harness's own schedule slip, kept as an observation of the check so its analysis, and
 * `verify`, can report the harness's jitter beside the latencies it measured.
 */
import type { CheckContext } from '../../src/engine/check.js';
import { summariseSlip, type ScheduleReport } from '../../src/engine/scheduler.js';
import type { JsonObject, Observation } from '../../src/core/types.js';

/** Observation kind of one schedule's slip summary. */
export const SLIP_KIND = 'schedule-slip';

/** Samples per cohort of a message type other than text: a tenth of `samples`, never fewer than this. */
export const MIN_TYPE_SAMPLES = 30;

/** Offered rate for latency probes: far below any rate limit, and never above half the budget. */
export function latencyRate(ctx: CheckContext): number {
  return Math.min(ctx.config.analysis.latencyRps, ctx.config.limits.maxRps / 2);
}

/** Samples per cohort under `--quick`: enough to catch a 20% shift at α = 0.01, about ten seconds at the default rate. */
export const QUICK_SAMPLES = 100;

/** Samples per cohort for this run (`--quick` takes fewer). */
export function sampleCount(ctx: CheckContext): number {
  return ctx.isQuick ? Math.min(QUICK_SAMPLES, ctx.config.analysis.samples) : ctx.config.analysis.samples;
}

/**
 * Samples per cohort for each message type but text. A tenth of `samples` (at least 30) keeps the
 * default run of eleven types near a minute at the default rate; it detects type-specific slowdowns
 * of roughly 30% or more, and `samples` scales it when a type needs proving equivalent.
 */
export function typeSampleCount(ctx: CheckContext): number {
  return Math.min(sampleCount(ctx), Math.max(MIN_TYPE_SAMPLES, Math.round(sampleCount(ctx) / 10)));
}

/** Records how late the schedule launched its requests, so the harness's jitter is in the evidence. */
export function recordSlip(ctx: CheckContext, check: string, report: ScheduleReport, schedule: string): void {
  const slip = summariseSlip(report);
  ctx.record({ check, cohort: '*', kind: SLIP_KIND, data: { schedule, ...slip, isCancelled: report.isCancelled } });
  ctx.log(
    `${check} (${schedule}): ${slip.launched} requests launched, schedule slip p50 ${slip.p50Us} µs, p99 ${slip.p99Us} µs`,
  );
}

/** The worst slip of the check's schedules, for a finding's measurements; null when none was recorded. */
export function harnessSlip(observations: readonly Observation[]): JsonObject | null {
  const slips = observations.filter((o) => o.kind === SLIP_KIND).map((o) => o.data ?? {});
  if (slips.length === 0) return null;
  const worst = (key: string): number => Math.max(...slips.map((s) => (typeof s[key] === 'number' ? s[key] : 0)));
  return { p50Us: worst('p50Us'), p99Us: worst('p99Us'), maxUs: worst('maxUs'), schedules: slips.length };
}
