import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './load.js';

const valid = {
  target: { name: 'Test platform', businessApi: { kind: 'whatsapp-cloud', baseUrl: 'http://127.0.0.1:9' } },
  cohorts: [
    { id: 'meta-ai', role: 'reference', token: 'env:REF_TOKEN', phoneNumberId: '1001' },
    { id: 'assistant', role: 'subject', token: 'env:SUB_TOKEN', phoneNumberId: '1002' },
  ],
  recipient: { waId: '15550001234' },
};
const env = { REF_TOKEN: 'ref-secret-value', SUB_TOKEN: 'sub-secret-value' };

function problemsOf(raw: unknown, environment: Record<string, string> = env): string[] {
  try {
    loadConfig(raw, environment);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('resolves env secrets, applies defaults and keeps the secrets out of the digest', () => {
    const loaded = loadConfig(valid, env);
    expect(loaded.config.cohorts[0]?.token).toBe('ref-secret-value');
    expect(loaded.config.limits).toMatchObject({ maxRps: 50, maxRequests: 20000, timeoutMs: 10000 });
    expect(loaded.config.analysis).toMatchObject({ alpha: 0.01, latencyMarginPct: 10, samples: 300 });
    expect(loaded.config.target.businessApi?.apiVersion).toBe('v24.0');
    expect(loaded.secrets.sort()).toEqual(['ref-secret-value', 'sub-secret-value']);
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(loaded.digest).toBe(loadConfig(valid, { REF_TOKEN: 'other-value', SUB_TOKEN: 'values-too' }).digest);
    expect(loaded.warnings).toEqual([]);
  });

  it('lists every schema problem by JSON path in one go', () => {
    const bad = {
      ...valid,
      surprise: true,
      cohorts: [
        { ...valid.cohorts[0], role: 'boss' },
        { ...valid.cohorts[1], phoneNumberId: 1002 },
      ],
      limits: { maxRps: -1 },
    };
    const problems = problemsOf(bad);
    expect(problems).toContain('(root): unknown key "surprise"');
    expect(problems).toContain('cohorts[0].role: must be "reference" or "subject"');
    expect(problems).toContain('cohorts[1].phoneNumberId: must be string');
    expect(problems).toContain('limits.maxRps: must be > 0');
  });

  it('requires exactly one reference cohort and unique ids', () => {
    const bad = { ...valid, cohorts: [{ ...valid.cohorts[1] }, { ...valid.cohorts[1] }] };
    const problems = problemsOf(bad);
    expect(problems).toContain('cohorts: exactly one cohort must have role "reference" (found 0)');
    expect(problems).toContain('cohorts[1].id: duplicate id "assistant"');
  });

  it('names every unset environment secret', () => {
    const problems = problemsOf(valid, {});
    expect(problems).toEqual([
      'cohorts[0].token: environment variable REF_TOKEN is not set',
      'cohorts[1].token: environment variable SUB_TOKEN is not set',
    ]);
  });

  it('lists schema, rule and secret problems together', () => {
    const bad = {
      ...valid,
      extra: 1,
      cohorts: [{ ...valid.cohorts[1] }, { ...valid.cohorts[1], id: 'other', phoneNumberId: 'x' }],
    };
    expect(problemsOf(bad, {})).toEqual([
      '(root): unknown key "extra"',
      'cohorts[1].phoneNumberId: must match pattern "^[0-9]+$"',
      'cohorts: exactly one cohort must have role "reference" (found 0)',
      'cohorts[0].token: environment variable SUB_TOKEN is not set',
      'cohorts[1].token: environment variable SUB_TOKEN is not set',
    ]);
  });

  it('rejects a config that is not an object or has no cohort list', () => {
    expect(problemsOf([])).toEqual(['(root): must be object']);
    expect(problemsOf({ target: { name: 'x' } })).toEqual(['(root): missing required key "cohorts"']);
  });

  it('accepts a literal secret with a warning', () => {
    const literal = { ...valid, cohorts: [{ ...valid.cohorts[0], token: 'literal-token' }, valid.cohorts[1]] };
    const loaded = loadConfig(literal, env);
    expect(loaded.warnings).toEqual(['cohorts[0].token: a literal secret is in the config file; prefer env:NAME']);
    expect(loaded.secrets).toContain('literal-token');
  });

  it('requires tokens and phone numbers when a business API is configured', () => {
    const bad = { ...valid, cohorts: [{ id: 'meta-ai', role: 'reference' }, valid.cohorts[1]] };
    expect(problemsOf(bad)).toEqual([
      'cohorts[0].token: required when target.businessApi is set',
      'cohorts[0].phoneNumberId: required when target.businessApi is set',
    ]);
  });
});
