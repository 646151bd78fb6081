/**
 * The analysis context: everything a verdict depends on besides the samples. It is persisted in
 * results.json (`run.analysis`, schemas/results.schema.json) and is exactly what `verify` recomputes
 * under, so its shape is a contract (docs/architecture.md, "The check contract").
 */

/** The statistical settings of a run (the config's `analysis` section after defaults). */
export interface AnalysisSettings {
  alpha: number;
  latencyMarginPct: number;
  samples: number;
  warmup: number;
  latencyRps: number;
  rateMarginPct: number;
  feeProbeMessages: number;
  bootstrapResamples: number;
  /** Message types PAR-LAT-001 times (all of them when absent). */
  latencyTypes?: string[];
}

/** A cohort as analysis names it. */
export interface CohortRef {
  id: string;
  label: string;
}

/** What `analyse` gets besides the observations: the settings and cohorts they were taken under. */
export interface AnalysisContext {
  analysis: AnalysisSettings;
  reference: CohortRef;
  subjects: CohortRef[];
  seed: number;
  /** Options of the target that analysis needs (e.g. a pinned identity key). */
  target: { feeHeaders: string[]; pinnedIdentityKey: string | null };
}
