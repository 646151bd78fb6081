/** `dma-audit checks`: the catalogue — id, title, suite, legal basis. */
import chalk from 'chalk';
import type { Command } from 'commander';
import { listChecks } from '../index.js';

/** Registers `checks` on the program. */
export function addChecksCommand(program: Command): void {
  program
    .command('checks')
    .description('list the check catalogue: id, suite, title and legal basis')
    .option('--json', 'print the catalogue as JSON')
    .action((options: { json?: boolean }) => {
      const checks = listChecks();
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
        return;
      }
      const width = Math.max(...checks.map((c) => c.id.length));
      for (const check of checks) {
        const basis = check.references.map((r) => `${r.source} ${r.clause}`).join('; ');
        process.stdout.write(
          `${chalk.bold(check.id.padEnd(width))}  ${check.suite.padEnd(11)}  ${check.title}\n${' '.repeat(width + 15)}${chalk.dim(basis)}\n`,
        );
      }
    });
}
