/**
 * (h) Every scenario of the built-in platform, audited whole: the checks that fail against the checks
 * its `expectFail` lists (fixtures/scenarios/*.json). A planted violation must fail its check and
 * nothing else may fail. `--quick` runs by default (about 15 s a scenario); BENCH_SCENARIOS_FULL=1
 * runs the default audit instead (about a minute each), BENCH_SCENARIOS a comma-separated subset,
 * BENCH_SEED the seed.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { expect, test } from 'vitest';
import { runAudit } from '../src/app/audit.js';
import { packagePath } from '../src/core/paths.js';
import { scenarioNames } from '../src/sim/scenario.js';
import { testSigningKey } from '../suites/shared/audit.test-helpers.js';
import { tempDir } from '../test/helpers.js';
import { printTable } from './lib/table.js';

const SCENARIOS = process.env.BENCH_SCENARIOS?.split(',') ?? scenarioNames();
const IS_QUICK = process.env.BENCH_SCENARIOS_FULL !== '1';
const SEED = Number(process.env.BENCH_SEED ?? 3);

function expectFail(scenario: string): string[] {
  const file = packagePath('fixtures', 'scenarios', `${scenario}.json`);
  return [...(JSON.parse(readFileSync(file, 'utf8')) as { expectFail: string[] }).expectFail].sort();
}

test('every scenario fails exactly its planted checks', async () => {
  const rows: string[][] = [];
  const mismatches: string[] = [];
  const signingKey = await testSigningKey();
  for (const scenario of SCENARIOS) {
    const started = performance.now();
    const { results } = await runAudit({ scenario, isQuick: IS_QUICK, seed: SEED, outDir: tempDir(), signingKey });
    const seconds = (performance.now() - started) / 1000;
    const failed = [...new Set(results.findings.filter((f) => f.verdict === 'fail').map((f) => f.checkId))].sort();
    const expected = expectFail(scenario);
    const missing = expected.filter((id) => !failed.includes(id));
    const extra = failed.filter((id) => !expected.includes(id));
    if (missing.length > 0 || extra.length > 0)
      mismatches.push(`${scenario}: missing ${missing.join(', ') || '—'}, extra ${extra.join(', ') || '—'}`);
    const inconclusive = results.findings.filter((f) => f.verdict === 'inconclusive').length;
    rows.push([
      scenario,
      expected.join(', ') || '—',
      missing.join(', ') || '—',
      extra.join(', ') || '—',
      `${inconclusive} of ${results.findings.length}`,
      seconds.toFixed(1),
    ]);
  }
  printTable(
    `(h) every scenario, ${IS_QUICK ? '--quick' : 'default audit'}, seed ${SEED} (load average ${loadavg()[0]?.toFixed(1)})`,
    ['scenario', 'must fail', 'not failed', 'failed besides', 'inconclusive', 'wall s'],
    rows,
  );
  expect(mismatches).toEqual([]);
});
