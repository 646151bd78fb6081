/** Entry point of the `dma-audit` binary: parse, run, set the exit code. Nothing else sets it. */
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

/** Runs the CLI with the given arguments (without node and script). */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await createProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error: unknown) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}
