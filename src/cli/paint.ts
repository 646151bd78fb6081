/**
 * The console reporter's colours, made with chalk. chalk follows FORCE_COLOR and whether the stream
 * is a terminal, but not NO_COLOR (https://no-color.org), so that is checked here: a non-empty
 * NO_COLOR turns colour off unless FORCE_COLOR asks for it.
 */
import chalk from 'chalk';
import { PLAIN_PAINT, type ConsolePaint } from '../report/console.js';
import type { Verdict } from '../core/types.js';

const VERDICT_COLOURS: Record<Verdict, (text: string) => string> = {
  pass: chalk.green,
  fail: chalk.red.bold,
  warn: chalk.yellow,
  inconclusive: chalk.yellow,
  skip: chalk.dim,
  error: chalk.magenta,
};

const CHALK_PAINT: ConsolePaint = {
  verdict: (verdict, text) => VERDICT_COLOURS[verdict](text),
  bold: (text) => chalk.bold(text),
  dim: (text) => chalk.dim(text),
};

/** True when the environment asks for no colour (NO_COLOR set and non-empty, FORCE_COLOR unset). */
export function isColourOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env['NO_COLOR'] ?? '') !== '' && env['FORCE_COLOR'] === undefined;
}

/** Colours for `renderConsole` and progress: chalk's, or none when NO_COLOR says so. */
export function consolePaint(env: NodeJS.ProcessEnv = process.env): ConsolePaint {
  return isColourOff(env) ? PLAIN_PAINT : CHALK_PAINT;
}
