/**
 * The analysis of a merged bundle (docs/architecture.md, "Merged bundles"): per-vantage findings, each the
 * check's own analysis of one vantage point's samples under that run's seed, and combined findings from all
 * vantage points stratified by it (the check's `analyseStrata`, else the rule in combine.ts). One Holm
 * correction spans every per-vantage and combined comparison. Pure: `verify` calls it on the pooled samples.
 *
 * A vantage point's observations of a check are selected as `analyseRun` selects them: a shared stream's
 * sample serves every check its `metrics` name, and a restarted check's earlier samples are void.
 *
 * A check's `analyseStrata` is a fixed-N test over the pooled samples (van Elteren for latency), so it is
 * used only under the fixed design. Under the sequential design every vantage point's stream stopped where
 * its own looks decided; a fixed-N test on samples whose number depends on the data is not valid, so the
 * combined finding then follows the pre-declared rule (combine.ts) over the per-vantage decided findings.
 */
import type { Finding, FindingDraft, Observation } from '../core/types.js';
import { analyseCheck, ERRORED, observationsByCheck, SKIPPED } from './analyse.js';
import type { AnalysisContext, CheckDefinition, CheckStratum } from './check.js';
import { combineByRule, type VantageDraft } from './combine.js';
import { decide } from './decide.js';

/** One vantage point of a merged bundle: its name, its run's seed and its samples. */
export interface VantageSamples {
  vantage: string;
  seed: number;
  observations: readonly Observation[];
}

/** Per-vantage and combined findings of `checks` over the vantage points, after one run-wide Holm correction. */
export function analyseStrata(
  checks: readonly CheckDefinition[],
  vantages: readonly VantageSamples[],
  ctx: AnalysisContext,
): Finding[] {
  const byVantage = vantages.map((v) => observationsByCheck(v.observations));
  const drafts = checks.flatMap((check) =>
    draftsOf(
      check,
      vantages.map((v, i) => ({ vantage: v.vantage, observations: byVantage[i]?.get(check.id) ?? [] })),
      vantages,
      ctx,
    ),
  );
  return decide(drafts, ctx.analysis.alpha);
}

function draftsOf(
  check: CheckDefinition,
  strata: CheckStratum[],
  vantages: readonly VantageSamples[],
  ctx: AnalysisContext,
): FindingDraft[] {
  const perVantage: VantageDraft[] = strata.flatMap((stratum, i) =>
    analyseCheck(check, stratum.observations, { ...ctx, seed: vantages[i]?.seed ?? ctx.seed }).map((draft) => ({
      ...draft,
      vantage: stratum.vantage,
    })),
  );
  const isClean = strata.every((s) => !s.observations.some((o) => o.kind === SKIPPED || o.kind === ERRORED));
  const isFixed = (ctx.analysis.design ?? 'sequential') === 'fixed';
  const combined =
    check.analyseStrata !== undefined && isClean && isFixed
      ? check.analyseStrata(strata, ctx)
      : combineByRule(perVantage);
  return [...perVantage, ...combined];
}
