import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type RunResult } from '../../src/app/audit.js';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { verifyBundle } from '../../src/app/audit.js';
import { readHarDocument } from '../../src/evidence/bundle/index.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await loadSigningKey(undefined, { DMA_AUDIT_HOME: mkdtempSync(join(tmpdir(), 'dma-audit-e2ee-home-')) });
});

function audit(scenario: string): Promise<RunResult> {
  return runAudit({
    scenario,
    suites: ['e2ee'],
    seed: 7,
    outDir: mkdtempSync(join(tmpdir(), 'dma-audit-e2ee-')),
    signingKey,
  });
}

/** Every finding that is not a pass, as "check cohort verdict". */
function nonPasses(result: RunResult): string[] {
  return result.results.findings
    .filter((f) => f.verdict !== 'pass')
    .map((f) => `${f.checkId} ${f.cohort} ${f.verdict}`);
}

describe('E2EE suite on the built-in platform', () => {
  it('passes every E2EE check for every cohort on the compliant platform, from one shared probe', async () => {
    const result = await audit('compliant');
    const { findings } = result.results;
    expect(nonPasses(result)).toEqual([]);
    expect(findings).toHaveLength(20);
    expect(new Set(findings.map((f) => f.cohort))).toEqual(new Set(['meta-ai', 'assistant', 'control']));
    expect(findings.every((f) => f.evidence.length > 0)).toBe(true);
    expect(result.exitCode).toBe(0);
    const har = (await readHarDocument(result.bundleDir)) as unknown as {
      log: { entries: Array<{ request: { method: string; url: string } }> };
    };
    const keyFetches = har.log.entries.filter((e) => e.request.method === 'GET' && e.request.url.includes('/v2/keys/'));
    expect(keyFetches).toHaveLength(15);
    const report = await verifyBundle(result.bundleDir);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('e2ee-downgrade: no Kyber prekey for the subject fails E2EE-KEY-002, and its session is impossible', async () => {
    const result = await audit('e2ee-downgrade');
    expect(nonPasses(result)).toEqual([
      'E2EE-KEY-002 assistant fail',
      'E2EE-SES-001 assistant fail',
      'E2EE-SES-002 assistant inconclusive',
    ]);
    const session = result.results.findings.find((f) => f.checkId === 'E2EE-SES-001' && f.cohort === 'assistant');
    expect(session?.measurements['session']).toMatchObject({ ok: false, reason: 'no-kyber-prekey' });
  });

  it('key-substitution: a different identity key fails E2EE-KEY-003 for the subject only', async () => {
    const result = await audit('key-substitution');
    expect(nonPasses(result)).toEqual([
      'E2EE-KEY-003 assistant fail',
      'E2EE-SES-001 assistant fail',
      'E2EE-SES-002 assistant inconclusive',
      'E2EE-SES-003 assistant warn',
    ]);
    const identity = result.results.findings.find((f) => f.checkId === 'E2EE-KEY-003' && f.cohort === 'assistant');
    expect(identity?.summary).toContain('a substituted key lets the gateway read the messages');
    expect(identity?.reference).toBe('meta-ai');
  });

  it('bad-signature: a signed prekey that does not verify fails E2EE-KEY-001', async () => {
    const result = await audit('bad-signature');
    expect(nonPasses(result)).toEqual([
      'E2EE-KEY-001 assistant fail',
      'E2EE-SES-001 assistant fail',
      'E2EE-SES-002 assistant inconclusive',
    ]);
  });

  it('prekey-exhaustion: no one-time prekeys for the subject fails E2EE-KEY-004', async () => {
    const result = await audit('prekey-exhaustion');
    expect(nonPasses(result)).toEqual(['E2EE-KEY-004 assistant fail']);
    const oneTime = result.results.findings.find((f) => f.checkId === 'E2EE-KEY-004' && f.cohort === 'assistant');
    expect(oneTime?.measurements['oneTimePreKeysServed']).toEqual({ subject: 0, reference: 5 });
  });

  it('tampering-relay: a relay that alters ciphertext fails E2EE-SES-002; the round trip is not confirmed', async () => {
    const result = await audit('tampering-relay');
    expect(nonPasses(result)).toEqual(['E2EE-SES-001 assistant inconclusive', 'E2EE-SES-002 assistant fail']);
    expect(result.exitCode).toBe(1);
  });
});
