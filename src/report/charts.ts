/**
 * Charts as inline SVG: vega-lite specs compiled to vega and rendered headless (renderer 'none'),
 * so report.html needs no script and loads nothing (https://vega.github.io/vega/usage/#view-api).
 */
import type { TopLevelSpec } from 'vega-lite';

const REFERENCE_COLOUR = '#4c6ef5';
const SUBJECT_COLOUR = '#e8590c';
// Dark axis and legend text: vega's default grey fails WCAG contrast (axe color-contrast) on white.
const TEXT_COLOUR = '#343a40';
const CONFIG = {
  font: 'system-ui, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 11, labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR },
  legend: { labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR },
};

/** A latency range drawn behind an ECDF: the reference median ± the equivalence margin. */
export interface MarginBand {
  lowMs: number;
  highMs: number;
}

/** One cohort's latency samples for an ECDF. */
export interface EcdfSeries {
  cohort: string;
  latenciesMs: number[];
}

/** One row of a shift-with-CI (forest) chart. */
export interface ShiftRow {
  label: string;
  estimateMs: number;
  ciLowMs: number;
  ciHighMs: number;
}

/** At most this many ECDF points per cohort: enough for a smooth step line, small enough for a light page. */
export const MAX_ECDF_POINTS = 400;

/** ECDF points `{ms, share}` at evenly spaced ranks (all of them for small samples), always keeping min and max. */
export function ecdfPoints(
  latenciesMs: readonly number[],
  maxPoints = MAX_ECDF_POINTS,
): Array<{ ms: number; share: number }> {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const count = Math.min(n, maxPoints);
  return Array.from({ length: count }, (_, k) => {
    const index = count === 1 ? n - 1 : Math.round((k * (n - 1)) / (count - 1));
    return { ms: sorted[index] ?? 0, share: (index + 1) / n };
  });
}

/** Empirical CDF of latency per cohort; the reference is drawn first and in blue, over the margin band when given. */
export function ecdfSpec(series: EcdfSeries[], description: string, band: MarginBand | null = null): TopLevelSpec {
  const values = series.flatMap(({ cohort, latenciesMs }) =>
    ecdfPoints(latenciesMs).map((point) => ({ cohort, ...point })),
  );
  const lines = {
    data: { values },
    mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 2 },
    encoding: {
      x: { field: 'ms', type: 'quantitative' as const, title: 'latency (ms)' },
      y: { field: 'share', type: 'quantitative' as const, title: 'share of requests ≤ x', axis: { format: '%' } },
      color: {
        field: 'cohort',
        type: 'nominal' as const,
        title: 'cohort',
        scale: { domain: series.map((s) => s.cohort), range: [REFERENCE_COLOUR, SUBJECT_COLOUR] },
      },
    },
  };
  const behind =
    band === null
      ? []
      : [
          {
            data: { values: [band] },
            mark: { type: 'rect' as const, color: '#e9ecef' },
            encoding: {
              x: { field: 'lowMs', type: 'quantitative' as const },
              x2: { field: 'highMs' },
            },
          },
        ];
  return { description, width: 420, height: 200, config: CONFIG, layer: [...behind, lines] };
}

/** Shift estimate (subject − reference) with its CI per row, the zero line and the ±margin band. */
export function shiftSpec(rows: ShiftRow[], marginMs: number | null, description: string): TopLevelSpec {
  const y = { field: 'label', type: 'nominal' as const, title: null, sort: null, axis: { labelLimit: 320 } };
  const band =
    marginMs === null
      ? []
      : [
          {
            data: { values: [{ low: -marginMs, high: marginMs }] },
            mark: { type: 'rect' as const, color: '#e9ecef' },
            encoding: { x: { field: 'low', type: 'quantitative' as const }, x2: { field: 'high' } },
          },
        ];
  return {
    description,
    width: 420,
    height: 28 * rows.length + 12,
    config: CONFIG,
    layer: [
      ...band,
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#868e96' },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'rule', strokeWidth: 2, color: SUBJECT_COLOUR },
        encoding: {
          y,
          x: { field: 'ciLowMs', type: 'quantitative', title: 'shift, subject − reference (ms), with CI' },
          x2: { field: 'ciHighMs' },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 60, color: SUBJECT_COLOUR },
        encoding: { y, x: { field: 'estimateMs', type: 'quantitative' } },
      },
    ],
  };
}

// Vega numbers clip paths and gradients with process-wide counters; rendering one report at a time
// from a reset counter keeps ids unique inside a page and identical between renders.
let queue: Promise<unknown> = Promise.resolve();

/** Renders specs to SVG strings in order, one report at a time, so the output is byte-identical per input. */
export function renderSvgs(specs: readonly TopLevelSpec[]): Promise<string[]> {
  const task = queue.then(async () => {
    const renderer = await loadRenderer();
    renderer.vega.resetSVGDefIds();
    const svgs: string[] = [];
    for (const spec of specs) svgs.push(await renderSvg(renderer, spec));
    return svgs;
  });
  queue = task.catch(() => undefined);
  return task;
}

/** vega and vega-lite, loaded on the first chart: half a second of start-up that runs without reports never pay. */
interface Renderer {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
}

let renderer: Promise<Renderer> | undefined;

function loadRenderer(): Promise<Renderer> {
  renderer ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return renderer;
}

async function renderSvg({ vega, vegaLite }: Renderer, spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
