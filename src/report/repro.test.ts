import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/types.js';
import { fixtureView } from './fixtures.test-helpers.js';
import { curlCommand, reproductions, tokenEnv } from './repro.js';
import type { BundleView, HarEntryView } from './types.js';

const POST: HarEntryView = {
  _id: 'ex-1',
  _cohort: 'assistant',
  _direction: 'outbound',
  request: {
    method: 'POST',
    url: 'http://127.0.0.1:4010/graph/v24.0/1002/messages?hub.verify_token=[REDACTED]',
    headers: [
      { name: 'authorization', value: '[REDACTED]' },
      { name: 'content-type', value: 'application/json' },
      { name: 'host', value: '127.0.0.1:4010' },
    ],
    postData: { text: `{"text":{"body":"it's"},"token":"[REDACTED]"}` },
  },
  response: { status: 200, headers: [{ name: 'x-fee-amount', value: '0.0572' }] },
};

/** Runs `sh -c` with `echo` in place of curl, so the test sees the arguments the shell would pass. */
function argsOf(command: string, env: Record<string, string>): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }\nBASE_URL=http://h\n${command}`;
  const run = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...env, PATH: process.env['PATH'] ?? '' } });
  return run.stdout.split('\n');
}

describe('curlCommand', () => {
  it('writes tokens as "$ENV" names, never values, and quotes everything else literally', () => {
    const command = curlCommand(POST);
    expect(command).toContain('-H "Authorization: Bearer $ASSISTANT_TOKEN"');
    expect(command).not.toContain('[REDACTED]');
    expect(command).not.toContain('host:');
    const args = argsOf(command, { ASSISTANT_TOKEN: 'tok-123' });
    expect(args).toContain('Authorization: Bearer tok-123');
    expect(args).toContain('http://h/graph/v24.0/1002/messages?hub.verify_token=tok-123');
    expect(args).toContain(`{"text":{"body":"it's"},"token":"tok-123"}`);
  });

  it('cannot be made to run anything by hostile strings in the HAR', () => {
    const evil: HarEntryView = {
      ...POST,
      _id: 'x\ntouch /tmp/pwned-id',
      request: { ...POST.request, method: 'POST; touch /tmp/pwned', headers: [{ name: 'a$(id)', value: '`id`\nb' }] },
    };
    const args = argsOf(curlCommand(evil), {});
    expect(args).toContain('POST; touch /tmp/pwned');
    expect(args).toContain('a$(id): `id`');
  });

  it('names the token variable after the cohort', () => {
    expect(tokenEnv('meta-ai')).toBe('META_AI_TOKEN');
    expect(tokenEnv('1st')).toBe('C_1ST_TOKEN');
  });
});

describe('reproductions', () => {
  it('writes one script per failing finding with outbound evidence, and passes sh -n', () => {
    const view: BundleView = fixtureView();
    view.har.log.entries = view.har.log.entries.map((e) => ({
      ...e,
      _direction: 'outbound',
      request: { ...e.request, headers: POST.request.headers },
    }));
    const repros = reproductions(view);
    expect(repros.map((r) => r.fileName)).toEqual([
      'repro/PAR-LAT-001-assistant-text.sh',
      'repro/PAR-FEAT-001-assistant.sh',
      'repro/PAR-FEE-001-assistant.sh',
    ]);
    for (const r of repros) {
      expect(r.finding.verdict satisfies Finding['verdict']).toBe('fail');
      expect(spawnSync('sh', ['-n', '-c', r.script]).status).toBe(0);
      expect(r.script).toContain('BASE_URL="${BASE_URL:-http://127.0.0.1:4010}"');
    }
  });
});
