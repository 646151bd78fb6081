/**
 * How far a run has got, as the engine reports it to its caller while checks run (the CLI draws it as
 * a status line, src/report/progress.ts). Nothing here is recorded: the bundle holds the evidence.
 */

/** What a check counts its work in: samples as recorded in samples.ndjson, or requests sent. */
export type ProgressUnit = 'samples' | 'requests';

/** How far one part of the running check has got. */
export interface CheckProgress {
  /** Names the part (e.g. "outbound stream"); parts that run at once add up. */
  part: string;
  unit: ProgressUnit;
  /** Counted so far. */
  done: number;
  /** The most there can be in all: a cap (a sequential stream usually stops before it), never a promise. */
  planned: number;
}

/** A check starting (its 1-based position among the run's checks), or how far the running check has got. */
export type RunProgress =
  { kind: 'check'; check: string; index: number; total: number } | ({ kind: 'work'; check: string } & CheckProgress);
