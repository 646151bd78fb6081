/** `dma-audit init`: writes a config template for auditing a real platform, with its notes in a top-level `$comment`. */
import type { Command } from 'commander';
import { INIT_TARGETS, TEMPLATE_ENV, writeConfigTemplate, type InitOptions } from '../index.js';
import { reportHarnessError } from './output.js';

/** Registers `init` on the program. */
export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented config template for a real target')
    .option('--target <kind>', `target kind (${INIT_TARGETS.join(', ')})`, 'whatsapp-cloud')
    .option('--out <file>', 'where to write the template', 'dma-audit.config.json')
    .option('--force', 'overwrite an existing file')
    .action(async (options: InitOptions) => {
      try {
        const file = await writeConfigTemplate(options);
        process.stdout.write(nextSteps(file));
      } catch (error: unknown) {
        process.exitCode = reportHarnessError(error);
      }
    });
}

function nextSteps(file: string): string {
  return [
    `wrote ${file} (its "$comment" explains every section)`,
    'next:',
    '  1. replace the phoneNumberId placeholders and recipient.waId, and set webhook.publicUrl to your tunnel',
    `  2. export ${TEMPLATE_ENV.join(' ')}`,
    `  3. dma-audit run --config ${file} --suite conformance   (a small first run)`,
    '',
  ].join('\n');
}
