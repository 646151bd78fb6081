/**
 * Failures of the harness itself (never of the target): each has a stable `code`, is printed as one
 * line by the CLI, and maps to exit code 2.
 */

/** Base class; `code` is stable across versions so scripts can match on it. */
export class HarnessError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** The config file is missing, unreadable, not JSON, or fails the schema; lists every problem. */
export class ConfigError extends HarnessError {
  readonly problems: string[];

  constructor(message: string, problems: string[] = [], options: { cause?: unknown; hint?: string } = {}) {
    super('E_CONFIG', message, options);
    this.problems = problems;
  }
}

/** A scenario file for the reference platform is missing or invalid. */
export class ScenarioError extends HarnessError {
  readonly problems: string[];

  constructor(message: string, problems: string[] = []) {
    super('E_SCENARIO', message, { hint: 'see fixtures/scenarios/ for the shipped scenarios' });
    this.problems = problems;
  }
}

/** Command-line usage that cannot be acted on (unknown check, suite or reporter). */
export class UsageError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('E_USAGE', message, hint === undefined ? {} : { hint });
  }
}

/** The output folder cannot be created or written. */
export class OutputError extends HarnessError {
  constructor(message: string, cause?: unknown) {
    super('E_OUTPUT', message, { cause });
  }
}

/** A bundle cannot be read (missing folder, unparsable files). */
export class BundleReadError extends HarnessError {
  constructor(message: string, cause?: unknown) {
    super('E_BUNDLE', message, { cause });
  }
}

/** A server (webhook receiver or the reference platform) could not listen. */
export class ListenError extends HarnessError {
  constructor(message: string, cause?: unknown) {
    super('E_LISTEN', message, { cause });
  }
}

/** Type guard used by the CLI to decide between a one-line message and a crash report. */
export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}

/** No configured surface of the target answered the preflight request: nothing could be audited. */
export class UnreachableError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('E_UNREACHABLE', message, hint === undefined ? {} : { hint });
  }
}
