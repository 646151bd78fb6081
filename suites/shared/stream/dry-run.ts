/**
 * What the shared streams can cost, for `run --dry-run` (README, "Usage"): the most requests
 * per cohort, the offered rate, the longest the stream can take and the smallest effect each comparison
 * can detect at its cap. The first check a stream serves carries its figures; the others point to it.
 */
import type { CheckPlan, PlanContext } from '../../../src/engine/check.js';
import { errorRateMdePp, latencyMdePct, mdePct } from '../../../src/stats/index.js';
import { ERROR_MARGIN_PP } from './series.js';
import { failAlphaOf, INBOUND_LATENCY, inboundPlan, outboundPlan, type StreamPlan } from './plan.js';

/** Spread of ln(latency) assumed when planning (the reference platform's; a real platform's is printed after a run). */
export const PLANNING_SD_LOG = 0.25;

/** The plan figures of the stream `checkId` belongs to, counted once, by the stream's first check. */
export function streamPlans(ctx: PlanContext, checkId: string): CheckPlan {
  const input = {
    ...ctx,
    hasWebhook: ctx.config.webhook?.appSecret !== undefined && ctx.config.webhook.verifyToken !== undefined,
  };
  const plan = checkId === INBOUND_LATENCY ? inboundPlan(input) : outboundPlan(input);
  const zero = Object.fromEntries(ctx.cohorts.map((c) => [c.id, 0]));
  if (plan === null) return { requestsPerCohort: zero, ratePerSec: 0, maxSeconds: 0, detectable: [] };
  if (plan.metrics[0] !== checkId)
    return {
      requestsPerCohort: zero,
      ratePerSec: 0,
      maxSeconds: 0,
      detectable: [],
      note: `its traffic is ${plan.metrics[0]}'s ${plan.stream} stream`,
    };
  const perCohort = plan.warmupRounds + plan.variants.reduce((sum, v) => sum + (plan.maxRounds[v] ?? 0), 0);
  const total = perCohort * ctx.cohorts.length;
  const batches =
    Math.ceil(Math.max(0, ...Object.values(plan.maxRounds)) / plan.lookEvery) + (plan.warmupRounds > 0 ? 1 : 0);
  const timeoutSec = ctx.config.limits.timeoutMs / 1000;
  return {
    requestsPerCohort: Object.fromEntries(ctx.cohorts.map((c) => [c.id, perCohort])),
    ratePerSec: plan.ratePerSec,
    maxSeconds: Math.ceil(total / plan.ratePerSec + batches * timeoutSec),
    detectable: detectable(plan, ctx),
    note: streamNote(plan, total),
  };
}

function streamNote(plan: StreamPlan, total: number): string {
  const seconds = total / plan.ratePerSec < 1 ? '<1' : String(Math.ceil(total / plan.ratePerSec));
  const rounds = `${plan.design === 'sequential' ? 'at most' : 'exactly'} ${describeCaps(plan)} measured rounds per cohort`;
  return (
    `${plan.stream} stream (${plan.design}) serving ${plan.metrics.join(', ')}; ${plan.variants.length} variant(s), ` +
    `${rounds}, ${seconds} s at the offered rate (the longest adds the request timeout per batch of ${plan.lookEvery} rounds)`
  );
}

function describeCaps(plan: StreamPlan): string {
  const caps = [...new Set(Object.values(plan.maxRounds))];
  return caps.length === 1 ? String(caps[0]) : plan.variants.map((v) => `${v} ${plan.maxRounds[v]}`).join(', ');
}

/** The smallest effect each kind of comparison of the stream can detect (80% power) at its cap. */
function detectable(plan: StreamPlan, ctx: PlanContext): string[] {
  const { analysis } = ctx.config;
  const margin = analysis.latencyMarginPct;
  const latency = (n: number, variant: string): number =>
    plan.design === 'sequential'
      ? latencyMdePct(n, {
          alpha: failAlphaOf(plan, variant),
          marginPct: margin,
          failRule: plan.failRule,
          sdLog: PLANNING_SD_LOG,
        })
      : mdePct(n, n, PLANNING_SD_LOG, analysis.alpha);
  const lines = plan.variants
    .filter((v) => plan.timedTypes.includes(v))
    .map(
      (v) =>
        `${v} latency: ${effect(latency(plan.maxRounds[v] ?? 0, v), '%', 'slower')} (σ_log ${PLANNING_SD_LOG} assumed)`,
    );
  if (plan.metrics.includes('PAR-ERR-001') && plan.design === 'sequential') {
    const n = plan.maxRounds.text ?? 0;
    const pp = errorRateMdePp(n, {
      alpha: failAlphaOf(plan, 'text'),
      marginPp: ERROR_MARGIN_PP,
      referenceRatePct: 0,
      failRule: plan.failRule,
    });
    lines.push(`error rate: ${effect(pp, ' points', 'more errors')}`);
  }
  return lines;
}

function effect(value: number, unit: string, what: string): string {
  return Number.isFinite(value)
    ? `${value.toFixed(1)}${unit} ${what}`
    : 'none (too few rounds for the level at this cap)';
}
