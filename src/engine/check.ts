/** Checks are data plus two functions: `run` collects observations, `analyse` turns them into findings. */
import type { AnalysisContext } from '../core/analysis.js';
import type { AuditConfig, CohortConfig } from '../config/types.js';
import type { HttpClient } from '../http/client.js';
import type { BusinessApi, InteropApi, UserDriver } from '../targets/types.js';
import type { WebhookHub } from '../webhook/hub.js';
import type { FindingDraft, Observation, ObservationInput, Reference, Suite } from '../core/types.js';
import type { CheckProgress } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import type { Scheduler } from './scheduler.js';

export type { AnalysisContext } from '../core/analysis.js';

/** A surface of the target a check cannot run without; missing ones make the check `skip`. */
export type Requirement = 'businessApi' | 'interop' | 'userDriver' | 'webhook' | 'recipient';

/** Everything a check's `run` may use. All traffic goes through `http`, which enforces the budget. */
export interface CheckContext {
  config: AuditConfig;
  reference: CohortConfig;
  subjects: CohortConfig[];
  cohorts: CohortConfig[];
  business(cohortId: string): BusinessApi;
  interop(cohortId: string): InteropApi;
  userDriver(): UserDriver;
  webhooks(): WebhookHub;
  http: HttpClient;
  scheduler: Scheduler;
  rng: Rng;
  record(observation: ObservationInput): void;
  signal: AbortSignal;
  /** True for `--quick`: fewer samples, for CI smoke runs. */
  isQuick: boolean;
  log(message: string): void;
  /** How far a long part of the check has got (shown on the CLI's status line; never recorded). */
  progress(update: CheckProgress): void;
  /** Messages of this cohort the business API accepted so far in this run, by any check (free tiers count over time). */
  messagesAccepted(cohortId: string): number;
  /** A value shared by every check of this run, created on first use (e.g. one probe that several checks read). */
  shared<T>(key: string, create: () => T): T;
  /** Whether the check with this id is selected in this run (a shared stream serves only selected checks). */
  isSelected(checkId: string): boolean;
  /**
   * The observations the bundle held when this run started: none for a new run, what the interrupted
   * run recorded for `run --resume` (a shared stream continues from them rather than starting again).
   */
  earlier(): AsyncIterable<Observation>;
}

export interface CheckDefinition {
  id: string;
  title: string;
  suite: Suite;
  /** What the check establishes, in one or two plain sentences. */
  description: string;
  references: Reference[];
  requires: Requirement[];
  run(ctx: CheckContext): Promise<void>;
  /** The most traffic `run` can send, for `run --dry-run`; absent when the check cannot say in advance. */
  plan?(ctx: PlanContext): CheckPlan;
  analyse(observations: Observation[], ctx: AnalysisContext): FindingDraft[];
  /**
   * Merged bundles (docs/architecture.md, "Merged bundles"): the combined findings (no `vantage`) from the
   * raw samples of every vantage point, stratified by it. Pure, like `analyse`. Without it the combined
   * finding follows the engine's pre-declared rule over the per-vantage findings (src/engine/combine.ts).
   */
  analyseStrata?(strata: readonly CheckStratum[], ctx: AnalysisContext): FindingDraft[];
}

/** One vantage point's observations of one check, in a merged bundle. */
export interface CheckStratum {
  vantage: string;
  observations: Observation[];
}

/** What a check's plan sees: the config, the cohorts, and the run's options. */
export interface PlanContext {
  config: AuditConfig;
  cohorts: CohortConfig[];
  subjects: CohortConfig[];
  isQuick: boolean;
  isSelected(checkId: string): boolean;
}

/** The most traffic one check (or one shared stream it starts) can send; shared streams are counted by the first check. */
export interface CheckPlan {
  /** Most requests per cohort id (0 when another check's stream already counts them). */
  requestsPerCohort: Record<string, number>;
  /** Offered rate, all cohorts together (requests/s). */
  ratePerSec: number;
  /** The longest it can take, in seconds. */
  maxSeconds: number;
  /** Smallest effect each comparison can detect at its cap, one line each ("text: 12.3%"). */
  detectable: string[];
  /** What the figures include, in a few words. */
  note?: string;
}

/** Identity function that type-checks a check definition. */
export function defineCheck(check: CheckDefinition): CheckDefinition {
  return check;
}
