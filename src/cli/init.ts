/** `dma-audit init`: placeholder until the config template lands. */
import type { Command } from 'commander';

/** Registers `init` on the program. */
export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented config template for a real target')
    .option('--target <kind>', 'target kind', 'whatsapp-cloud')
    .action(() => {
      process.stderr.write('dma-audit: init is not yet available [E_USAGE]\n');
      process.exitCode = 2;
    });
}
