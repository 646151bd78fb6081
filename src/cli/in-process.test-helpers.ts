/** Runs one command in-process (commander, not a child process) and captures what it prints and its exit code. */
import { Command } from 'commander';
import { vi } from 'vitest';

export interface CapturedRun {
  code: number | string | undefined;
  stdout: string;
  stderr: string;
}

/** Registers a command with `register`, runs `name ...args`, and returns its output without ANSI colours. */
export async function runInProcess(
  register: (program: Command) => void,
  name: string,
  args: string[],
): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
  register(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync([name, ...args], { from: 'user' });
  } catch (error: unknown) {
    err.push(`[commander] ${(error as Error).message}`);
  } finally {
    vi.restoreAllMocks();
  }
  const code = process.exitCode;
  process.exitCode = undefined;
  const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
  return { code, stdout: plain(out.join('')), stderr: plain(err.join('')) };
}
