/** Shared domain types: suites, verdicts, observations and findings (docs/architecture.md, "Evidence bundle"). */

import type { AnalysisContext } from './analysis.js';

export type Suite = 'conformance' | 'parity' | 'e2ee';
export const SUITES: readonly Suite[] = ['conformance', 'parity', 'e2ee'];

export type Verdict = 'pass' | 'fail' | 'warn' | 'inconclusive' | 'skip' | 'error';
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'warn', 'inconclusive', 'skip', 'error'];

/** A legal or specification basis for a check. */
export interface Reference {
  source: string;
  clause: string;
  url?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * One raw measurement, one line of samples.ndjson. Every verdict is a pure function of these.
 * `seq` is assigned by the recorder in recording order; everything else comes from the check.
 */
export interface Observation {
  check: string;
  cohort: string;
  kind: string;
  seq: number;
  variant?: string;
  round?: number;
  /** Monotonic ns since the run started at which the request was scheduled. */
  scheduledNs?: number;
  /** Monotonic ns since the run started at which the request actually left. */
  sentNs?: number;
  /** Measured from the scheduled time, so a stall cannot hide (no coordinated omission). */
  latencyUs?: number;
  outcome?: Outcome;
  /** HAR entry ids this observation was taken from. */
  exchanges?: string[];
  /**
   * The checks this sample is evidence for, when a shared stream records it once for several
   * (docs/architecture.md, "Shared streams"); absent means `check` alone.
   */
  metrics?: string[];
  data?: JsonObject;
  /** The vantage point it was measured from (`run --vantage`); merged bundles stratify by it. */
  vantage?: string;
}

/** Every field of an Observation (the type check below fails when one is added here but not there). */
export const OBSERVATION_FIELDS = [
  'check',
  'metrics',
  'variant',
  'cohort',
  'kind',
  'round',
  'scheduledNs',
  'sentNs',
  'latencyUs',
  'outcome',
  'exchanges',
  'data',
  'seq',
  'vantage',
] as const satisfies ReadonlyArray<keyof Observation>;
const everyField: Exclude<keyof Observation, (typeof OBSERVATION_FIELDS)[number]> extends never ? true : never = true;
void everyField;

/**
 * A plain copy of `observation` with `patch` over it. Spreading an observation read from a bundle copies
 * nothing: its fields are getters (src/evidence/bundle/sample-table.ts).
 */
export function observationWith(observation: Observation, patch: Partial<Observation>): Observation {
  const copy: Record<string, unknown> = {};
  for (const field of OBSERVATION_FIELDS) if (observation[field] !== undefined) copy[field] = observation[field];
  return { ...(copy as unknown as Observation), ...patch };
}

/** What happened to one request, from the harness's point of view. */
/**
 * `ok` needs a complete 2xx body (matching the success shape when the request names one); `redirect`
 * is any 3xx (never followed, never ok); `invalid-body` a 2xx whose body is not the promised answer.
 */
export const OUTCOMES = [
  'ok',
  'http-error',
  'redirect',
  'invalid-body',
  'timeout',
  'reset',
  'refused',
  'network-error',
  'budget-exhausted',
  'cancelled',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type ObservationInput = Omit<Observation, 'seq'>;

interface FindingBase {
  checkId: string;
  title: string;
  suite: Suite;
  /** The cohort the finding is about (for parity: the subject). */
  cohort: string | null;
  /** For parity: the reference cohort it was compared with. */
  reference: string | null;
  variant?: string;
  /** In a merged bundle: the vantage point of a per-vantage finding (combined findings have none). */
  vantage?: string;
  references: Reference[];
  /** One plain-language line. */
  summary: string;
  measurements: JsonObject;
  /** HAR entry ids of the exchanges that support the verdict. */
  evidence: string[];
}

export type DecidedFinding = FindingBase & { verdict: 'pass' | 'fail' | 'warn' | 'inconclusive' };
export type SkippedFinding = FindingBase & { verdict: 'skip'; reason: string };
export type ErroredFinding = FindingBase & { verdict: 'error'; reason: string };
export type Finding = DecidedFinding | SkippedFinding | ErroredFinding;

/**
 * A parity comparison whose verdict waits for the run-wide Holm correction
 * (docs/architecture.md, "Verdicts and the decision rule").
 */
export type PendingFinding = Omit<FindingBase, 'summary'> & {
  verdict: 'pending';
  decision: {
    /** Raw (unadjusted) p-value of "the subject is treated worse". */
    p: number;
    /** The estimated effect is worse for the subject by more than the margin. */
    isBeyondMargin: boolean;
    /** Equivalence within the margin is shown (TOST or CI inside ±margin). */
    isEquivalent: boolean;
    /** Summary line for each verdict the rule can reach. */
    summaries: { fail: string; pass: string; inconclusive: string };
  };
};

export type FindingDraft = Finding | PendingFinding;

export type RunStatus = 'complete' | 'interrupted';

export interface CohortInfo {
  id: string;
  label: string;
  role: 'reference' | 'subject';
}

export interface Summary {
  total: number;
  byVerdict: Record<Verdict, number>;
  exitCode: 0 | 1 | 3;
}

/** Where a run was measured from, as the user stated it (`--vantage`, `--vantage-meta`); nothing is looked up. */
export type Vantage = { name: string } & { [key: string]: string };

/** One input of a merged bundle, pinned by the digests of its signed manifest and attestation. */
export interface SourceRun {
  runId: string;
  vantage: Vantage;
  attestationSha256: string;
  manifestSha256: string;
  /** The source run's seed: its per-vantage findings are recomputed under it. */
  seed: number;
  startedAt: string;
}

/** The top level of results.json (schemas/results.schema.json). */
/** What a checkpoint's results.json says about the data sealed with it. */
export interface RunCheckpoint {
  at: string;
  samples: number;
  exchanges: number;
}

/** The options a run was started with, as far as `run --resume` needs them to continue it the same way. */
export interface ResumeInfo {
  scenario?: string;
  checks: string[];
  samples?: number;
  maxRps?: number;
  maxRequests?: number;
  isQuick: boolean;
  /** `--design`, when it overrode the config's analysis.design. */
  design?: 'sequential' | 'fixed';
  durationMs?: number;
  /** sha256 of the config file, when the run audited one (resume must be given the same file). */
  configDigest: string | null;
  /** How many times the run was resumed. */
  resumes: number;
  /** Checks whose run had ended when the bundle was sealed (a resumed run skips them). */
  completedChecks: string[];
}

export interface Results {
  schemaVersion: 1;
  tool: { name: 'dma-audit'; version: string };
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    status: RunStatus;
    seed: number;
    target: { name: string; scenario?: string };
    cohorts: CohortInfo[];
    analysis: AnalysisContext;
    /** The checks this run selected, and what each establishes in plain words. */
    selection: { checks: string[]; descriptions?: Record<string, string> };
    eventLoopDelayMs?: { p50: number; p99: number; max: number };
    /** Present while the run is unfinished: the bundle was sealed at a checkpoint and holds no findings yet. */
    checkpoint?: RunCheckpoint;
    /** How to continue the run with `run --resume` (present on every bundle a run writes). */
    resume?: ResumeInfo;
    /** Where the run was measured from, as the user stated it (`run --vantage`). */
    vantage?: Vantage;
    /** "merged" for a bundle written by `dma-audit merge` (absent for an ordinary run). */
    kind?: 'merged';
    sources?: SourceRun[];
  };
  summary: Summary;
  findings: Finding[];
}
