/** The name → reporter map: every file format a bundle can be rendered to. */
import { renderHtml } from './html/document.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Reporter } from './types.js';

/** A format name as the CLI's `--format` takes it. */
export type ReportFormat = 'html' | 'md' | 'junit' | 'json';

/** Every reporter by format name; each renders a whole file from a `BundleView`. */
export const REPORTERS: { readonly [F in ReportFormat]: Reporter } = {
  html: { fileName: 'report.html', render: renderHtml },
  md: { fileName: 'report.md', render: async (view) => renderMarkdown(view) },
  junit: {
    fileName: 'junit.xml',
    render: async (view, options = {}) =>
      renderJunit(view, options.junitInconclusive === undefined ? {} : { inconclusive: options.junitInconclusive }),
  },
  json: { fileName: 'results.json', render: async (view) => renderJson(view) },
};

/** Every format, in the order files are written. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'junit', 'json'];

/** Narrows a user-supplied string to a format name. */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
