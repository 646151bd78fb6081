import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFile } from './load.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { TEMPLATE_ENV, configTemplate, writeConfigTemplate } from './template.js';

const ENV = Object.fromEntries(TEMPLATE_ENV.map((name) => [name, `secret-value-of-${name}`]));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dma-audit-init-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function problemsOf(load: () => Promise<unknown> | unknown): Promise<string[]> {
  try {
    await load();
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('dma-audit init', () => {
  it('writes a template that validates once its environment variables are set, with no literal secrets', async () => {
    const file = await writeConfigTemplate({ out: join(dir, 'a.json') });
    const loaded = await loadConfigFile(file, ENV);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.cohorts.map((c) => [c.role, c.token])).toEqual([
      ['reference', ENV.REF_TOKEN],
      ['subject', ENV.SUBJECT_TOKEN],
    ]);
    expect(loaded.config.webhook).toMatchObject({
      appSecret: ENV.APP_SECRET,
      verifyToken: ENV.VERIFY_TOKEN,
      publicUrl: expect.stringMatching(/^https:\/\//),
    });
    expect(loaded.config.limits.maxRps).toBeLessThanOrEqual(5);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('"$comment"');
    for (const value of Object.values(ENV)) expect(text).not.toContain(value);
  });

  it('names every unset environment variable by JSON path', async () => {
    expect(await problemsOf(() => loadConfig(configTemplate('whatsapp-cloud'), {}))).toEqual([
      'cohorts[0].token: environment variable REF_TOKEN is not set',
      'cohorts[1].token: environment variable SUBJECT_TOKEN is not set',
      'webhook.appSecret: environment variable APP_SECRET is not set',
      'webhook.verifyToken: environment variable VERIFY_TOKEN is not set',
    ]);
  });

  it('refuses to overwrite unless forced, and refuses unknown targets', async () => {
    const file = join(dir, 'existing.json');
    await writeFile(file, 'keep me');
    await expect(writeConfigTemplate({ out: file })).rejects.toBeInstanceOf(UsageError);
    expect(await readFile(file, 'utf8')).toBe('keep me');
    await writeConfigTemplate({ out: file, force: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(configTemplate('whatsapp-cloud'));
    await expect(writeConfigTemplate({ out: join(dir, 'b.json'), target: 'telegram' })).rejects.toThrow(
      'unknown target "telegram"',
    );
  });
});

describe('fixtures/configs', () => {
  const env = {
    REF_TOKEN: 'r-token-1',
    SUBJECT_TOKEN: 's-token-1',
    REF_INTEROP_TOKEN: 'ri-token',
    SUBJECT_INTEROP_TOKEN: 'si-token',
    APP_SECRET: 'app-secret',
    VERIFY_TOKEN: 'verify-tok',
  };
  const fixture = (name: string): string => packagePath('fixtures', 'configs', name);

  it.each(['valid-sandbox.json', 'valid-minimal.json'])('%s loads', async (name) => {
    const loaded = await loadConfigFile(fixture(name), env);
    expect(loaded.config.cohorts.filter((c) => c.role === 'reference')).toHaveLength(1);
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['invalid-role.json', ['cohorts[1].role: must be "reference" or "subject"']],
    ['invalid-two-references.json', ['cohorts: exactly one cohort must have role "reference" (found 2)']],
    [
      'invalid-unknown-key-and-listen.json',
      ['target.businessApi: unknown key "apiKey"', 'webhook.listen: must match pattern "^[^:]+:[0-9]+$"'],
    ],
    ['invalid-missing-token.json', ['cohorts[0].token: required when target.businessApi is set']],
  ])('%s is rejected with every problem by JSON path', async (name, expected) => {
    expect(await problemsOf(() => loadConfigFile(fixture(name), env))).toEqual(expected);
  });
});
