/** The name → reporter map: every file format a bundle can be rendered to. */
import { renderHtml } from './html/document.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { BundleView, Reporter } from './types.js';

/**
 * The view with its results exactly as results.json records them. A live run's results can hold values JSON has
 * no spelling for (a sequential design's unbounded csHighPct or mdePct is Infinity, an undefined spread NaN), which
 * results.json writes as null; rendering every format from the recorded form makes a report rendered from the
 * run's own results byte-identical to one rendered from the bundle read back.
 */
export function asRecorded(view: BundleView): BundleView {
  return { ...view, results: JSON.parse(renderJson(view)) as BundleView['results'] };
}

/** A format name as the CLI's `--format` takes it. */
export type ReportFormat = 'html' | 'md' | 'junit' | 'json';

/** Every reporter by format name; each renders a whole file from a `BundleView`. */
export const REPORTERS: { readonly [F in ReportFormat]: Reporter } = {
  html: { fileName: 'report.html', render: async (view) => renderHtml(asRecorded(view)) },
  md: { fileName: 'report.md', render: async (view) => renderMarkdown(asRecorded(view)) },
  junit: {
    fileName: 'junit.xml',
    render: async (view, options = {}) =>
      renderJunit(
        asRecorded(view),
        options.junitInconclusive === undefined ? {} : { inconclusive: options.junitInconclusive },
      ),
  },
  json: { fileName: 'results.json', render: async (view) => renderJson(view) },
};

/** Every format, in the order files are written. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'junit', 'json'];

/** Narrows a user-supplied string to a format name. */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
