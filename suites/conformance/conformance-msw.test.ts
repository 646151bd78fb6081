import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SetupServerApi } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { runAudit } from '../../src/app/audit.js';
import type { Finding } from '../../src/core/types.js';
import { mswConfig, payload, startMswPlatform, type PlatformKnobs } from './msw-platform.test-helpers.js';
import { readHarDocument } from '../../src/evidence/bundle/index.js';

let key: SigningKey;
let outDir: string;
let server: SetupServerApi | undefined;

beforeAll(async () => {
  process.env.DMA_AUDIT_HOME = await mkdtemp(join(tmpdir(), 'dma-audit-home-'));
  key = await loadSigningKey();
  outDir = await mkdtemp(join(tmpdir(), 'dma-audit-msw-'));
});
afterEach(() => server?.close());
afterAll(async () => rm(outDir, { recursive: true, force: true }));

async function audit(knobs: PlatformKnobs, checks = ['CONF-*']): Promise<{ findings: Finding[]; bundleDir: string }> {
  server = startMswPlatform(knobs);
  const { results, bundleDir } = await runAudit({
    config: mswConfig(),
    checks,
    seed: 1,
    outDir,
    signingKey: key,
    // msw answers only the routes it mocks, not the preflight GET of each base URL.
    preflight: false,
  });
  return { findings: results.findings, bundleDir };
}

const verdicts = (findings: Finding[], check: string): string[] =>
  findings.filter((f) => f.checkId === check).map((f) => `${f.cohort}:${f.verdict}`);
const violations = (finding: Finding | undefined): Array<{ exchange: string; problem: string }> =>
  (finding?.measurements.violations ?? []) as Array<{ exchange: string; problem: string }>;

describe('conformance checks against Meta-shaped msw handlers', () => {
  it('passes every check when the platform answers like the published examples', async () => {
    const { findings } = await audit({});
    expect(findings.filter((f) => f.verdict !== 'pass').map((f) => `${f.checkId}/${f.cohort}: ${f.summary}`)).toEqual(
      [],
    );
    expect(findings).toHaveLength(12);
  });

  it('fails CONF-API-001 with the JSON path and the HAR entry when messages[].id is missing', async () => {
    const { findings, bundleDir } = await audit(
      {
        sendSuccess: (_wamid, to) => ({
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{}],
        }),
      },
      ['CONF-API-001'],
    );
    expect(verdicts(findings, 'CONF-API-001')).toEqual(['reference:fail', 'subject:fail']);
    const finding = findings.find((f) => f.cohort === 'subject');
    expect(violations(finding).map((v) => v.problem)).toEqual(Array(3).fill('messages[0]: missing required key "id"'));
    expect(finding?.summary).toContain('messages[0]: missing required key "id"');
    const har = (await readHarDocument(bundleDir)) as unknown as {
      log: { entries: Array<{ _id: string; response: { content: { text: string } } }> };
    };
    const entry = har.log.entries.find((e) => e._id === violations(finding)[0]?.exchange);
    expect(JSON.parse(entry?.response.content.text ?? '{}')).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '15550001234', wa_id: '15550001234' }],
      messages: [{}],
    });
  });

  it('fails CONF-API-002 when error bodies are not Graph errors', async () => {
    const { findings } = await audit({ graphError: (code, message) => ({ status: 'error', code, message }) }, [
      'CONF-API-002',
    ]);
    expect(verdicts(findings, 'CONF-API-002')).toEqual(['reference:fail', 'subject:fail']);
    expect(new Set(violations(findings[0]).map((v) => v.problem))).toEqual(
      new Set(['(root): missing required key "error"']),
    );
    expect(findings[0]?.measurements.violationCount).toBe(3);
  });

  it('fails CONF-API-002 when one field of the error has the wrong type', async () => {
    const { findings } = await audit(
      {
        graphError: (code, message) => ({
          error: { message, type: 'OAuthException', code: String(code), fbtrace_id: 'x1' },
        }),
      },
      ['CONF-API-002'],
    );
    expect(verdicts(findings, 'CONF-API-002')).toEqual(['reference:fail', 'subject:fail']);
    expect(new Set(violations(findings[1]).map((v) => v.problem))).toEqual(new Set(['error.code: must be integer']));
  });

  it('fails CONF-WH-002 when webhooks are forged, and CONF-WH-003 finds no authentic payload', async () => {
    const { findings, bundleDir } = await audit({ signing: 'forged' }, ['CONF-WH-001', 'CONF-WH-002', 'CONF-WH-003']);
    expect(verdicts(findings, 'CONF-WH-001')).toEqual(['reference:pass', 'subject:pass']);
    expect(verdicts(findings, 'CONF-WH-002')).toEqual(['reference:fail', 'subject:fail']);
    expect(verdicts(findings, 'CONF-WH-003')).toEqual(['reference:inconclusive', 'subject:inconclusive']);
    const wh2 = findings.find((f) => f.checkId === 'CONF-WH-002' && f.cohort === 'subject');
    expect(wh2?.measurements).toMatchObject({ invalid: wh2?.measurements.deliveries, missing: 0 });
    const har = (await readHarDocument(bundleDir)) as unknown as {
      log: { entries: Array<{ _id: string; _signature?: string; response: { status: number } }> };
    };
    const cited = har.log.entries.filter((e) => wh2?.evidence.includes(e._id));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.every((e) => e._signature === 'invalid' && e.response.status === 401)).toBe(true);
  });

  it('counts unsigned webhooks as missing signatures', async () => {
    const { findings } = await audit({ signing: 'none' }, ['CONF-WH-002']);
    const subject = findings.find((f) => f.cohort === 'subject');
    expect(subject?.verdict).toBe('fail');
    expect(subject?.measurements.missing).toBe(subject?.measurements.deliveries);
  });

  it('fails CONF-WH-003 with the JSON path when a status lacks its pricing model', async () => {
    const statusWebhook = (phone: string, wamid: string, status: string): unknown => {
      const body = payload(`webhook-status-${status}`) as {
        entry: Array<{
          changes: Array<{
            value: {
              metadata: { phone_number_id: string };
              statuses: Array<{ id: string; pricing?: Record<string, unknown> }>;
            };
          }>;
        }>;
      };
      const value = body.entry[0]?.changes[0]?.value;
      if (value === undefined) return body;
      value.metadata.phone_number_id = phone;
      for (const s of value.statuses) {
        s.id = wamid;
        delete s.pricing?.pricing_model;
      }
      return body;
    };
    const { findings } = await audit({ statusWebhook }, ['CONF-WH-003']);
    expect(verdicts(findings, 'CONF-WH-003')).toEqual(['reference:fail', 'subject:fail']);
    expect(new Set(violations(findings[0]).map((v) => v.problem))).toEqual(
      new Set(['entry[0].changes[0].value.statuses[0].pricing: missing required key "pricing_model"']),
    );
  });

  it('fails CONF-KEY-001 when the key bundle is not base64 or lacks a signed prekey', async () => {
    const { findings } = await audit(
      { keyBundle: { identityKey: 'not base64!', devices: [{ deviceId: 1, registrationId: 7 }] } },
      ['CONF-KEY-001'],
    );
    expect(verdicts(findings, 'CONF-KEY-001')).toEqual(['reference:fail', 'subject:fail']);
    expect(
      violations(findings[0])
        .map((v) => v.problem)
        .sort(),
    ).toEqual([
      'devices[0]: missing required key "signedPreKey"',
      'identityKey: must match pattern "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"',
    ]);
  });

  it('fails CONF-WH-001 when the override is refused or skips the hub verification', async () => {
    const refused = await audit({ override: 'refuse' }, ['CONF-WH-001']);
    expect(verdicts(refused.findings, 'CONF-WH-001')).toEqual(['reference:fail', 'subject:fail']);
    expect(refused.findings[0]?.measurements.problems).toEqual([
      'the override was answered HTTP 400 (error 100)',
      'the platform never sent the hub verification GET',
    ]);
    server?.close();
    const unverified = await audit({ override: 'skip-verification' }, ['CONF-WH-001']);
    expect(unverified.findings[1]?.summary).toBe(
      'The webhook handshake for subject failed: the platform never sent the hub verification GET.',
    );
  });

  it('is inconclusive, naming the probe, when a cohort gets no webhook at all', async () => {
    const { findings } = await audit({ sendsStatuses: false }, ['CONF-WH-002']);
    expect(verdicts(findings, 'CONF-WH-002')).toEqual(['reference:inconclusive', 'subject:inconclusive']);
    expect(findings[0]?.summary).toMatch(
      /^No webhook arrived for reference \(a probe message was accepted, then nothing came within 1[5-9]\d\d ms\)/,
    );
    expect(findings[0]?.evidence).toHaveLength(1);
  });
});
