/** How every command prints a harness error: one line with its code and hint, exit 2, no stack. */
import chalk from 'chalk';
import { InvalidArgumentError } from 'commander';
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
  // One problem is said on the error's own line (CI logs and greps see one line); several are listed under it.
  const [only] = problems;
  if (problems.length === 1 && only !== undefined) {
    process.stderr.write(`${chalk.red('dma-audit:')} ${error.message}: ${oneLine(only)} [${error.code}]\n`);
    return 2;
  }
  // With no list under it, the hint stays on the error's line, so a usage error is one line too.
  const head = `${chalk.red('dma-audit:')} ${oneLine(error.message)} [${error.code}]`;
  const hint = error.hint === undefined ? '' : chalk.dim(`(hint: ${error.hint})`);
  const lines =
    problems.length === 0 ? [`${head}${hint === '' ? '' : ` ${hint}`}`] : [head, ...problems.map((p) => `  - ${p}`)];
  if (problems.length > 0 && error.hint !== undefined) lines.push(chalk.dim(`  hint: ${error.hint}`));
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

/** A number parser for commander: anything else is an InvalidArgumentError (one line, exit 2, before any request). */
export type NumberParser = (value: string) => number;

interface NumberRule {
  isInteger: boolean;
  min: number;
  max: number;
  /** min itself is not allowed (rates: > 0). */
  isMinExclusive?: boolean;
}

/** Parses a decimal number (no hex, no exponent tricks past the range) within `rule`. */
export function numberOption(name: string, rule: NumberRule): NumberParser {
  const kind = rule.isInteger ? 'an integer' : 'a number';
  const range = `${rule.isMinExclusive === true ? `above ${rule.min}` : `from ${rule.min}`} to ${rule.max}`;
  return (value) => {
    const text = value.trim();
    const pattern = rule.isInteger ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)$/;
    const parsed = Number(text);
    const isInRange = rule.isMinExclusive === true ? parsed > rule.min : parsed >= rule.min;
    if (!pattern.test(text) || !Number.isFinite(parsed) || !isInRange || parsed > rule.max)
      throw new InvalidArgumentError(`${name} must be ${kind} ${range}, got "${value.slice(0, 40)}"`);
    return parsed;
  };
}

/** An integer option within [min, max]. */
export function integerOption(name: string, min: number, max: number = Number.MAX_SAFE_INTEGER): NumberParser {
  return numberOption(name, { isInteger: true, min, max });
}

/** A TCP port; `allowZero` for listening sockets (0 = any free port). */
export function portOption(name: string, allowZero = true): NumberParser {
  return integerOption(name, allowZero ? 0 : 1, 65535);
}

/** Parses a positive number option (rates), or throws an InvalidArgumentError naming the option. */
export function positiveNumber(name: string, max: number = Number.MAX_SAFE_INTEGER): NumberParser {
  return numberOption(name, { isInteger: false, min: 0, max, isMinExclusive: true });
}

/** Newlines inside a message (a target's text, a JSON parser's excerpt) would break the one-line rule. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
