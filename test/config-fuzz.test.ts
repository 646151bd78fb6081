/**
 * Bad configs and bad usages, many of them: every one must end with exit 2, one line on stderr that
 * names the offending path or option, no stack trace, and no request sent (README, "Usage").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { tempDir } from './helpers.js';

const dir = tempDir('dma-audit-fuzz-');
const ENV = { FUZZ_REF: 'fuzz-reference-secret', FUZZ_SUB: 'fuzz-subject-secret', FUZZ_SHORT: 'abc' };

/** A valid config (nothing listens at its URLs: a bad one must be refused before any request). */
const valid = (): Record<string, any> => ({
  target: {
    name: 'fuzz',
    businessApi: { kind: 'whatsapp-cloud', baseUrl: 'http://127.0.0.1:9/graph' },
    interop: { kind: 'signal-keys', baseUrl: 'http://127.0.0.1:9/interop', recipient: '15550001234' },
    userDriver: { kind: 'sim-api', baseUrl: 'http://127.0.0.1:9' },
  },
  cohorts: [
    { id: 'meta-ai', role: 'reference', token: 'env:FUZZ_REF', phoneNumberId: '1001', interopToken: 'env:FUZZ_REF' },
    { id: 'assistant', role: 'subject', token: 'env:FUZZ_SUB', phoneNumberId: '1002', interopToken: 'env:FUZZ_SUB' },
  ],
  recipient: { waId: '15550001234' },
  webhook: { listen: '127.0.0.1:0', appSecret: 'env:FUZZ_REF', verifyToken: 'env:FUZZ_SUB' },
  limits: { maxRps: 10, maxRequests: 100 },
  analysis: { samples: 10 },
});

type Mutation = [name: string, path: string, mutate: (c: Record<string, any>) => void];

/** One config change per case; `path` is what the message must name. */
const MUTATIONS: Mutation[] = [
  ['no target', 'target', (c) => delete c.target],
  ['no cohorts', 'cohorts', (c) => delete c.cohorts],
  ['unknown top-level key', 'surprise', (c) => (c.surprise = 1)],
  ['target not an object', 'target', (c) => (c.target = 'x')],
  ['target name missing', 'target', (c) => delete c.target.name],
  ['target name empty', 'target.name', (c) => (c.target.name = '')],
  ['target name number', 'target.name', (c) => (c.target.name = 5)],
  ['unknown target key', 'target', (c) => (c.target.extra = true)],
  ['businessApi kind', 'target.businessApi.kind', (c) => (c.target.businessApi.kind = 'telegram')],
  ['businessApi no baseUrl', 'target.businessApi', (c) => delete c.target.businessApi.baseUrl],
  ['businessApi ftp', 'target.businessApi.baseUrl', (c) => (c.target.businessApi.baseUrl = 'ftp://h/x')],
  [
    'businessApi port 99999',
    'target.businessApi.baseUrl',
    (c) => (c.target.businessApi.baseUrl = 'http://127.0.0.1:99999'),
  ],
  ['businessApi port 0', 'target.businessApi.baseUrl', (c) => (c.target.businessApi.baseUrl = 'http://127.0.0.1:0/x')],
  [
    'businessApi userinfo',
    'target.businessApi.baseUrl',
    (c) => (c.target.businessApi.baseUrl = 'http://user:pass@127.0.0.1:9'),
  ],
  [
    'businessApi user only',
    'target.businessApi.baseUrl',
    (c) => (c.target.businessApi.baseUrl = 'https://user@h.test/'),
  ],
  ['businessApi space', 'target.businessApi.baseUrl', (c) => (c.target.businessApi.baseUrl = 'http://h .test')],
  ['businessApi not a URL', 'target.businessApi.baseUrl', (c) => (c.target.businessApi.baseUrl = 'http://[::1')],
  ['businessApi number', 'target.businessApi.baseUrl', (c) => (c.target.businessApi.baseUrl = 42)],
  ['apiVersion', 'target.businessApi.apiVersion', (c) => (c.target.businessApi.apiVersion = 'latest')],
  ['feeHeaders not array', 'target.businessApi.feeHeaders', (c) => (c.target.businessApi.feeHeaders = 'x-fee')],
  ['feeHeaders bad name', 'target.businessApi.feeHeaders[0]', (c) => (c.target.businessApi.feeHeaders = ['x fee'])],
  ['businessApi timeout small', 'target.businessApi.timeoutMs', (c) => (c.target.businessApi.timeoutMs = 5)],
  ['businessApi timeout float', 'target.businessApi.timeoutMs', (c) => (c.target.businessApi.timeoutMs = 1000.5)],
  ['interop kind', 'target.interop.kind', (c) => (c.target.interop.kind = 'matrix')],
  ['interop no recipient', 'target.interop', (c) => delete c.target.interop.recipient],
  ['interop port 70000', 'target.interop.baseUrl', (c) => (c.target.interop.baseUrl = 'https://h.test:70000/')],
  ['interop userinfo', 'target.interop.baseUrl', (c) => (c.target.interop.baseUrl = 'http://a:b@h.test/')],
  ['interop recipient empty', 'target.interop.recipient', (c) => (c.target.interop.recipient = '')],
  ['interop deviceId number', 'target.interop.deviceId', (c) => (c.target.interop.deviceId = 1)],
  ['userDriver kind', 'target.userDriver.kind', (c) => (c.target.userDriver.kind = 'selenium')],
  ['userDriver javascript', 'target.userDriver.baseUrl', (c) => (c.target.userDriver.baseUrl = 'javascript:alert(1)')],
  ['userDriver port text', 'target.userDriver.baseUrl', (c) => (c.target.userDriver.baseUrl = 'http://h.test:abc/')],
  ['cohorts not array', 'cohorts', (c) => (c.cohorts = {})],
  ['one cohort', 'cohorts', (c) => c.cohorts.pop()],
  ['cohort not object', 'cohorts[1]', (c) => (c.cohorts[1] = 'x')],
  ['cohort id missing', 'cohorts[1]', (c) => delete c.cohorts[1].id],
  ['cohort id upper', 'cohorts[1].id', (c) => (c.cohorts[1].id = 'Assistant')],
  ['cohort id duplicate', 'cohorts[1].id', (c) => (c.cohorts[1].id = 'meta-ai')],
  ['cohort role', 'cohorts[1].role', (c) => (c.cohorts[1].role = 'boss')],
  ['two references', 'cohorts', (c) => (c.cohorts[1].role = 'reference')],
  ['no reference', 'cohorts', (c) => (c.cohorts[0].role = 'subject')],
  ['cohort unknown key', 'cohorts[0]', (c) => (c.cohorts[0].password = 'x')],
  ['phoneNumberId number', 'cohorts[0].phoneNumberId', (c) => (c.cohorts[0].phoneNumberId = 1001)],
  ['phoneNumberId letters', 'cohorts[0].phoneNumberId', (c) => (c.cohorts[0].phoneNumberId = 'abc')],
  ['phoneNumberId missing', 'cohorts[0].phoneNumberId', (c) => delete c.cohorts[0].phoneNumberId],
  ['token missing', 'cohorts[1].token', (c) => delete c.cohorts[1].token],
  ['token empty', 'cohorts[1].token', (c) => (c.cohorts[1].token = '')],
  ['token env unset', 'cohorts[1].token', (c) => (c.cohorts[1].token = 'env:FUZZ_NOT_SET')],
  ['token env short', 'cohorts[1].token', (c) => (c.cohorts[1].token = 'env:FUZZ_SHORT')],
  ['token literal short', 'cohorts[0].token', (c) => (c.cohorts[0].token = 'tiny')],
  ['token number', 'cohorts[0].token', (c) => (c.cohorts[0].token = 12345678)],
  ['interopToken missing', 'cohorts[0].interopToken', (c) => delete c.cohorts[0].interopToken],
  ['interopToken short', 'cohorts[0].interopToken', (c) => (c.cohorts[0].interopToken = 'short')],
  ['label number', 'cohorts[0].label', (c) => (c.cohorts[0].label = 7)],
  ['recipient no waId', 'recipient', (c) => (c.recipient = {})],
  ['recipient waId plus', 'recipient.waId', (c) => (c.recipient.waId = '+15550001234')],
  ['webhook listen no port', 'webhook.listen', (c) => (c.webhook.listen = '127.0.0.1')],
  ['webhook listen 99999', 'webhook.listen', (c) => (c.webhook.listen = '127.0.0.1:99999')],
  ['webhook listen 65536', 'webhook.listen', (c) => (c.webhook.listen = 'localhost:65536')],
  ['webhook publicUrl userinfo', 'webhook.publicUrl', (c) => (c.webhook.publicUrl = 'https://u:p@tunnel.test/hook')],
  ['webhook publicUrl port', 'webhook.publicUrl', (c) => (c.webhook.publicUrl = 'https://tunnel.test:0/hook')],
  ['webhook publicUrl number', 'webhook.publicUrl', (c) => (c.webhook.publicUrl = 5)],
  ['appSecret short', 'webhook.appSecret', (c) => (c.webhook.appSecret = 'short')],
  ['verifyToken env short', 'webhook.verifyToken', (c) => (c.webhook.verifyToken = 'env:FUZZ_SHORT')],
  ['webhook unknown key', 'webhook', (c) => (c.webhook.port = 1)],
  ['maxRps zero', 'limits.maxRps', (c) => (c.limits.maxRps = 0)],
  ['maxRps string', 'limits.maxRps', (c) => (c.limits.maxRps = 'fast')],
  ['maxRps huge', 'limits.maxRps', (c) => (c.limits.maxRps = 1e9)],
  ['maxRequests float', 'limits.maxRequests', (c) => (c.limits.maxRequests = 1.5)],
  ['maxRequests negative', 'limits.maxRequests', (c) => (c.limits.maxRequests = -1)],
  ['maxRequestsPerCohort zero', 'limits.maxRequestsPerCohort', (c) => (c.limits.maxRequestsPerCohort = 0)],
  ['timeoutMs huge', 'limits.timeoutMs', (c) => (c.limits.timeoutMs = 10_000_000)],
  ['maxBodyBytes small', 'limits.maxBodyBytes', (c) => (c.limits.maxBodyBytes = 10)],
  ['maxTotalBodyBytes huge', 'limits.maxTotalBodyBytes', (c) => (c.limits.maxTotalBodyBytes = 1e15)],
  ['limits unknown key', 'limits', (c) => (c.limits.burst = 3)],
  ['alpha zero', 'analysis.alpha', (c) => (c.analysis.alpha = 0)],
  ['alpha one', 'analysis.alpha', (c) => (c.analysis.alpha = 1)],
  ['samples few', 'analysis.samples', (c) => (c.analysis.samples = 3)],
  ['samples float', 'analysis.samples', (c) => (c.analysis.samples = 10.5)],
  ['warmup negative', 'analysis.warmup', (c) => (c.analysis.warmup = -1)],
  ['latencyTypes empty', 'analysis.latencyTypes', (c) => (c.analysis.latencyTypes = [])],
  ['latencyTypes unknown', 'analysis.latencyTypes[0]', (c) => (c.analysis.latencyTypes = ['fax'])],
  ['latencyTypes duplicate', 'analysis.latencyTypes', (c) => (c.analysis.latencyTypes = ['text', 'text'])],
  ['latencyMarginPct', 'analysis.latencyMarginPct', (c) => (c.analysis.latencyMarginPct = 500)],
  ['analysis unknown key', 'analysis', (c) => (c.analysis.magic = true)],
  ['$comment number', '$comment', (c) => (c.$comment = 5)],
];

/** Files that are not a config, and command lines that cannot be acted on. */
function usages(): Array<[name: string, expected: RegExp, args: string[]]> {
  const file = (name: string, text: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const deep = file('deep.json', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
  const sub = join(dir, 'a-folder');
  mkdirSync(sub, { recursive: true });
  const fifo = join(dir, 'config.fifo');
  execFileSync('mkfifo', [fifo]);
  const locked = join(dir, 'locked');
  mkdirSync(locked, { recursive: true });
  chmodSync(locked, 0o500);
  const goodFile = file('good.json', JSON.stringify(valid()));
  const out = ['--out', join(dir, 'out')];
  return [
    ['missing config file', /nope\.json.*ENOENT/, ['run', '--config', join(dir, 'nope.json'), ...out]],
    ['config is a folder', /not a regular file/, ['run', '--config', sub, ...out]],
    ['config is a FIFO', /not a regular file/, ['run', '--config', fifo, ...out]],
    ['config is a device', /not a regular file/, ['run', '--config', '/dev/zero', ...out]],
    ['config not JSON', /not valid JSON/, ['run', '--config', file('bad.json', '{"target": '), ...out]],
    ['config empty', /not valid JSON/, ['run', '--config', file('empty.json', ''), ...out]],
    ['config nested 20000 deep', /nests deeper than 32 levels/, ['run', '--config', deep, ...out]],
    ['config is an array', /\(root\)/, ['run', '--config', file('array.json', '[]'), ...out]],
    ['config BOM then garbage', /not valid JSON/, ['run', '--config', file('bom.json', '\ufeff{x'), ...out]],
    ['--seed abc', /--seed must be an integer/, ['run', '--seed', 'abc', ...out]],
    ['--seed 1.5', /--seed must be an integer/, ['run', '--seed', '1.5', ...out]],
    ['--seed negative', /--seed must be an integer/, ['run', '--seed', '-3', ...out]],
    ['--samples -5', /--samples must be an integer/, ['run', '--samples', '-5', ...out]],
    ['--samples 1e999', /--samples must be an integer/, ['run', '--samples', '1e999', ...out]],
    ['--samples 0x10', /--samples must be an integer/, ['run', '--samples', '0x10', ...out]],
    ['--max-rps 0', /--max-rps must be a number above 0/, ['run', '--max-rps', '0', ...out]],
    ['--max-rps Infinity', /--max-rps must be a number/, ['run', '--max-rps', 'Infinity', ...out]],
    ['--max-requests nope', /--max-requests must be an integer/, ['run', '--max-requests', 'nope', ...out]],
    ['--max-requests 2.5', /--max-requests must be an integer/, ['run', '--max-requests', '2.5', ...out]],
    ['--reporter unknown', /unknown reporter "xml"/, ['run', '--reporter', 'xml', ...out]],
    ['--check unknown', /PAR-NOPE/, ['run', '--check', 'PAR-NOPE-*', ...out]],
    ['--suite unknown', /bogus/, ['run', '--suite', 'bogus', ...out]],
    ['--scenario with --config', /--scenario/, ['run', '--config', goodFile, '--scenario', 'compliant', ...out]],
    ['--scenario unknown', /atlantis/, ['run', '--scenario', 'atlantis', ...out]],
    ['--out under /proc', /--out \/proc\/x/, ['run', '--out', '/proc/x']],
    ['--out is a file', /exists and is not a folder/, ['run', '--out', goodFile]],
    // root may write anywhere a mode allows, so only an unprivileged run can test a read-only folder.
    process.getuid?.() === 0
      ? ['--out under /sys', /--out \/sys\/kernel\/x/, ['run', '--out', '/sys/kernel/x']]
      : ['--out not writable', /--out .*locked.*(EACCES|cannot)/, ['run', '--out', join(locked, 'sub')]],
    [
      'unreachable target',
      /target unreachable: businessApi http:\/\/127\.0\.0\.1:9\/graph/,
      ['run', '--config', goodFile, ...out],
    ],
    ['sim --port 99999', /--port must be an integer from 0 to 65535/, ['sim', '--port', '99999']],
    ['sim --port -1', /--port must be an integer/, ['sim', '--port', '-1']],
    ['sim --seed x', /--seed must be an integer/, ['sim', '--seed', 'x']],
    ['verify /etc', /\/etc is not an evidence bundle/, ['verify', '/etc']],
    ['verify missing', /cannot read bundle folder/, ['verify', join(dir, 'no-such-bundle')]],
    ['verify a file', /is not a folder/, ['verify', '/etc/hostname']],
    ['unknown command', /unknown command/, ['frobnicate']],
    ['unknown option', /unknown option/, ['run', '--frobnicate']],
  ];
}

let captured: string[] = [];
beforeAll(() => {
  Object.assign(process.env, ENV);
});
afterAll(() => {
  for (const key of Object.keys(ENV)) delete process.env[key];
  chmodSync(join(dir, 'locked'), 0o700);
});

/** Runs the CLI in-process and returns its exit code and stderr (stdout is discarded). */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  captured = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => captured.push(String(chunk)) > 0);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(args);
    return { code, stderr: captured.join('').replace(/\u001b\[[0-9;]*m/g, '') };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

function expectOneLine(stderr: string, expected: RegExp | string): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at .+:\d+/m);
  if (typeof expected === 'string') expect(lines[0]).toContain(`${expected}`);
  else expect(lines[0]).toMatch(expected);
}

describe(`config fuzz: ${MUTATIONS.length} bad configs`, () => {
  it.each(MUTATIONS)('%s → exit 2, one line naming %s', async (name, path, mutate) => {
    const config = valid();
    mutate(config);
    const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(config));
    const { code, stderr } = await cli(['run', '--config', file, '--out', join(dir, 'out')]);
    expect(code, stderr).toBe(2);
    expectOneLine(stderr, `${path}`);
  });
});

describe('bad usages and non-config files', () => {
  const cases = usages();
  it(`covers at least 80 bad configs and usages in all (${MUTATIONS.length + cases.length})`, () => {
    expect(MUTATIONS.length + cases.length).toBeGreaterThanOrEqual(80);
  });

  it.each(cases)('%s → exit 2, one line', async (_name, expected, args) => {
    const { code, stderr } = await cli(args);
    expect(code, stderr).toBe(2);
    expectOneLine(stderr, expected);
  });

  it('accepts a config with a UTF-8 byte order mark (it fails later, at the unreachable target)', async () => {
    const file = join(dir, 'with-bom.json');
    writeFileSync(file, `\ufeff${JSON.stringify(valid())}`);
    const { code, stderr } = await cli(['run', '--config', file, '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    expectOneLine(stderr, /target unreachable/);
  });

  it('the real binary prints one line and no stack for a bad number and a bad config', () => {
    const bin = join(import.meta.dirname, '..', 'bin', 'dma-audit.js');
    const config = valid();
    config.cohorts[1].role = 'boss';
    const file = join(dir, 'bin-bad.json');
    writeFileSync(file, JSON.stringify(config));
    for (const args of [
      ['run', '--seed', 'abc'],
      ['run', '--config', file, '--out', join(dir, 'out')],
    ]) {
      const run = spawnSync(process.execPath, [bin, ...args], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
  });
});
