// The distributed examples (examples/github-actions, examples/kubernetes) must not drift from the CLI: every
// dma-audit command they run is parsed by this version's real commander program, with no action executed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createProgram } from '../src/cli/program.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** A program whose every action is a no-op that records what it was called with. */
function dryProgram(calls: string[]): Command {
  const program = createProgram();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    command.action(() => void calls.push(command.name()));
  }
  return program;
}

/** Parses `args` as `dma-audit args…`; returns the command that would run, or throws what commander says. */
async function parse(args: string[]): Promise<string> {
  const calls: string[] = [];
  await dryProgram(calls).parseAsync(['node', 'dma-audit', ...args]);
  if (calls.length !== 1) throw new Error(`not a command: dma-audit ${args.join(' ')}`);
  return calls[0] ?? '';
}

/** Splits shell text into words: quotes, `\`-newlines and ${{ }} / $VAR expansions (as placeholders). */
function words(script: string): string[][] {
  const text = script
    .replace(/\\\n/g, ' ')
    .replace(/\$\{\{[^}]*\}\}/g, 'X')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'X');
  const commands: string[][] = [];
  let current: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  const end = (): void => {
    if (word !== null) current.push(word);
    word = null;
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (quote !== null) {
      if (c === quote) quote = null;
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word = word ?? '';
    } else if (/\s/.test(c) && c !== '\n') end();
    else if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '>' || c === '#') {
      end();
      if (current.length > 0) commands.push(current);
      current = [];
      if (c === '#' || c === '>') while (i + 1 < text.length && text[i + 1] !== '\n') i += 1;
    } else word = (word ?? '') + c;
  }
  end();
  if (current.length > 0) commands.push(current);
  return commands;
}

/** Every `dma-audit …` (also `npx dma-audit …`, `exec dma-audit …`) in some shell text, as its arguments. */
function invocations(script: string): string[][] {
  return words(script).flatMap((command) => {
    const at = command.findIndex((w) => w === 'dma-audit' || w.endsWith('/dma-audit.js'));
    return at === -1 ? [] : [command.slice(at + 1)];
  });
}

/** Every string in a parsed YAML value that is a `run:` script or a container's command/args. */
function scripts(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'run' || key === 'args' || key === 'command' ? [value] : [];
  if (Array.isArray(value)) {
    // command: ["dma-audit", "run", …] is one command; a shell's ["/bin/sh", "-c", SCRIPT] holds a script.
    if ((key === 'command' || key === 'args') && value.every((v) => typeof v === 'string'))
      return value.includes('-c') || key === 'args' ? (value as string[]) : [(value as string[]).join(' ')];
    return value.flatMap((v) => scripts(v, key));
  }
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => scripts(v, k));
  return [];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .map((f) => join(ROOT, dir, f));
}

function commandsIn(file: string): string[][] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.flatMap((doc) => scripts(doc.toJS())).flatMap(invocations);
}

describe('the examples run valid dma-audit commands', () => {
  const files = [...yamlFiles('examples/github-actions'), ...yamlFiles('examples/kubernetes')];

  it('finds the workflow and the manifests', () => {
    expect(files.map((f) => f.slice(ROOT.length)).sort()).toEqual([
      'examples/github-actions/audit-matrix.yml',
      'examples/kubernetes/audit-indexed-job.yaml',
      'examples/kubernetes/bundles-pvc.yaml',
      'examples/kubernetes/merge-job.yaml',
      'examples/kubernetes/vantages-configmap.yaml',
    ]);
  });

  for (const file of files) {
    it(`${file.slice(ROOT.length)}: every command parses`, async () => {
      for (const args of commandsIn(file)) await expect(parse(args), args.join(' ')).resolves.toMatch(/^[a-z]+$/);
    });
  }

  it('the workflow runs one vantage run per matrix entry, then merge and verify', () => {
    const commands = commandsIn(join(ROOT, 'examples/github-actions/audit-matrix.yml')).map((a) => a[0]);
    expect(commands).toEqual(['run', 'merge', 'verify']);
    const run = commandsIn(join(ROOT, 'examples/github-actions/audit-matrix.yml'))[0] ?? [];
    expect(run).toContain('--vantage');
  });

  it('the Indexed Job picks its vantage by JOB_COMPLETION_INDEX and the merge Job merges', () => {
    const job = readFileSync(join(ROOT, 'examples/kubernetes/audit-indexed-job.yaml'), 'utf8');
    expect(job).toContain('completionMode: Indexed');
    expect(job).toContain('${JOB_COMPLETION_INDEX}');
    expect(commandsIn(join(ROOT, 'examples/kubernetes/audit-indexed-job.yaml')).map((a) => a[0])).toEqual(['run']);
    expect(commandsIn(join(ROOT, 'examples/kubernetes/merge-job.yaml')).map((a) => a[0])).toEqual(['merge', 'verify']);
  });

  it('the checker itself rejects a command this version does not have', async () => {
    await expect(parse(['merge', 'a', '--no-such-option'])).rejects.toThrow(/unknown option/);
    await expect(parse(['run', '--vantage'])).rejects.toThrow(/argument missing/);
    await expect(parse(['trend'])).rejects.toThrow(/missing required argument/);
  });

  it('the image is built from node:22-slim with npm ci', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:22-slim/m);
    expect(dockerfile).toMatch(/npm ci/);
  });
});
