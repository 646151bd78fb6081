/** A target that cannot be reached is never a violation: all surfaces down stops the run; some down gives no fail. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/app/audit.js';
import { loadConfig } from '../../src/config/load.js';
import { UnreachableError } from '../../src/core/errors.js';
import type { SigningKey } from '../../src/evidence/keys.js';
import { simAuditConfig } from '../../src/sim/audit-config.js';
import { startSim } from '../../src/sim/server.js';
import { tempDir, testSigningKey } from '../helpers.js';

const CLOSED = 'http://127.0.0.1:9';
let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

describe('unreachable targets', () => {
  it('stops before the audit, naming the surface and the error, when no surface answers', async () => {
    const sim = await startSim({ scenario: 'compliant', seed: 2 });
    const raw = simAuditConfig(sim) as { target: Record<string, { baseUrl: string }> };
    await sim.close();
    const outDir = tempDir();
    const run = runAudit({ config: loadConfig(raw, {}), seed: 2, outDir, signingKey, checks: ['CONF-WH-001'] });
    await expect(run).rejects.toBeInstanceOf(UnreachableError);
    await expect(run).rejects.toThrow(
      /target unreachable: businessApi http:\/\/127\.0\.0\.1:\d+\/graph did not answer \(ECONNREFUSED\)/,
    );
  });

  it('fails nothing on the surfaces that are down when others answer', async () => {
    const sim = await startSim({ scenario: 'compliant', seed: 2 });
    try {
      const raw = simAuditConfig(sim) as { target: Record<string, { baseUrl: string }> };
      raw.target.interop = { ...raw.target.interop, baseUrl: `${CLOSED}/interop` } as { baseUrl: string };
      raw.target.userDriver = { ...raw.target.userDriver, baseUrl: CLOSED } as { baseUrl: string };
      const logs: string[] = [];
      const { results } = await runAudit({
        config: loadConfig(raw, {}),
        seed: 2,
        isQuick: true,
        outDir: tempDir(),
        signingKey,
        checks: ['CONF-KEY-001', 'E2EE-*', 'PAR-LAT-002'],
        onLog: (line) => logs.push(line),
      });
      expect(logs.join('\n')).toMatch(/warning: interop http:\/\/127\.0\.0\.1:9\/interop did not answer/);
      expect(
        results.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'pass').map((f) => f.checkId),
      ).toEqual([]);
    } finally {
      await sim.close();
    }
  }, 120_000);
});
