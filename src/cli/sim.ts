/** `dma-audit sim`: serves the reference platform until Ctrl-C, printing URLs, tokens and a ready config. */
import { writeFile } from 'node:fs/promises';
import chalk from 'chalk';
import type { Command } from 'commander';
import { scenarioNames, simAuditConfig, startSim } from '../index.js';
import { integerOption, portOption, reportHarnessError } from './output.js';
import { roleDelay } from './vantage-options.js';

interface SimCommandOptions {
  scenario: string;
  port: number;
  host: string;
  seed?: number;
  configOut?: string;
  extraDelay?: Partial<Record<'reference' | 'subject', number>>;
}

/** Registers `sim` on the program. */
export function addSimCommand(program: Command): void {
  program
    .command('sim')
    .description('serve the built-in reference platform on loopback (business API, webhooks, user driver, interop)')
    .option('--scenario <name>', `what the platform plants: ${scenarioNames().join(', ')}`, 'self-preferencing')
    .option('--port <n>', 'port to listen on (0 = any free port)', portOption('--port'), 0)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed for the platform’s latency draws and faults', integerOption('--seed', 0, 2 ** 31 - 1))
    .option('--config-out <file>', 'write a ready-to-use audit config for this platform to FILE')
    .option(
      '--extra-delay <role=ms>',
      'extra ms on every send of a role, on top of the scenario (repeatable)',
      roleDelay('--extra-delay'),
    )
    .action(async (options: SimCommandOptions) => {
      try {
        await serve(options);
      } catch (error: unknown) {
        process.exitCode = reportHarnessError(error);
      }
    });
}

async function serve(options: SimCommandOptions): Promise<void> {
  const sim = await startSim({
    scenario: options.scenario,
    port: options.port,
    host: options.host,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.extraDelay === undefined ? {} : { extraDelayMs: options.extraDelay }),
  });
  const config = simAuditConfig(sim, { isStandalone: true });
  if (options.configOut !== undefined) await writeFile(options.configOut, `${JSON.stringify(config, null, 2)}\n`);
  const lines = [
    chalk.bold(`dma-audit reference platform — scenario ${sim.scenario.name}`),
    sim.scenario.description,
    '',
    `business API  ${sim.urls.businessApi}/${sim.apiVersion}`,
    `interop API   ${sim.urls.interop}`,
    `user driver   ${sim.urls.userDriver}/_sim/v1/users/{waId}/messages`,
    `recipient     ${sim.recipient}`,
    '',
    ...sim.cohorts.map(
      (c) =>
        `${c.id.padEnd(10)} ${c.role.padEnd(9)} phone ${c.phoneNumberId}  token ${c.token}  interop ${c.interopToken}`,
    ),
    '',
    options.configOut === undefined
      ? `config (save it and run: dma-audit run --config FILE):\n${JSON.stringify(config, null, 2)}`
      : `config written to ${options.configOut} — audit it with: dma-audit run --config ${options.configOut}`,
    chalk.dim('Ctrl-C stops the platform.'),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await sim.close();
}
