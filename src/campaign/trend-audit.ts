/** The one call behind `dma-audit trend`: build the trend over the bundles and write trend.md/html/json. */
import { buildTrend, type Trend } from './trend.js';
import { writeTrend } from './trend-render.js';

/** What a trend left behind. */
export interface TrendResult {
  trend: Trend;
  /** trend.md, trend.html and trend.json. */
  files: string[];
  exitCode: 0 | 1;
}

/** Reads results.json of every bundle (one at a time), orders the runs and writes the trend into `outDir`. */
export async function trendAudit(paths: readonly string[], options: { outDir?: string } = {}): Promise<TrendResult> {
  const trend = await buildTrend(paths);
  const files = await writeTrend(options.outDir ?? 'reports', trend);
  return { trend, files, exitCode: trend.exitCode };
}
