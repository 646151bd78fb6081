/** Writes rendered reports to a folder, and renders a bundle folder back to its report files. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { OutputError } from '../core/errors.js';
import { readBundleView } from './read-bundle.js';
import { REPORT_FORMATS, REPORTERS, type ReportFormat } from './reporters.js';
import { reproductions } from './repro.js';
import type { BundleView, ReportOptions } from './types.js';

/** One rendered file. */
export interface RenderedReport {
  format: ReportFormat;
  fileName: string;
  content: string;
}

/** Renders the given formats, in order. */
export async function renderReports(
  view: BundleView,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: ReportOptions = {},
): Promise<RenderedReport[]> {
  const rendered: RenderedReport[] = [];
  for (const format of formats) {
    const { fileName, render } = REPORTERS[format];
    rendered.push({ format, fileName, content: await render(view, options) });
  }
  return rendered;
}

async function writeAll(
  dir: string,
  reports: ReadonlyArray<Pick<RenderedReport, 'fileName' | 'content'>>,
): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
    for (const report of reports) {
      await mkdir(dirname(join(dir, report.fileName)), { recursive: true });
      await writeFile(join(dir, report.fileName), report.content);
    }
  } catch (error: unknown) {
    throw new OutputError(
      `cannot write reports to ${dir}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  return reports.map((report) => join(dir, report.fileName));
}

/** Renders `formats` from `view` into `dir` (created if needed); returns the paths written. */
export async function writeReports(
  dir: string,
  view: BundleView,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: ReportOptions = {},
): Promise<string[]> {
  return writeAll(dir, await renderReports(view, formats, options));
}

/** The reports a run writes into its own bundle before the manifest: report.html, report.md, junit.xml and repro/*.sh. */
export async function writeBundleReports(
  dir: string,
  view: BundleView,
  options: ReportOptions = {},
): Promise<string[]> {
  const files = await renderReports(view, ['html', 'md', 'junit'], options);
  const repro = reproductions(view).map((r) => ({ fileName: r.fileName, content: r.script }));
  return writeAll(dir, [...files, ...repro]);
}

/** Options of `renderBundle`. */
export interface RenderBundleOptions extends ReportOptions {
  /** Formats to render; all by default. */
  formats?: readonly ReportFormat[];
  /** Where to write; by default the bundle itself when nothing would change, else `<bundle>-report`. */
  outDir?: string;
}

/** What `renderBundle` did. */
export interface RenderBundleResult {
  outDir: string;
  /** True when every file already in the bundle matched the fresh render byte for byte, so nothing was written. */
  isUnchanged: boolean;
  files: string[];
}

/** The folder reports go to when they would alter a (signed) bundle and no `--out` was given. */
export function defaultReportDir(bundleDir: string): string {
  return `${resolve(bundleDir)}-report`;
}

async function matchesOnDisk(dir: string, report: RenderedReport): Promise<boolean> {
  try {
    return (await readFile(join(dir, report.fileName), 'utf8')) === report.content;
  } catch {
    return false;
  }
}

/**
 * Renders a bundle folder's reports. The bundle is signed over its files, so it is never modified:
 * without `outDir`, files that already match stay as they are, and any difference sends the whole
 * render to `defaultReportDir(bundleDir)`.
 */
export async function renderBundle(bundleDir: string, options: RenderBundleOptions = {}): Promise<RenderBundleResult> {
  const reports = await renderReports(await readBundleView(bundleDir), options.formats ?? REPORT_FORMATS, options);
  if (options.outDir !== undefined)
    return { outDir: options.outDir, isUnchanged: false, files: await writeAll(options.outDir, reports) };
  const matches = await Promise.all(reports.map((report) => matchesOnDisk(bundleDir, report)));
  if (matches.every(Boolean))
    return { outDir: bundleDir, isUnchanged: true, files: reports.map((r) => join(bundleDir, r.fileName)) };
  const outDir = defaultReportDir(bundleDir);
  return { outDir, isUnchanged: false, files: await writeAll(outDir, reports) };
}
