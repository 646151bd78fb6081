import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAudit, verifyBundle } from '../../../src/app/audit.js';
import type { SigningKey } from '../../../src/evidence/keys.js';
import { startSim } from '../../../src/sim/server.js';
import type { Finding, Observation } from '../../../src/core/types.js';
import { simConfig, tempDir, testSigningKey } from '../../../test/helpers.js';
import { buildMatrix, missingFor, unavailableToAll } from './matrix.js';
import { testAnalysisContext } from '../../../src/engine/analysis-context.test-helpers.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

async function audit(scenario: string): Promise<Finding[]> {
  const sim = await startSim({ scenario, seed: 8 });
  try {
    const { results } = await runAudit({
      config: simConfig(sim, { limits: { maxRps: 400 } }),
      checks: ['PAR-FEAT-001'],
      seed: 8,
      outDir: tempDir(),
      signingKey,
      isQuick: true,
    });
    return results.findings;
  } finally {
    await sim.close();
  }
}

type Cells = Record<string, Record<string, string>>;

describe('PAR-FEAT-001', () => {
  it('names exactly the gated capabilities with the platform error on the feature-gated platform', async () => {
    const findings = await audit('feature-gated');
    expect(findings.map((f) => [f.cohort, f.verdict])).toEqual([
      ['assistant', 'fail'],
      ['control', 'pass'],
    ]);
    const assistant = findings[0];
    const matrix = assistant?.measurements.matrix as Cells;
    // typing_indicator is gated too; it can only be named where the reference can use it at all.
    const gated = ['interactive', 'reaction', 'typing_indicator'].filter((type) => matrix[type]?.['meta-ai'] === 'ok');
    expect(gated).toEqual(expect.arrayContaining(['interactive', 'reaction']));
    expect(assistant?.measurements.missingTypes).toEqual(gated);
    expect(matrix.reaction).toEqual({ 'meta-ai': 'ok', assistant: '131051: Unsupported message type' });
    expect(matrix.image).toEqual({ 'meta-ai': 'ok', assistant: 'ok' });
    expect(assistant?.summary).toContain('interactive (button, list, cta_url)');
    expect(assistant?.summary).toContain('131051: Unsupported message type');
    expect(assistant?.evidence.length).toBeGreaterThan(0);
  });

  it('fails every capability of the banned assistant with error 368', async () => {
    const findings = await audit('oct-2025-ban');
    expect(findings.map((f) => [f.cohort, f.verdict])).toEqual([
      ['assistant', 'fail'],
      ['control', 'pass'],
    ]);
    const matrix = findings[0]?.measurements.matrix as Cells;
    expect(matrix.text?.assistant).toMatch(/^368: /);
    expect(findings[0]?.measurements.missingTypes).toEqual(
      expect.arrayContaining(['text', 'image', 'template', 'reaction']),
    );
  });

  for (const scenario of ['compliant', 'flaky-but-fair']) {
    it(`passes every subject on ${scenario}`, async () => {
      const findings = await audit(scenario);
      expect(findings.map((f) => [f.cohort, f.verdict])).toEqual([
        ['assistant', 'pass'],
        ['control', 'pass'],
      ]);
      expect((findings[0]?.measurements.matrix as Cells).text).toEqual({ 'meta-ai': 'ok', assistant: 'ok' });
    });
  }
});

describe('buildMatrix', () => {
  const attempt = (cohort: string, variant: string, status: number, code?: number): Observation => ({
    check: 'PAR-FEAT-001',
    cohort,
    variant,
    kind: 'capability',
    seq: 0,
    outcome: status === 200 ? 'ok' : 'http-error',
    data: { status, ...(code === undefined ? {} : { errorCode: code, errorMessage: 'Unsupported message type' }) },
  });

  it('lets one success win over earlier failures, and keeps the last refusal otherwise', () => {
    const matrix = buildMatrix(
      [
        attempt('r', 'text', 500, 2),
        attempt('r', 'text', 200),
        attempt('s', 'text', 400, 131051),
        attempt('s', 'sticker', 400, 100),
        attempt('r', 'sticker', 400, 100),
      ],
      'capability',
      (o) => o.data?.status === 200,
    );
    expect(matrix).toEqual({
      text: { r: 'ok', s: '131051: Unsupported message type' },
      sticker: { s: '100: Unsupported message type', r: '100: Unsupported message type' },
    });
    expect(missingFor(matrix, 'r', 's')).toEqual([{ capability: 'text', subject: '131051: Unsupported message type' }]);
    expect(unavailableToAll(matrix)).toEqual(['sticker']);
  });
});

describe('PAR-FEAT-002', () => {
  it('delivers every inbound event type to every cohort of a compliant platform', async () => {
    const sim = await startSim({ scenario: 'compliant', seed: 8 });
    try {
      const { results } = await runAudit({
        config: simConfig(sim, { limits: { maxRps: 400 } }),
        checks: ['PAR-FEAT-002'],
        seed: 8,
        outDir: tempDir(),
        signingKey,
        isQuick: true,
      });
      expect(results.findings.map((f) => [f.cohort, f.verdict])).toEqual([
        ['assistant', 'pass'],
        ['control', 'pass'],
      ]);
      const matrix = results.findings[0]?.measurements.matrix as Cells;
      expect(matrix['message:image']).toEqual({ 'meta-ai': 'delivered', assistant: 'delivered' });
      expect(matrix['status:delivered']).toEqual({ 'meta-ai': 'delivered', assistant: 'delivered' });
    } finally {
      await sim.close();
    }
  });

  it('takes its text row from the inbound stream when PAR-LAT-002 runs, and sends no text message of its own', async () => {
    const sim = await startSim({ scenario: 'compliant', seed: 9 });
    try {
      const { results, bundleDir } = await runAudit({
        config: simConfig(sim, { limits: { maxRps: 400 }, analysis: { design: 'fixed', samples: 20, warmup: 2 } }),
        checks: ['PAR-LAT-002', 'PAR-FEAT-002'],
        seed: 9,
        outDir: tempDir(),
        signingKey,
      });
      const feat = results.findings.filter((f) => f.checkId === 'PAR-FEAT-002');
      expect(feat.map((f) => [f.cohort, f.verdict])).toEqual([
        ['assistant', 'pass'],
        ['control', 'pass'],
      ]);
      expect((feat[0]?.measurements.matrix as Cells)['message:text']).toEqual({
        'meta-ai': 'delivered',
        assistant: 'delivered',
      });
      const samples = (await readFile(join(bundleDir, 'samples.ndjson'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Observation);
      const own = samples.filter((o) => o.check === 'PAR-FEAT-002' && o.kind === 'user-message');
      expect(own.length).toBeGreaterThan(0);
      expect(own.some((o) => o.variant === 'text')).toBe(false);
      const streamed = samples.filter((o) => o.kind === 'inbound' && (o.round ?? -1) >= 0);
      expect(streamed.every((o) => o.metrics?.includes('PAR-FEAT-002'))).toBe(true);
      expect(await verifyBundle(bundleDir)).toMatchObject({ ok: true });
    } finally {
      await sim.close();
    }
  });

  it('fails a subject that does not receive an event type the reference receives', async () => {
    const { featureChecks } = await import('./index.js');
    const inbound = featureChecks.find((c) => c.id === 'PAR-FEAT-002');
    const event = (cohort: string, variant: string, isDelivered: boolean): Observation => ({
      check: 'PAR-FEAT-002',
      cohort,
      variant,
      kind: 'inbound-event',
      seq: 0,
      outcome: 'ok',
      exchanges: isDelivered ? ['in-000001'] : [],
      data: { isDelivered },
    });
    const observations = [
      event('ref', 'message:reaction', true),
      event('sub', 'message:reaction', false),
      event('sub', 'message:reaction', false),
      event('ref', 'message:text', true),
      event('sub', 'message:text', true),
    ];
    const ctx = testAnalysisContext({
      reference: { id: 'ref', label: 'Ref' },
      subjects: [{ id: 'sub', label: 'Sub' }],
    });
    const [finding] = inbound?.analyse(observations, ctx) ?? [];
    expect(finding?.verdict).toBe('fail');
    expect(finding && 'summary' in finding ? finding.summary : '').toBe(
      'Sub does not receive message:reaction events, which Ref receives.',
    );
    expect(finding?.evidence).toEqual(['in-000001']);
  });
});
