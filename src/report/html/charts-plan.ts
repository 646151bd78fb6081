/** Which charts a report carries: per latency finding an ECDF and a shift chart, plus an overview forest plot. */
import type { TopLevelSpec } from 'vega-lite';
import type { Finding, Observation } from '../../core/types.js';
import { ecdfSpec, renderSvgs, shiftSpec, type EcdfSeries, type MarginBand, type ShiftRow } from '../charts.js';
import { findingName, isLatencyFinding, latencyShift, marginMs } from '../format.js';
import type { BundleView } from '../types.js';
import type { FindingCharts } from './finding.js';

/** Rendered charts: per finding index, and the overview (null when there is no latency finding). */
export interface ReportCharts {
  byFinding: Map<number, FindingCharts>;
  overview: string | null;
}

/** The samples the analysis compares: successful, and not warm-up rounds (which have a negative round). */
function isMeasured(observation: Observation): boolean {
  return (observation.outcome === undefined || observation.outcome === 'ok') && (observation.round ?? 0) >= 0;
}

function ecdfSeries(finding: Finding, observations: readonly Observation[]): EcdfSeries[] {
  const cohorts = [finding.reference, finding.cohort].filter((c): c is string => c !== null);
  return cohorts
    .map((cohort) => ({
      cohort,
      latenciesMs: observations
        .filter(
          (o) =>
            o.check === finding.checkId &&
            o.cohort === cohort &&
            (finding.variant === undefined || o.variant === finding.variant) &&
            // A merged bundle's per-vantage finding shows its own vantage point's samples; a combined one all of them.
            (finding.vantage === undefined || o.vantage === finding.vantage),
        )
        .flatMap((o) => (isMeasured(o) && typeof o.latencyUs === 'number' ? [o.latencyUs / 1000] : [])),
    }))
    .filter((series) => series.latenciesMs.length > 0);
}

/** The reference median ± margin, when the finding records both. */
function marginBand(finding: Finding): MarginBand | null {
  const margin = marginMs(finding.measurements);
  const median = finding.measurements['medianMs'];
  const reference =
    typeof median === 'object' && median !== null && !Array.isArray(median) ? median['reference'] : undefined;
  if (margin === null || typeof reference !== 'number') return null;
  return { lowMs: reference - margin, highMs: reference + margin };
}

function shiftRow(finding: Finding): ShiftRow | null {
  const shift = latencyShift(finding.measurements);
  return shift === null ? null : { label: findingName(finding), ...shift };
}

/** Builds and renders every chart of the report, in a fixed order. */
export async function renderReportCharts(view: BundleView): Promise<ReportCharts> {
  const specs: TopLevelSpec[] = [];
  const slots: Array<{ index: number; kind: keyof FindingCharts }> = [];
  const overviewRows: ShiftRow[] = [];
  view.results.findings.forEach((finding, index) => {
    if (!isLatencyFinding(finding)) return;
    const name = findingName(finding);
    const series = ecdfSeries(finding, view.observations);
    if (series.length > 0) {
      specs.push(ecdfSpec(series, `Latency ECDF for ${name}`, marginBand(finding)));
      slots.push({ index, kind: 'ecdf' });
    }
    const row = shiftRow(finding);
    if (row === null) return;
    overviewRows.push(row);
    specs.push(shiftSpec([row], marginMs(finding.measurements), `Latency shift for ${name}`));
    slots.push({ index, kind: 'shift' });
  });
  if (overviewRows.length > 0) specs.push(shiftSpec(overviewRows, null, 'Latency shift of every latency finding'));
  const svgs = await renderSvgs(specs);
  const byFinding = new Map<number, FindingCharts>();
  slots.forEach(({ index, kind }, i) => byFinding.set(index, { ...byFinding.get(index), [kind]: svgs[i] }));
  return { byFinding, overview: overviewRows.length > 0 ? (svgs[svgs.length - 1] ?? null) : null };
}
