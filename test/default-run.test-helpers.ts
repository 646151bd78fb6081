/**
 * One real bundle of the default audit (built-in platform, scenario self-preferencing, --quick) for the
 * tests that check reports against it. Test files run in parallel worker processes of one vitest run,
 * so the first to ask records it and the others wait for it (a lock folder next to it), instead of
 * each spending a minute on the same run.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runAudit } from '../src/app/audit.js';
import { readBundleView, writeBundleReports } from '../src/report/index.js';
import { testSigningKey } from './helpers.js';

/** How long a waiting worker gives the recording worker. */
const WAIT_MS = 300_000;

let cached: Promise<string> | undefined;

async function record(): Promise<string> {
  const { bundleDir } = await runAudit({
    isQuick: true,
    seed: 7,
    // Not a tempDir: other test files read this bundle after the recording file has finished.
    outDir: mkdtempSync(join(tmpdir(), 'dma-audit-default-bundle-')),
    signingKey: await testSigningKey(),
    renderReports: async (dir) => {
      await writeBundleReports(dir, await readBundleView(dir));
    },
  });
  return bundleDir;
}

async function shared(): Promise<string> {
  // Workers of one vitest run share its main process, their parent.
  const base = join(tmpdir(), `dma-audit-default-run-${process.ppid}`);
  const done = join(base, 'bundle-dir');
  try {
    mkdirSync(base);
  } catch {
    for (let waited = 0; waited < WAIT_MS; waited += 500) {
      if (existsSync(done)) return readFileSync(done, 'utf8');
      await sleep(500);
    }
    throw new Error(`gave up waiting for the default-run bundle in ${base}`);
  }
  const dir = await record();
  writeFileSync(`${done}.tmp`, dir);
  renameSync(`${done}.tmp`, done);
  return dir;
}

/** The bundle folder of a default --quick audit, recorded once per vitest run. */
export function defaultRunBundle(): Promise<string> {
  cached ??= shared();
  return cached;
}
