/** How every command prints a harness error: one line with its code and hint, exit 2, no stack. */
import chalk from 'chalk';
import { ConfigError, isHarnessError, ScenarioError } from '../core/errors.js';

/** Prints a known error and returns exit code 2; rethrows anything else (a bug deserves its stack). */
export function reportHarnessError(error: unknown, options: { isJson?: boolean } = {}): 2 {
  if (!isHarnessError(error)) throw error;
  const problems = error instanceof ConfigError || error instanceof ScenarioError ? error.problems : [];
  if (options.isJson === true) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: error.code, message: error.message, problems } }, null, 2)}\n`,
    );
  }
  const lines = [`${chalk.red('dma-audit:')} ${error.message} [${error.code}]`, ...problems.map((p) => `  - ${p}`)];
  if (error.hint !== undefined) lines.push(chalk.dim(`  hint: ${error.hint}`));
  process.stderr.write(`${lines.join('\n')}\n`);
  return 2;
}

/** Repeatable option collector for commander (`--check A --check B`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  ];
}

/** Parses a positive integer option or throws a usage error naming the option. */
export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
    return parsed;
  };
}
