/** Runs one fault mode end to end: sim, proxy, audit, verify, and a grep for every credential form. */
import { expect } from 'vitest';
import { runAudit, verifyBundle } from '../../src/app/audit.js';
import { loadConfig } from '../../src/config/load.js';
import type { Finding } from '../../src/core/types.js';
import type { SigningKey } from '../../src/evidence/keys.js';
import { startSim } from '../../src/sim/server.js';
import { simAuditConfig } from '../../src/sim/audit-config.js';
import { readAllFiles, tempDir } from '../helpers.js';
import type { FaultMode } from './modes.js';
import { startHostileProxy } from './proxy.js';

/** The credentials the matrix plants: every one of them, in every form, must stay off disk. */
export const CANARIES = {
  'meta-ai': { token: 'canaryRefTok7f3a9c1e5b2d', interopToken: 'canaryRefKey91ad2e77c4f0' },
  assistant: { token: 'canarySubTok0b6e2d94a71c', interopToken: 'canarySubKey5c8f13e0d2b9' },
  control: { token: 'canaryCtlTok3e9a7b15d0f4', interopToken: 'canaryCtlKey8d2c6a41f9e3' },
} as const;
export const APP_SECRET = 'canaryAppSecret4b7e1f9a';

/** Every form a secret could take on disk (raw, any case, URL-encoded, base64, base64url, hex). */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [
    secret,
    secret.toLowerCase(),
    secret.toUpperCase(),
    encodeURIComponent(secret),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ];
}

const ALL_SECRETS = [...Object.values(CANARIES).flatMap((c) => [c.token, c.interopToken]), APP_SECRET];

/** What one mode left behind. */
export interface ModeOutcome {
  verdicts: Record<string, Verdict[]>;
  findings: Finding[];
}
type Verdict = Finding['verdict'];

/** Runs `mode` and asserts the four invariants: finishes, verifies, no credential on disk or in logs, no unsupported verdict. */
export async function runMode(mode: FaultMode, signingKey: SigningKey): Promise<ModeOutcome> {
  const sim = await startSim({ scenario: 'compliant', seed: 7, tokens: CANARIES, appSecret: APP_SECRET });
  const tokens = new Map(
    Object.entries(CANARIES).flatMap(([id, c]) => [[c.token, id] as const, [c.interopToken, id] as const]),
  );
  const proxy = await startHostileProxy(sim.urls.base, mode.act, tokens);
  const logs: string[] = [];
  try {
    const raw = simAuditConfig(sim) as Record<string, Record<string, unknown>>;
    const target = raw.target as Record<string, Record<string, unknown>>;
    const config = loadConfig(
      {
        ...raw,
        target: {
          ...target,
          businessApi: { ...target.businessApi, baseUrl: `${proxy.url}/graph`, timeoutMs: 1500 },
          interop: { ...target.interop, baseUrl: `${proxy.url}/interop` },
          userDriver: { ...target.userDriver, baseUrl: proxy.url },
        },
        limits: { maxRps: 200, maxRequests: 3000, timeoutMs: 1500 },
        analysis: { samples: 10, warmup: 0, latencyRps: 50, latencyTypes: ['text'], feeProbeMessages: 10 },
      },
      {},
    );
    const { results, bundleDir } = await runAudit({
      config,
      checks: mode.checks,
      seed: 7,
      outDir: tempDir(),
      signingKey,
      onLog: (line) => logs.push(line),
    });
    const report = await verifyBundle(bundleDir);
    expect(
      report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.details.join('; ')}`),
      `${mode.name}: verify`,
    ).toEqual([]);
    const files = readAllFiles(bundleDir);
    const texts = [...files.map((f) => ({ where: f.path, text: f.text })), { where: 'logs', text: logs.join('\n') }];
    for (const secret of ALL_SECRETS)
      for (const form of secretForms(secret))
        for (const { where, text } of texts)
          expect(text.includes(form), `${mode.name}: ${where} holds a form of a secret`).toBe(false);
    const verdicts: Record<string, Verdict[]> = {};
    for (const f of results.findings) (verdicts[f.checkId] ??= []).push(f.verdict);
    for (const [check, bad] of Object.entries(mode.forbid ?? {}))
      for (const verdict of verdicts[check] ?? [])
        expect(
          bad.includes(verdict),
          `${mode.name}: ${check} may not be ${verdict} (${summaryOf(results.findings, check, verdict)})`,
        ).toBe(false);
    for (const [check, wanted] of Object.entries(mode.require ?? {})) {
      const subjectVerdicts = results.findings
        .filter((f) => f.checkId === check && f.cohort === 'assistant')
        .map((f) => f.verdict);
      expect(
        subjectVerdicts.some((v) => wanted.includes(v)),
        `${mode.name}: ${check} for the subject is ${subjectVerdicts.join(',')}`,
      ).toBe(true);
    }
    return { verdicts, findings: results.findings };
  } finally {
    await proxy.close();
    await sim.close();
  }
}

function summaryOf(findings: readonly Finding[], check: string, verdict: Verdict): string {
  return findings.find((f) => f.checkId === check && f.verdict === verdict)?.summary ?? '';
}
