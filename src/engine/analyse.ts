/**
 * Turns a run's observations into findings. Pure: `verify` calls the same function on a bundle and
 * must get the same findings (docs/architecture.md, "Principles").
 */
import type { Finding, FindingDraft, JsonObject, Observation } from '../core/types.js';
import type { AnalysisContext, CheckDefinition } from './check.js';
import { decide } from './decide.js';
import { subsetOf } from '../evidence/bundle/sample-table.js';

/** Observation kinds the engine itself records when a check is skipped or breaks. */
export const SKIPPED = 'check-skipped';
export const ERRORED = 'check-error';
/**
 * Observation kind a resumed run records before it runs a check again: the check's own earlier samples
 * are void. Shared-stream samples (those with `metrics`) are not: a stream continues where it was cut
 * off and voids what it repeats itself, with a ROUNDS_VOIDED observation.
 */
export const RESTARTED = 'check-restarted';
/**
 * Observation kind of a resumed shared stream: the samples of `data.kinds` from round `data.fromRound`
 * on that were recorded before it are void (the interrupted run's incomplete rounds, which it sends again).
 */
export const ROUNDS_VOIDED = 'rounds-voided';

/**
 * The observations each check analyses: those recorded under its id and every shared-stream sample
 * whose `metrics` names it (docs/architecture.md, "Shared streams"), less what a resumed run voided.
 */
export function observationsByCheck(observations: readonly Observation[]): Map<string, Observation[]> {
  // Positions, not objects: a bundle's rows are made as they are read (src/evidence/bundle/sample-table.ts).
  const byCheck = new Map<string, Positions>();
  const add = (check: string, position: number): void => {
    const list = byCheck.get(check) ?? new Positions();
    list.push(position);
    byCheck.set(check, list);
  };
  for (let position = 0; position < observations.length; position += 1) {
    const observation = observations[position] as Observation;
    const isVoid = voidedBy(observation);
    if (isVoid !== null) {
      for (const list of byCheck.values()) list.keep((earlier) => !isVoid(observations[earlier] as Observation));
      continue;
    }
    const metrics = observation.metrics;
    if (metrics === undefined) add(observation.check, position);
    else for (let i = 0; i < metrics.length; i += 1) add(metrics[i] as string, position);
  }
  return new Map([...byCheck].map(([check, list]) => [check, subsetOf(observations, list.values())]));
}

/** A growing list of positions, four bytes each. */
class Positions {
  private data = new Uint32Array(16);
  private length = 0;

  push(position: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = position;
    this.length += 1;
  }

  /** Drops, in place, the positions `isKept` says no to. */
  keep(isKept: (position: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i += 1) {
      const position = this.data[i] as number;
      if (isKept(position)) this.data[kept++] = position;
    }
    this.length = kept;
  }

  values(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * What a RESTARTED or ROUNDS_VOIDED observation voids of what came before it, or null for any other
 * observation. Only its own vantage point's: pooled samples of a merged bundle hold several runs.
 */
function voidedBy(marker: Observation): ((earlier: Observation) => boolean) | null {
  if (marker.kind !== RESTARTED && marker.kind !== ROUNDS_VOIDED) return null;
  const isMine = (o: Observation): boolean => o.vantage === marker.vantage;
  if (marker.kind === RESTARTED) return (o) => isMine(o) && o.check === marker.check && o.metrics === undefined;
  const kinds = Array.isArray(marker.data?.kinds) ? marker.data.kinds : [];
  const fromRound = Number(marker.data?.fromRound ?? Infinity);
  return (o) => isMine(o) && o.metrics !== undefined && kinds.includes(o.kind) && (o.round ?? -1) >= fromRound;
}

/** Analyses every selected check and applies the run-wide decision rule. */
export function analyseRun(
  checks: readonly CheckDefinition[],
  observations: readonly Observation[],
  ctx: AnalysisContext,
): Finding[] {
  const byCheck = observationsByCheck(observations);
  const drafts = checks.flatMap((check) => analyseCheck(check, byCheck.get(check.id) ?? [], ctx));
  return decide(drafts, ctx.analysis.alpha);
}

/**
 * Re-derives the findings of a recorded run: the same analysis, on the bundle's samples, under the
 * context persisted in its results.json. `checks` are the run's selected checks, in catalogue order.
 */
export function recomputeFindings(
  checks: readonly CheckDefinition[],
  samples: readonly Observation[],
  context: AnalysisContext,
): Finding[] {
  return analyseRun(checks, samples, context);
}

/** One check's drafts from its own observations; a recorded skip or error, or a throwing analysis, is a finding. */
export function analyseCheck(
  check: CheckDefinition,
  observations: Observation[],
  ctx: AnalysisContext,
): FindingDraft[] {
  const base = {
    checkId: check.id,
    title: check.title,
    suite: check.suite,
    cohort: null,
    reference: ctx.reference.id,
    references: check.references,
    measurements: {},
    evidence: [],
  };
  const skipped = observations.find((o) => o.kind === SKIPPED);
  if (skipped !== undefined) {
    const reason = String(skipped.data?.reason ?? 'not applicable');
    return [{ ...base, verdict: 'skip', reason, summary: `Skipped: ${reason}` }];
  }
  const errored = observations.find((o) => o.kind === ERRORED);
  if (errored !== undefined) {
    const reason = String(errored.data?.reason ?? 'the check failed to run');
    return [
      {
        ...base,
        verdict: 'error',
        reason,
        summary: `The check could not complete: ${reason}`,
        measurements: (errored.data ?? {}) as JsonObject,
      },
    ];
  }
  try {
    return check.analyse(observations, ctx);
  } catch (error: unknown) {
    const reason = `analysis failed: ${error instanceof Error ? error.message : String(error)}`;
    return [{ ...base, verdict: 'error', reason, summary: reason }];
  }
}
