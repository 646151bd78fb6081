/**
 * The analysis of a merged bundle (DESIGN.md, "Evidence bundle", wave 2): per-vantage findings, each the
 * check's own analysis of one vantage point's samples under that run's seed, and combined findings from all
 * vantage points stratified by it (the check's `analyseStrata`, else the rule in combine.ts). One Holm
 * correction spans every per-vantage and combined comparison. Pure: `verify` calls it on the pooled samples.
 */
import type { Finding, FindingDraft, Observation } from '../core/types.js';
import { analyseCheck, ERRORED, SKIPPED } from './analyse.js';
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
  const drafts = checks.flatMap((check) =>
    draftsOf(
      check,
      vantages.map((v) => stratumOf(check, v)),
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
  const combined =
    check.analyseStrata !== undefined && isClean ? check.analyseStrata(strata, ctx) : combineByRule(perVantage);
  return [...perVantage, ...combined];
}

function stratumOf(check: CheckDefinition, vantage: VantageSamples): CheckStratum {
  return { vantage: vantage.vantage, observations: vantage.observations.filter((o) => o.check === check.id) };
}
