/** Shared pieces of the conformance checks: schema violations by JSON path, and per-cohort findings. */
import type { AnalysisContext, CheckDefinition } from '../../src/engine/check.js';
import { validateAgainst } from '../../src/core/schemas.js';
import type { Finding, JsonObject, JsonValue, Observation } from '../../src/core/types.js';

/** How many violations and evidence ids a finding lists (the count is always complete). */
export const MAX_LISTED = 50;

/** One schema problem: where (JSON path and message) and in which recorded exchange. */
export interface Violation {
  exchange: string;
  problem: string;
}

/** A recorded body to validate and the HAR id it came from. */
export interface BodySample {
  body: unknown;
  exchange: string;
}

/** Validates every sample against `schemas/<schema>` and lists each problem with its exchange. */
export function violationsOf(schema: string, samples: readonly BodySample[]): Violation[] {
  return samples.flatMap((sample) =>
    validateAgainst(schema, sample.body).map((problem) => ({ exchange: sample.exchange, problem })),
  );
}

/** The first HAR id of an observation, or '' when the request was never sent. */
export function exchangeOf(observation: Observation): string {
  return observation.exchanges?.[0] ?? '';
}

/** Every cohort of the run, reference first (conformance is judged for each one alone). */
export function everyCohort(ctx: AnalysisContext): Array<{ id: string; label: string }> {
  return [ctx.reference, ...ctx.subjects];
}

/** Observations of one cohort and kind. */
export function samplesOf(observations: readonly Observation[], cohort: string, kind: string): Observation[] {
  return observations.filter((o) => o.cohort === cohort && o.kind === kind);
}

/** A decided conformance finding about one cohort (no reference: the platform is compared with its own spec). */
export function cohortFinding(
  check: CheckDefinition,
  cohort: string | null,
  result: {
    verdict: 'pass' | 'fail' | 'warn' | 'inconclusive';
    summary: string;
    measurements: JsonObject;
    evidence: readonly string[];
  },
): Finding {
  return {
    checkId: check.id,
    title: check.title,
    suite: check.suite,
    verdict: result.verdict,
    cohort,
    reference: null,
    references: check.references,
    summary: result.summary,
    measurements: result.measurements,
    evidence: unique(result.evidence).slice(0, MAX_LISTED * 2),
  } satisfies Finding;
}

/** Violations as measurements: the total, and the first MAX_LISTED of them. */
export function violationMeasurements(violations: readonly Violation[]): JsonObject {
  return {
    violationCount: violations.length,
    violations: violations.slice(0, MAX_LISTED).map((v) => ({ exchange: v.exchange, problem: v.problem })) as JsonValue,
  };
}

/** "messages[0]: missing required key "id" (ex-000004)" and how many more. */
export function describeViolations(violations: readonly Violation[]): string {
  const [first] = violations;
  if (first === undefined) return 'no schema violation';
  const more = violations.length > 1 ? ` and ${violations.length - 1} more` : '';
  return `${first.problem} (${first.exchange})${more}`;
}

/** Plural helper for summaries. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => id !== ''))];
}
