/**
 * What every reporter renders from: the recorded bundle, never live state (docs/architecture.md, "Record once,
 * render many"). Each reporter is a pure function of a `BundleView`.
 */
import type { Observation, Results } from '../core/types.js';

/** The part of a HAR 1.2 entry reporters read; `_id`, `_cohort`, `_check` are dma-audit's custom fields. */
export interface HarEntryView {
  _id: string;
  _cohort?: string;
  _check?: string;
  startedDateTime?: string;
  /** Total elapsed milliseconds, as HAR records it. */
  time?: number;
  /** `outbound` (harness → target) or `inbound` (a webhook the target sent). */
  _direction?: string;
  request: {
    method: string;
    url: string;
    headers?: Array<{ name: string; value: string }>;
    postData?: { mimeType?: string; text?: string };
  };
  response: { status: number; statusText?: string; headers?: Array<{ name: string; value: string }> };
  timings?: Partial<Record<'blocked' | 'dns' | 'connect' | 'ssl' | 'send' | 'wait' | 'receive', number>>;
}

/** The bundle as reporters see it: results.json, samples.ndjson and exchanges.har. */
export interface BundleView {
  results: Results;
  observations: Observation[];
  /**
   * The exchanges findings cite, whole (reports rebuild requests from them), and how many the HAR
   * holds in all: a soak's million others stay on disk.
   */
  har: { log: { entries: HarEntryView[] }; recorded: number };
}

/** Options every file reporter accepts; each reads only the ones that concern it. */
export interface ReportOptions {
  /** How junit.xml shows an inconclusive verdict (default `failure`). */
  junitInconclusive?: 'failure' | 'skipped';
}

/** One output format: the file it is written to and how it is rendered. */
export interface Reporter {
  fileName: string;
  /** Renders the whole file; the same view and options always give the same bytes. */
  render(view: BundleView, options?: ReportOptions): Promise<string>;
}
