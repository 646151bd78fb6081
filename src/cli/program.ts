/** The command-line program: one `addXCommand` per command, each handing off to the library. */
import { Command } from 'commander';
import { TOOL } from '../core/version.js';
import { addChecksCommand } from './checks.js';
import { addCompareCommand } from './compare.js';
import { addInitCommand } from './init.js';
import { addMergeCommand } from './merge.js';
import { addReportCommand } from './report.js';
import { addRunCommand } from './run.js';
import { addSimCommand } from './sim.js';
import { addTrendCommand } from './trend.js';
import { addVerifyCommand } from './verify.js';

/** Builds the program with every command registered. */
export function createProgram(): Command {
  const program = new Command()
    .name('dma-audit')
    .description(
      'Audit a messaging platform’s APIs for equal ' +
        'access of third-party AI assistants (DMA ' +
        'Art. 6(5), 6(7), 7) and working end-to-end ' +
        'encryption; writes a signed evidence bundle.',
    )
    .version(TOOL.version)
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();
  addRunCommand(program);
  addVerifyCommand(program);
  addReportCommand(program);
  addCompareCommand(program);
  addMergeCommand(program);
  addTrendCommand(program);
  addSimCommand(program);
  addChecksCommand(program);
  addInitCommand(program);
  return program;
}
