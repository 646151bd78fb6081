/** Building blocks of E2EE findings: who is audited, the common fields, and the readings per cohort. */
import type { AnalysisContext, CheckDefinition } from '../../src/engine/check.js';
import type { Finding, JsonObject, Observation } from '../../src/core/types.js';
import { evidenceOf, KIND, recordsOf, type BundleRecord, type Recorded } from './records.js';

/** A cohort as findings name it. */
export interface Party {
  id: string;
  label: string;
  isReference: boolean;
}

/** The reference first, then every subject (E2EE checks judge each cohort, the reference included). */
export function partiesOf(ctx: AnalysisContext): Party[] {
  return [{ ...ctx.reference, isReference: true }, ...ctx.subjects.map((s) => ({ ...s, isReference: false }))];
}

type CheckInfo = Pick<CheckDefinition, 'id' | 'title' | 'suite' | 'references'>;
type Common = Omit<Finding, 'verdict' | 'summary' | 'measurements' | 'evidence'>;

/** The fields every finding about `party` shares; the reference's own findings name no reference. */
export function common(check: CheckInfo, party: Party, ctx: AnalysisContext): Common {
  const reference = party.isReference ? null : ctx.reference.id;
  return {
    checkId: check.id,
    title: check.title,
    suite: check.suite,
    cohort: party.id,
    reference,
    references: check.references,
  };
}

/** A decided finding (pass, fail, warn or inconclusive). */
export function decided(
  base: Common,
  verdict: 'pass' | 'fail' | 'warn' | 'inconclusive',
  summary: string,
  measurements: JsonObject,
  evidence: string[],
): Finding {
  return { ...base, verdict, summary, measurements, evidence } satisfies Finding;
}

/** An error finding: the check could not reach a verdict for this cohort, and says why. */
export function errored(base: Common, reason: string, measurements: JsonObject, evidence: string[]): Finding {
  return {
    ...base,
    verdict: 'error',
    reason,
    summary: `No verdict: ${reason}.`,
    measurements,
    evidence,
  } satisfies Finding;
}

/** One cohort's bundle fetches, in fetch order, split by what came back. */
export interface BundleReadings {
  all: Array<Recorded<BundleRecord>>;
  decoded: BundleRecord[];
  malformed: BundleRecord[];
  unavailable: BundleRecord[];
  evidence: string[];
}

/** Reads a cohort's bundle fetches from the observations. */
export function bundlesOf(observations: readonly Observation[], cohort: string): BundleReadings {
  const all = recordsOf<BundleRecord>(observations, KIND.bundle, cohort).sort(
    (a, b) => (a.observation.round ?? 0) - (b.observation.round ?? 0),
  );
  const records = all.map((r) => r.record);
  return {
    all,
    decoded: records.filter((r) => r.state === 'ok'),
    malformed: records.filter((r) => r.state === 'malformed'),
    unavailable: records.filter((r) => r.state !== 'ok' && r.state !== 'malformed'),
    evidence: evidenceOf(all),
  };
}

/** Fetch counts for measurements. */
export function fetchCounts(readings: BundleReadings): JsonObject {
  return {
    total: readings.all.length,
    decoded: readings.decoded.length,
    malformed: readings.malformed.length,
    unavailable: readings.unavailable.length,
  };
}

/** The distinct problems of a cohort's bundles, for a reason or a summary (at most `limit`). */
export function problemsOf(records: readonly BundleRecord[], limit = 3): string[] {
  return [...new Set(records.flatMap((r) => (Array.isArray(r.problems) ? r.problems : [])))].slice(0, limit);
}

/** Why no bundle of a cohort could be judged: nothing fetched, or every fetch failed. */
export function noBundleReason(party: Party, readings: BundleReadings): string {
  if (readings.all.length === 0)
    return `no key bundle was fetched for ${party.label} (the run may have been interrupted)`;
  const problems = problemsOf([...readings.malformed, ...readings.unavailable]);
  return `none of the ${readings.all.length} key bundles fetched for ${party.label} could be decoded (${problems.join('; ')})`;
}

/** "k of n". */
export function share(k: number, n: number): string {
  return `${k} of ${n}`;
}
