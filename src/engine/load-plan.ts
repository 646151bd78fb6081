/**
 * The load plan of a run (`run --dry-run`, README "Usage"): per check and in all, the most
 * requests per cohort, at what rates, the longest it can take and the smallest effect each comparison
 * can detect at its cap, computed from the config alone. A plan that cannot fit `limits` is a config
 * error. Sends nothing.
 */
import type { LoadedConfig } from '../config/types.js';
import { ConfigError } from '../core/errors.js';
import type { CheckDefinition, CheckPlan, PlanContext } from './check.js';

/** One check's line of the plan. */
export interface CheckLoad {
  id: string;
  title: string;
  /** Why it will not run (a missing surface), or null. */
  skip: string | null;
  plan: CheckPlan | null;
}

/** The whole plan. */
export interface LoadPlan {
  checks: CheckLoad[];
  cohorts: string[];
  /** Most requests per cohort, and in all, over the checks that can say. */
  requestsPerCohort: Record<string, number>;
  requests: number;
  maxRatePerSec: number;
  maxSeconds: number;
  /** Checks that cannot bound their traffic in advance (bounded only by `limits`). */
  unplanned: string[];
  limits: { maxRequests: number; maxRps: number; maxRequestsPerCohort: number | null };
}

/** Plans `checks` under `loaded`; throws a ConfigError naming the limit a plan would break. */
export function planLoad(
  checks: readonly CheckDefinition[],
  loaded: LoadedConfig,
  options: { isQuick: boolean; missing: (check: CheckDefinition) => string | null },
): LoadPlan {
  const { config } = loaded;
  const selection = new Set(checks.map((c) => c.id));
  const ctx: PlanContext = {
    config,
    cohorts: config.cohorts,
    subjects: config.cohorts.filter((c) => c.role === 'subject'),
    isQuick: options.isQuick,
    isSelected: (id) => selection.has(id),
  };
  const lines = checks.map((check): CheckLoad => {
    const skip = options.missing(check);
    return { id: check.id, title: check.title, skip, plan: skip === null ? (check.plan?.(ctx) ?? null) : null };
  });
  const cohorts = config.cohorts.map((c) => c.id);
  const requestsPerCohort = Object.fromEntries(cohorts.map((id) => [id, 0]));
  for (const line of lines)
    for (const id of cohorts)
      requestsPerCohort[id] = (requestsPerCohort[id] ?? 0) + (line.plan?.requestsPerCohort[id] ?? 0);
  const planned = lines.filter((l) => l.plan !== null).map((l) => l.plan as CheckPlan);
  const plan: LoadPlan = {
    checks: lines,
    cohorts,
    requestsPerCohort,
    requests: Object.values(requestsPerCohort).reduce((a, b) => a + b, 0),
    maxRatePerSec: Math.max(0, ...planned.map((p) => p.ratePerSec)),
    maxSeconds: planned.reduce((sum, p) => sum + p.maxSeconds, 0),
    unplanned: lines.filter((l) => l.skip === null && l.plan === null).map((l) => l.id),
    limits: {
      maxRequests: config.limits.maxRequests,
      maxRps: config.limits.maxRps,
      maxRequestsPerCohort: config.limits.maxRequestsPerCohort,
    },
  };
  const problems = limitProblems(plan);
  if (problems.length > 0)
    throw new ConfigError('the load plan does not fit the config’s limits', problems, {
      hint: 'raise the limit, or lower analysis.maxSamples / analysis.samples / analysis.latencyRps',
    });
  return plan;
}

/** One line per limit the plan would break, naming the limit and the figure. */
export function limitProblems(plan: LoadPlan): string[] {
  const problems: string[] = [];
  const { limits } = plan;
  if (plan.requests > limits.maxRequests)
    problems.push(
      `limits.maxRequests: the plan can send ${plan.requests} requests, the limit is ${limits.maxRequests}`,
    );
  if (plan.maxRatePerSec > limits.maxRps)
    problems.push(
      `limits.maxRps: the plan offers up to ${plan.maxRatePerSec} requests/s, the limit is ${limits.maxRps}`,
    );
  const perCohort = limits.maxRequestsPerCohort;
  if (perCohort !== null)
    for (const [cohort, n] of Object.entries(plan.requestsPerCohort))
      if (n > perCohort)
        problems.push(
          `limits.maxRequestsPerCohort: the plan can send ${n} requests for ${cohort}, the limit is ${perCohort}`,
        );
  return problems;
}

/** The plan as plain text, one block per check and the totals. */
export function formatLoadPlan(plan: LoadPlan): string {
  const lines: string[] = ['Load plan (nothing was sent)', ''];
  for (const check of plan.checks) {
    if (check.skip !== null) {
      lines.push(`${check.id}  skip: ${check.skip}`);
      continue;
    }
    if (check.plan === null) {
      lines.push(`${check.id}  not planned in advance (bounded by limits.maxRequests and limits.maxRps)`);
      continue;
    }
    const p = check.plan;
    const requests = Object.values(p.requestsPerCohort).reduce((a, b) => a + b, 0);
    if (requests === 0) {
      lines.push(`${check.id}  ${p.note ?? 'no requests of its own'}`);
      continue;
    }
    const perCohort = Object.entries(p.requestsPerCohort)
      .map(([id, n]) => `${id} ${n}`)
      .join(', ');
    lines.push(
      `${check.id}  at most ${requests} requests (${perCohort}) at ${p.ratePerSec} requests/s, at most ${p.maxSeconds} s`,
    );
    if (p.note !== undefined) lines.push(`    ${p.note}`);
    for (const d of p.detectable) lines.push(`    detectable at the cap: ${d}`);
  }
  const perCohort = Object.entries(plan.requestsPerCohort)
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  lines.push('');
  lines.push(
    `In all: at most ${plan.requests} requests (${perCohort}), at most ${plan.maxRatePerSec} requests/s, at most ${plan.maxSeconds} s for the planned checks.`,
  );
  if (plan.unplanned.length > 0)
    lines.push(`Not planned in advance: ${plan.unplanned.join(', ')} (the budget bounds them).`);
  const cohortLimit =
    plan.limits.maxRequestsPerCohort === null ? '' : `, ${plan.limits.maxRequestsPerCohort} per cohort`;
  lines.push(`Limits: ${plan.limits.maxRequests} requests${cohortLimit}, ${plan.limits.maxRps} requests/s.`);
  return `${lines.join('\n')}\n`;
}
