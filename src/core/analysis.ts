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
  /** How parity comparisons of the shared streams stop: anytime-valid looks (default) or today's fixed N. */
  design?: 'sequential' | 'fixed';
  /** Sequential design: the most measured rounds per cohort a comparison may take before it is inconclusive. */
  maxSamples?: number;
  /**
   * Sequential design: what a fail needs. "significant-and-beyond": "not slower at all" rejected at the
   * anytime-valid level and the estimate beyond the margin (the fixed rule's shape); "beyond-margin":
   * "slower by at most the margin" rejected (stricter, several times the samples).
   */
  failRule?: 'significant-and-beyond' | 'beyond-margin';
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
