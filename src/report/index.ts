/** Reporters: every output format rendered from a recorded bundle (record once, render many). */
export type { BundleView, HarEntryView, Reporter } from './types.js';
export { readBundleView } from './read-bundle.js';
export { REPORTERS, REPORT_FORMATS, isReportFormat, type ReportFormat } from './reporters.js';
export { renderReports, writeReports, writeBundleReports, renderBundle, defaultReportDir } from './write.js';
export { reproductions, curlCommand, tokenEnv, type Repro } from './repro.js';
export { plainLine, plainSentence, legalBasis } from './plain.js';
export type { RenderedReport, RenderBundleOptions, RenderBundleResult } from './write.js';
export { renderHtml } from './html/document.js';
export { renderMarkdown } from './markdown.js';
export { renderJunit } from './junit.js';
export { renderJson } from './json.js';
export { githubAnnotations, writeGithubSummary } from './github.js';
