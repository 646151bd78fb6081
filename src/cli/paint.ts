/** The console reporter's colours, made with chalk (which itself honours NO_COLOR, FORCE_COLOR and the TTY). */
import chalk from 'chalk';
import type { ConsolePaint } from '../report/console.js';
import type { Verdict } from '../types.js';

const VERDICT_COLOURS: Record<Verdict, (text: string) => string> = {
  pass: chalk.green,
  fail: chalk.red.bold,
  warn: chalk.yellow,
  inconclusive: chalk.yellow,
  skip: chalk.dim,
  error: chalk.magenta,
};

/** Colours for `renderConsole`, or none when chalk found no colour support. */
export const CHALK_PAINT: ConsolePaint = {
  verdict: (verdict, text) => VERDICT_COLOURS[verdict](text),
  bold: (text) => chalk.bold(text),
  dim: (text) => chalk.dim(text),
};
