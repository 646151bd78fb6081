/** Shared set-up for integration tests: a temp signing key, temp output folders, sim configs. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../src/config/load.js';
import type { LoadedConfig } from '../src/config/types.js';
import { loadSigningKey, type SigningKey } from '../src/evidence/keys.js';
import { simAuditConfig } from '../src/sim/audit-config.js';
import type { RunningSim } from '../src/sim/server.js';

const created: string[] = [];

/** A fresh temp folder, removed after the test file that made it (test/temp-dirs.setup.ts). */
export function tempDir(prefix = 'dma-audit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made so far. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A signing key in a private temp home, so tests never touch the user's key. */
export async function testSigningKey(): Promise<SigningKey> {
  return loadSigningKey(undefined, { DMA_AUDIT_HOME: tempDir('dma-audit-home-') });
}

/** The sim's own audit config, with analysis/limits overrides, validated like a user's config. */
export function simConfig(
  sim: RunningSim,
  overrides: { analysis?: Record<string, unknown>; limits?: Record<string, unknown> } = {},
): LoadedConfig {
  const raw = simAuditConfig(sim) as { analysis?: Record<string, unknown>; limits?: Record<string, unknown> };
  return loadConfig(
    {
      ...raw,
      analysis: { ...(raw.analysis ?? {}), ...(overrides.analysis ?? {}) },
      limits: { ...(raw.limits ?? {}), ...(overrides.limits ?? {}) },
    },
    {},
  );
}

/** Every file under a folder with its text (for canary greps). */
export function readAllFiles(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({
      path,
      // Compressed evidence is searched as the text it holds, not as gzip bytes a canary would never match.
      text: path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('latin1') : readFileSync(path, 'latin1'),
    }));
}
