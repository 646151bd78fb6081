/**
 * `dma-audit trend`: many runs of one target over time (docs/architecture.md, "Merged bundles"). It reads only
 * results.json of each bundle, one at a time, keeping a few numbers per finding, so a year of daily bundles
 * fits in memory however many samples each holds. Runs are ordered by run.startedAt; a series is one
 * check × cohort × variant (× vantage point, for a merged bundle's per-vantage findings).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleReadError, UsageError } from '../core/errors.js';
import type { Finding, JsonValue, Results, Verdict } from '../core/types.js';
import { RESULTS_FILE } from '../evidence/bundle/layout.js';
import { readResultsFile } from './sources.js';

/** An effect with its interval, as a finding reports it (e.g. the latency shift in ms). */
export interface Effect {
  /** The measurement it was read from, e.g. "shift". */
  name: string;
  unit: string;
  estimate: number;
  ciLow: number | null;
  ciHigh: number | null;
}

/** One finding of one run, reduced to what a timeline shows. */
export interface TrendPoint {
  runId: string;
  startedAt: string;
  verdict: Verdict;
  summary: string;
  effect: Effect | null;
}

/** The timeline of one check × cohort × variant (× vantage). */
export interface TrendSeries {
  key: string;
  checkId: string;
  title: string;
  cohort: string | null;
  variant: string | null;
  vantage: string | null;
  points: TrendPoint[];
  /** When the series was first and last seen failing, or null when it never failed. */
  violation: { firstSeen: string; lastSeen: string; runs: number } | null;
  /** It fails in the latest run and did not in the run before it. */
  isNewViolation: boolean;
}

/** The whole trend. */
export interface Trend {
  target: { name: string };
  runs: Array<{
    runId: string;
    startedAt: string;
    scenario: string | null;
    kind: string;
    vantage: string | null;
    exitCode: number;
  }>;
  series: TrendSeries[];
  /** 1 when the latest run fails a check the run before did not, else 0 (the trend contract of README, "Campaigns"). */
  exitCode: 0 | 1;
}

interface RunDigest {
  run: Trend['runs'][number];
  findings: Array<{
    key: string;
    head: Omit<TrendSeries, 'points' | 'violation' | 'isNewViolation'>;
    point: TrendPoint;
  }>;
}

/** Builds the trend over bundle folders and parent folders of bundles. */
export async function buildTrend(paths: readonly string[]): Promise<Trend> {
  const dirs = (await Promise.all(paths.map(bundleDirsOf))).flat();
  if (dirs.length === 0) throw new UsageError('trend found no bundle (a folder with results.json) in the paths given');
  const digests: RunDigest[] = [];
  let target: string | null = null;
  for (const dir of dirs) {
    const results = await readResultsFile(dir);
    if (typeof results?.run?.startedAt !== 'string' || !Array.isArray(results.findings))
      throw new BundleReadError(`${join(dir, RESULTS_FILE)} is not a dma-audit results file`);
    if (target !== null && results.run.target.name !== target)
      throw new UsageError(
        `trend reads runs of one target: ${dir} is of "${results.run.target.name}", not "${target}"`,
      );
    target = results.run.target.name;
    digests.push(digestOf(results));
  }
  digests.sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt) || a.run.runId.localeCompare(b.run.runId));
  return assemble(target ?? '', digests);
}

/** A bundle folder is itself; any other folder stands for the bundles directly inside it. */
async function bundleDirsOf(path: string): Promise<string[]> {
  if (await isFile(join(path, RESULTS_FILE))) return [path];
  let entries: string[];
  try {
    entries = (await readdir(path)).sort();
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const found: string[] = [];
  for (const entry of entries) if (await isFile(join(path, entry, RESULTS_FILE))) found.push(join(path, entry));
  if (found.length === 0) throw new BundleReadError(`${path} is neither a bundle nor a folder of bundles`);
  return found;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function digestOf(results: Results): RunDigest {
  const { run } = results;
  return {
    run: {
      runId: run.id,
      startedAt: run.startedAt,
      scenario: run.target.scenario ?? null,
      kind: run.kind ?? 'run',
      vantage: run.vantage?.name ?? null,
      exitCode: results.summary.exitCode,
    },
    findings: results.findings.map((f) => ({
      key: seriesKey(f),
      head: {
        key: seriesKey(f),
        checkId: f.checkId,
        title: f.title,
        cohort: f.cohort,
        variant: f.variant ?? null,
        vantage: f.vantage ?? null,
      },
      point: { runId: run.id, startedAt: run.startedAt, verdict: f.verdict, summary: f.summary, effect: effectOf(f) },
    })),
  };
}

/** `checkId [cohort] (variant) @vantage`. */
export function seriesKey(f: Pick<Finding, 'checkId' | 'cohort' | 'variant' | 'vantage'>): string {
  const cohort = f.cohort === null ? '' : ` [${f.cohort}]`;
  const variant = f.variant === undefined ? '' : ` (${f.variant})`;
  const vantage = f.vantage === undefined ? '' : ` @${f.vantage}`;
  return `${f.checkId}${cohort}${variant}${vantage}`;
}

/** The first measurement shaped like an estimate with an interval: `{estimateMs, ciLowMs, ciHighMs}` or `{estimate, ciLow, ciHigh}`. */
export function effectOf(finding: Finding): Effect | null {
  for (const [name, value] of Object.entries(finding.measurements)) {
    const effect = asEffect(name, value);
    if (effect !== null) return effect;
  }
  return null;
}

function asEffect(name: string, value: JsonValue): Effect | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  for (const [suffix, unit] of [
    ['Ms', 'ms'],
    ['', ''],
  ] as const) {
    const estimate = num(value[`estimate${suffix}`]);
    if (estimate !== null && (`ciLow${suffix}` in value || `ciHigh${suffix}` in value))
      return { name, unit, estimate, ciLow: num(value[`ciLow${suffix}`]), ciHigh: num(value[`ciHigh${suffix}`]) };
  }
  return null;
}

function assemble(target: string, digests: RunDigest[]): Trend {
  const series = new Map<string, TrendSeries>();
  for (const digest of digests) {
    for (const { key, head, point } of digest.findings) {
      const s = series.get(key) ?? { ...head, points: [], violation: null, isNewViolation: false };
      s.points.push(point);
      series.set(key, s);
    }
  }
  const latest = digests.at(-1)?.run.runId;
  const previous = digests.at(-2)?.run.runId;
  for (const s of series.values()) finish(s, latest, previous);
  const all = [...series.values()];
  return {
    target: { name: target },
    runs: digests.map((d) => d.run),
    series: all,
    exitCode: all.some((s) => s.isNewViolation) ? 1 : 0,
  };
}

function finish(s: TrendSeries, latest: string | undefined, previous: string | undefined): void {
  const failing = s.points.filter((p) => p.verdict === 'fail');
  const [first] = failing;
  const last = failing.at(-1);
  s.violation =
    first === undefined || last === undefined
      ? null
      : { firstSeen: first.startedAt, lastSeen: last.startedAt, runs: failing.length };
  const at = (runId: string | undefined): TrendPoint | undefined => s.points.find((p) => p.runId === runId);
  s.isNewViolation = at(latest)?.verdict === 'fail' && previous !== undefined && at(previous)?.verdict !== 'fail';
}
