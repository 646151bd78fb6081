/**
 * What `run --reporter NAME` prints: a name → factory registry of stdout reporters, each rendering
 * from the bundle on disk, and a multiplexer that runs every chosen one and isolates a failing one
 * so that the others still print and the audit's exit code stands.
 */
import type { Results } from '../core/types.js';
import { type ConsolePaint, renderConsole } from './console.js';
import { githubAnnotations, writeGithubSummary } from './github.js';
import type { BundleView, ReportOptions } from './types.js';
import { renderReports } from './write.js';

/** What every stdout reporter renders from. */
export interface StdoutInput {
  results: Results;
  bundleDir: string;
  view: BundleView;
}

/** Options the CLI hands every reporter factory (colour comes from the CLI, so chalk stays there). */
export interface StdoutOptions extends ReportOptions {
  width?: number;
  isVerbose?: boolean;
  paint?: ConsolePaint;
  env?: NodeJS.ProcessEnv;
}

/** One reporter: its stdout text for a finished run (side effects such as a job summary included). */
export type StdoutReporter = (input: StdoutInput) => Promise<string>;

/** Every stdout reporter by name. */
export const STDOUT_REPORTERS = {
  console: (options: StdoutOptions): StdoutReporter => {
    return async ({ results, bundleDir }) => renderConsole(results, bundleDir, options);
  },
  json: (): StdoutReporter => {
    return async ({ results }) => `${JSON.stringify(results, null, 2)}\n`;
  },
  md: (options: StdoutOptions): StdoutReporter => {
    return async ({ view }) => (await renderReports(view, ['md'], options))[0]?.content ?? '';
  },
  junit: (options: StdoutOptions): StdoutReporter => {
    return async ({ view }) => (await renderReports(view, ['junit'], options))[0]?.content ?? '';
  },
  github: (options: StdoutOptions): StdoutReporter => {
    return async ({ view }) => {
      await writeGithubSummary(view, options.env ?? {});
      return githubAnnotations(view)
        .map((line) => `${line}\n`)
        .join('');
    };
  },
} as const satisfies Record<string, (options: StdoutOptions) => StdoutReporter>;

/** A stdout reporter's name. */
export type StdoutReporterName = keyof typeof STDOUT_REPORTERS;

/** Every name, in the order `--help` lists them. */
export const STDOUT_REPORTER_NAMES = Object.keys(STDOUT_REPORTERS) as StdoutReporterName[];

/** Narrows a user-supplied string to a reporter name. */
export function isStdoutReporterName(name: string): name is StdoutReporterName {
  return Object.hasOwn(STDOUT_REPORTERS, name);
}

/** A reporter that broke, and why; the others ran regardless. */
export interface ReporterFailure {
  name: string;
  message: string;
}

/**
 * Runs each named reporter in order and writes its text; a reporter that throws is reported and
 * skipped, never allowed to stop the rest (Playwright's reporter multiplexer works the same way).
 */
export async function printWithReporters<Name extends string = StdoutReporterName>(
  names: readonly Name[],
  input: StdoutInput,
  options: StdoutOptions,
  write: (text: string) => void,
  registry: Record<Name, (options: StdoutOptions) => StdoutReporter> = STDOUT_REPORTERS as Record<
    Name,
    (options: StdoutOptions) => StdoutReporter
  >,
): Promise<ReporterFailure[]> {
  const failures: ReporterFailure[] = [];
  for (const name of names) {
    try {
      write(await registry[name](options)(input));
    } catch (error: unknown) {
      failures.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures;
}
