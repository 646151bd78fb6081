/**
 * The fault modes of the hostile matrix: what the proxy does, which checks each mode exercises, and
 * which verdicts the evidence a mode leaves behind cannot support.
 */
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Verdict } from '../../src/core/types.js';
import type { ModeAction, ModeTools, Proxied, Surface } from './proxy.js';

/** One fault mode of the matrix. */
export interface FaultMode {
  name: string;
  /** Checks to run under this fault. */
  checks: string[];
  act: ModeAction;
  /** Verdicts that would claim more than the evidence shows, per check id. */
  forbid?: Record<string, Verdict[]>;
  /** What must (also) hold of the verdicts, e.g. a planted fee must not pass. */
  require?: Record<string, Verdict[]>;
}

/** What modes know about the platform behind the proxy. */
export interface ModeContext {
  appSecret: string;
}

const SEND_CHECKS = ['CONF-API-001', 'PAR-ERR-001', 'PAR-FEAT-001', 'PAR-FEE-001', 'PAR-POL-001'];
const WEBHOOK_CHECKS = ['CONF-WH-001', 'CONF-WH-002', 'CONF-WH-003', 'PAR-LAT-003'];
const E2EE_CHECKS = ['CONF-KEY-001', 'E2EE-KEY-001', 'E2EE-SES-001', 'E2EE-SES-002'];
const USER_CHECKS = ['PAR-LAT-002', 'PAR-FEAT-002'];

const noPass = (checks: readonly string[]): Record<string, Verdict[]> =>
  Object.fromEntries(checks.map((c) => [c, ['pass'] as Verdict[]]));
const noFail = (checks: readonly string[]): Record<string, Verdict[]> =>
  Object.fromEntries(checks.map((c) => [c, ['fail'] as Verdict[]]));

/** Marks a request as handled by the mode (the value is whatever the action returned). */
const done = (_value: unknown): true => true;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const ok = (tools: ModeTools, body: Buffer | string, headers: Record<string, string> = {}): true => {
  tools.send({ status: 200, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(body) });
  return true;
};

/** Applies `fn` to requests on `surface` (optionally only the subject's), forwarding the rest. */
function on(surface: Surface | Surface[], fn: ModeAction, who?: (r: Proxied) => boolean): ModeAction {
  const surfaces = Array.isArray(surface) ? surface : [surface];
  return (req, tools) => (surfaces.includes(req.surface) && (who?.(req) ?? true) ? fn(req, tools) : false);
}
const isSubject = (r: Proxied): boolean => r.cohort === 'assistant';

/** The platform's answer with a change to its headers, body or status text. */
function altered(
  change: (
    up: Awaited<ReturnType<ModeTools['upstream']>>,
    req: Proxied,
  ) => Partial<Awaited<ReturnType<ModeTools['upstream']>>>,
): ModeAction {
  return async (req, tools) => {
    const up = await tools.upstream();
    tools.send({ ...up, ...change(up, req) });
    return true;
  };
}

const token = (req: Proxied): string => (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
const withEcho = (up: { body: Buffer }, echo: string): Buffer => {
  try {
    return json({ ...(JSON.parse(up.body.toString('utf8')) as object), echo });
  } catch {
    return Buffer.from(`${up.body.toString('utf8')} ${echo}`);
  }
};

let bomb: Buffer | undefined;
/** 40 MiB of spaces, gzipped once (about 40 KiB on the wire). */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
  return bomb;
}

function sign(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Every mode of the matrix (≥ 40), by surface. */
export function faultModes(ctx: ModeContext): FaultMode[] {
  const sendBroken = { ...noPass([...SEND_CHECKS, 'PAR-RL-002']) };
  const send = (name: string, act: ModeAction, extra: Partial<FaultMode> = {}): FaultMode => ({
    name,
    checks: SEND_CHECKS,
    act: on('send', act),
    forbid: sendBroken,
    ...extra,
  });
  const hook = (name: string, act: ModeAction, forbid: Record<string, Verdict[]>): FaultMode => ({
    name,
    checks: WEBHOOK_CHECKS,
    act,
    forbid,
  });
  return [
    // Business API: answers that are not acceptances.
    send('send-reset-before-status', (_r, t) => done(t.socket.destroy())),
    send('send-reset-mid-body', async (_r, t) => {
      const up = await t.upstream();
      t.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(up.body.length + 50) });
      t.res.write(up.body.subarray(0, 20));
      setTimeout(() => t.socket.destroy(), 10);
      return true;
    }),
    send('send-invalid-json', (_r, t) => ok(t, '{"messages": [oops')),
    send('send-empty-object', (_r, t) => ok(t, '{}')),
    send('send-messages-string', (_r, t) => ok(t, '{"messaging_product":"whatsapp","messages":"x"}')),
    send('send-id-number', (_r, t) => ok(t, '{"messaging_product":"whatsapp","messages":[{"id":42}]}')),
    send('send-id-empty', (_r, t) => ok(t, '{"messaging_product":"whatsapp","messages":[{"id":""}]}')),
    send('send-redirect-302', (_r, t) => {
      t.send({ status: 302, headers: { location: 'http://evil.invalid/steal' } });
      return true;
    }),
    send('send-redirect-307', (_r, t) => {
      t.send({ status: 307, headers: { location: 'http://127.0.0.1:9/elsewhere' } });
      return true;
    }),
    send('send-gzip-bomb', (_r, t) => ok(t, gzipBomb(), { 'content-encoding': 'gzip' })),
    send('send-bad-gzip', (_r, t) => ok(t, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })),
    send('send-stall', () => true),
    send('send-stall-mid-body', (_r, t) => {
      t.res.writeHead(200, { 'content-type': 'application/json' });
      t.res.write('{"messages":[');
      return true;
    }),
    send('send-500-all', (_r, t) => {
      t.send({
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: json({ error: { code: 1, message: 'down' } }),
      });
      return true;
    }),
    send('send-html-502', (_r, t) => {
      t.send({ status: 502, headers: { 'content-type': 'text/html' }, body: Buffer.from('<html>bad gateway</html>') });
      return true;
    }),
    send('send-non-utf8', (_r, t) => ok(t, Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]))),
    send('send-short-content-length', async (_r, t) => {
      t.res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      t.res.end('{"messages":[{"id":"wamid.x"}]}');
      return true;
    }),
    send('send-huge-body', (_r, t) => ok(t, `{"messages":[{"id":"wamid.x"}],"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`)),
    send('send-header-flood', (_r, t) => {
      const headers = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-flood-${i}`, 'y'.repeat(200)]));
      return ok(t, '{"messages":[{"id":"wamid.x"}]}', headers);
    }),
    send('send-deep-json', (_r, t) => ok(t, `${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
    send(
      'send-wrong-content-type',
      altered((up) => ({ headers: { ...up.headers, 'content-type': 'text/html' } })),
      {
        forbid: {},
      },
    ),
    // Faults for everyone: retries must not turn them into a parity failure.
    send(
      'send-500-every-third',
      (r, t) => {
        if (r.n % 3 !== 0) return false;
        t.send({
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: json({ error: { code: 1, message: 'x' } }),
        });
        return true;
      },
      { forbid: noFail(['PAR-FEAT-001', 'PAR-POL-001', 'PAR-FEE-001']) },
    ),
    ...['soon!!', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT'].map((retryAfter, i) =>
      send(
        `send-429-retry-after-${['garbage', 'negative', 'past-date'][i] ?? i}`,
        (r, t) => {
          if (r.n % 3 !== 0) return false;
          t.send({
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': retryAfter },
            body: json({ error: { code: 130429, message: 'throughput' } }),
          });
          return true;
        },
        { forbid: noFail(['PAR-FEAT-001', 'PAR-POL-001']) },
      ),
    ),
    // Fees the subject is charged in forms the parser must still read.
    ...[
      ['fee-duplicate-header', ['0.0572', '0.0572']],
      ['fee-comma-decimal', '0,0572 EUR'],
      ['fee-currency-before', 'EUR0.0572'],
      ['fee-lowercase-code-after', '0,0572 eur'],
    ].map(([name, value]): FaultMode => ({
      name: name as string,
      checks: ['PAR-FEE-001'],
      act: on(
        'send',
        altered((up) => ({ headers: { ...up.headers, 'x-fee-amount': value as string | string[] } })),
        isSubject,
      ),
      require: { 'PAR-FEE-001': ['fail'] },
    })),
    send(
      'fee-negative',
      altered((up) => ({ headers: { ...up.headers, 'x-fee-amount': '-0.05' } })),
      { forbid: {} },
    ),
    // Credentials reflected in every place and form: none may reach disk.
    ...secretModes(),
    // Webhooks (the proxy stands between the platform and the harness's receiver).
    hook(
      'hook-forged-signature',
      on('hook-post', (_r, t) =>
        t.upstream({ headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } }).then((up) => done(t.send(up))),
      ),
      noPass(['CONF-WH-002', 'CONF-WH-003', 'PAR-LAT-003']),
    ),
    hook(
      'hook-unsigned',
      on('hook-post', (_r, t) => t.upstream({ headers: { 'x-hub-signature-256': '' } }).then((up) => done(t.send(up)))),
      noPass(['CONF-WH-002', 'CONF-WH-003', 'PAR-LAT-003']),
    ),
    hook(
      'hook-garbage-json',
      on('hook-post', (_r, t) => {
        const body = Buffer.from('{not json');
        return t
          .upstream({ body, headers: { 'x-hub-signature-256': sign(ctx.appSecret, body) } })
          .then((up) => done(t.send(up)));
      }),
      noPass(['CONF-WH-003', 'PAR-LAT-003']),
    ),
    hook(
      'hook-huge-signed',
      on('hook-post', (r, t) => {
        const body = Buffer.concat([r.body.subarray(0, -1), Buffer.from(`,"pad":"${'x'.repeat(1_500_000)}"}`)]);
        return t
          .upstream({ body, headers: { 'x-hub-signature-256': sign(ctx.appSecret, body) } })
          .then((up) => done(t.send(up)));
      }),
      noPass(['PAR-LAT-003']),
    ),
    hook(
      'hook-flood',
      on('hook-post', async (_r, t) => {
        const answers = await Promise.all(Array.from({ length: 8 }, () => t.upstream()));
        t.send(answers[0] ?? { status: 200 });
        return true;
      }),
      {},
    ),
    hook(
      'hook-drop',
      on('hook-post', (_r, t) => ok(t, 'EVENT_RECEIVED')),
      noPass(['CONF-WH-002', 'CONF-WH-003', 'PAR-LAT-003']),
    ),
    hook(
      'hook-verify-wrong-token',
      on('hook-get', async (r, t) => {
        const path = r.path.replace(/hub\.verify_token=[^&]*/, 'hub.verify_token=wrong-token-xyz');
        t.send(await t.upstream({ path }));
        return true;
      }),
      noPass(['CONF-WH-001']),
    ),
    hook(
      'hook-verify-dropped',
      on('hook-get', (_r, t) => ok(t, 'nope')),
      noPass(['CONF-WH-001']),
    ),
    hook(
      'override-reset',
      on('override', (_r, t) => done(t.socket.destroy())),
      { ...noPass(['CONF-WH-001', 'PAR-LAT-003']), ...noFail(['CONF-WH-001']) },
    ),
    // Interop keys and messages.
    ...(
      [
        ['keys-404', on('keys', (_r, t) => done(t.send({ status: 404 })))],
        ['keys-garbage', on('keys', (_r, t) => ok(t, '{"identityKey":"!!!","devices":[{"deviceId":1}]}'))],
        ['keys-reset', on('keys', (_r, t) => done(t.socket.destroy()))],
        [
          'keys-redirect',
          on('keys', (_r, t) => done(t.send({ status: 302, headers: { location: 'http://evil.invalid/' } }))),
        ],
        ['interop-put-500', on('interop-put', (_r, t) => done(t.send({ status: 500 })))],
        [
          'interop-fabricated-reply',
          on(['interop-put', 'interop-get'], (r, t) =>
            r.surface === 'interop-put'
              ? done(
                  t.send({
                    status: 200,
                    headers: { 'content-type': 'application/json' },
                    body: json({ needsSync: false }),
                  }),
                )
              : ok(
                  t,
                  json({
                    messages: [
                      { guid: 'g-1', type: 1, source: 'x', sourceDevice: 1, content: '!!garbage!!', timestamp: 1 },
                    ],
                    more: false,
                  }),
                ),
          ),
        ],
      ] as Array<[string, ModeAction]>
    ).map(([name, act]): FaultMode => ({
      name,
      checks: E2EE_CHECKS,
      act,
      forbid: name.startsWith('interop') ? noPass(['E2EE-SES-001', 'E2EE-SES-002']) : noPass(E2EE_CHECKS),
    })),
    // The user driver.
    ...(
      [
        ['user-500', on('user', (_r, t) => done(t.send({ status: 500 })))],
        ['user-reset', on('user', (_r, t) => done(t.socket.destroy()))],
        ['user-empty-200', on('user', (_r, t) => ok(t, '{}'))],
      ] as Array<[string, ModeAction]>
    ).map(([name, act]): FaultMode => ({ name, checks: USER_CHECKS, act, forbid: noPass(['PAR-LAT-002']) })),
  ];
}

/** Modes that reflect the caller's credentials back in every place and form. */
function secretModes(): FaultMode[] {
  const reflect = (
    name: string,
    change: (up: Parameters<Parameters<typeof altered>[0]>[0], secret: string) => object,
  ): FaultMode => ({
    name,
    checks: ['CONF-API-001', 'CONF-API-002', 'PAR-ERR-001'],
    act: on(
      ['send', 'graph', 'override'],
      altered((up, req) => change(up, token(req))),
    ),
  });
  const b = (s: string): Buffer => Buffer.from(s);
  return [
    reflect('secret-in-status-text', (_up, s) => ({ statusText: `OK ${s}` })),
    reflect('secret-in-header-name', (up, s) => ({ headers: { ...up.headers, [`x-echo-${s}`]: '1' } })),
    reflect('secret-in-header-value', (up, s) => ({ headers: { ...up.headers, 'x-echo': `Bearer ${s}` } })),
    reflect('secret-hex-in-header', (up, s) => ({
      headers: { ...up.headers, 'x-echo-hex': b(s).toString('hex').toUpperCase() },
    })),
    reflect('secret-base64-in-body', (up, s) => ({ body: withEcho(up, b(`Bearer ${s}`).toString('base64')) })),
    reflect('secret-base64url-in-body', (up, s) => ({ body: withEcho(up, b(`x${s}`).toString('base64url')) })),
    reflect('secret-urlencoded-in-body', (up, s) => ({ body: withEcho(up, encodeURIComponent(`token=${s}&x=1`)) })),
    reflect('secret-uppercase-in-body', (up, s) => ({ body: withEcho(up, s.toUpperCase()) })),
    reflect('secret-in-set-cookie', (up, s) => ({ headers: { ...up.headers, 'set-cookie': `sid=${s}; Path=/` } })),
    reflect('secret-in-location', (up, s) => ({
      headers: { ...up.headers, location: `http://h.test/?access_token=${s}` },
    })),
    reflect('probe-token-reflection', (up, s) => ({
      body: withEcho(up, `Bearer ${s}`),
      headers: { ...up.headers, 'x-echo': `Bearer ${s}` },
    })),
  ];
}
