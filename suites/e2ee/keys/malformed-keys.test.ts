import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { createClientIdentity, type WireKeyBundle } from '../../../src/e2ee/index.js';
import { runAudit } from '../../../src/app/audit.js';
import { loadSigningKey } from '../../../src/evidence/keys.js';
import type { Finding } from '../../../src/core/types.js';

const RECIPIENT = '15550001234';
/** Interop tokens are secrets (redacted from everything recorded), so they must not be words a reason could contain. */
const WRONG_TYPE = 'tok-type-9b2c';
const TRUNCATED = 'tok-short-7d3e';

/** The recipient's keys: one identity for every fetch (nobody answers messages, so no device holds them). */
const recipientKeys = createClientIdentity(9).uploadBody();

/** A sound bundle of the recipient's keys. */
function soundBundle(): WireKeyBundle {
  const body = recipientKeys;
  return {
    identityKey: body.identityKey,
    devices: [
      {
        deviceId: 1,
        registrationId: 9,
        signedPreKey: body.signedPreKey,
        preKey: body.preKeys[0] ?? null,
        pqPreKey: body.pqPreKeys[0] ?? null,
      },
    ],
  };
}

/** The bundle each interop token is served: sound, a wrong identity-key type byte, or a truncated Kyber key. */
function bundleFor(token: string): WireKeyBundle {
  const bundle = soundBundle();
  const device = bundle.devices[0]!;
  if (token === WRONG_TYPE) {
    const key = Buffer.from(bundle.identityKey, 'base64');
    key[0] = 0x07;
    return { ...bundle, identityKey: key.toString('base64') };
  }
  if (token === TRUNCATED) {
    const pq = device.pqPreKey!;
    return {
      ...bundle,
      devices: [
        {
          ...device,
          pqPreKey: { ...pq, publicKey: Buffer.from(pq.publicKey, 'base64').subarray(0, 800).toString('base64') },
        },
      ],
    };
  }
  return bundle;
}

/** A key server that serves broken key material and refuses every message. */
function brokenKeyServer(): Promise<{ server: Server; url: string; sends: string[] }> {
  const sends: string[] = [];
  const server = createServer((req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    req.resume();
    req.on('end', () => {
      const send = (status: number, json?: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      if (req.method === 'GET' && req.url === `/v2/keys/${RECIPIENT}/1`) return send(200, bundleFor(token));
      if (req.method === 'PUT' && req.url === '/v2/keys') return send(204);
      if (req.method === 'PUT' && req.url?.startsWith('/v1/messages/') === true) {
        sends.push(token);
        return send(500, { code: 500, message: 'relay down' });
      }
      return send(200, { messages: [], more: false });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, sends, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe('malformed key material from a live target', () => {
  let target: Awaited<ReturnType<typeof brokenKeyServer>>;
  beforeAll(async () => {
    target = await brokenKeyServer();
  });
  afterAll(() => new Promise<void>((resolve) => target.server.close(() => resolve())));

  it('turns every malformation into fail or error findings with the reason, never a crash', async () => {
    const config = loadConfig(
      {
        target: {
          name: 'broken key server',
          interop: { kind: 'signal-keys', baseUrl: target.url, recipient: RECIPIENT },
        },
        cohorts: [
          { id: 'ref', label: 'Reference', role: 'reference', interopToken: 'tok-sound-4f1a' },
          { id: 'typed', label: 'Assistant A', role: 'subject', interopToken: WRONG_TYPE },
          { id: 'short', label: 'Assistant B', role: 'subject', interopToken: TRUNCATED },
        ],
        limits: { maxRps: 100, maxRequests: 500 },
      },
      {},
    );
    const signingKey = await loadSigningKey(undefined, {
      DMA_AUDIT_HOME: mkdtempSync(join(tmpdir(), 'dma-audit-e2ee-home-')),
    });
    const { results, exitCode } = await runAudit({
      config,
      suites: ['e2ee'],
      seed: 3,
      outDir: mkdtempSync(join(tmpdir(), 'dma-audit-e2ee-')),
      signingKey,
    });
    const of = (check: string, cohort: string): Finding | undefined =>
      results.findings.find((f) => f.checkId === check && f.cohort === cohort);
    const reasonOf = (finding: Finding | undefined): string => (finding?.verdict === 'error' ? finding.reason : '');

    expect(of('E2EE-KEY-001', 'ref')?.verdict).toBe('pass');
    expect(of('E2EE-KEY-001', 'typed')?.verdict).toBe('fail');
    expect(of('E2EE-KEY-001', 'typed')?.summary).toContain('identityKey: wrong key type byte 0x07 (0x05 expected)');
    expect(of('E2EE-KEY-001', 'short')?.summary).toContain('truncated Kyber key: 800 bytes (1569 expected)');
    expect(of('E2EE-KEY-002', 'short')?.verdict).toBe('error');
    expect(reasonOf(of('E2EE-KEY-003', 'typed'))).toContain('wrong key type byte');
    expect(reasonOf(of('E2EE-KEY-004', 'short'))).toContain('truncated Kyber key');
    expect(of('E2EE-SES-001', 'ref')?.summary).toContain('the relay refused the encrypted message (HTTP 500)');
    expect(of('E2EE-SES-001', 'ref')?.measurements['stages']).toEqual({ 'send-failed': 2 });
    expect(target.sends).toEqual(['tok-sound-4f1a', 'tok-sound-4f1a', 'tok-sound-4f1a', 'tok-sound-4f1a']);
    expect(of('E2EE-SES-001', 'typed')?.summary).toContain('no usable key bundle was served');
    expect(reasonOf(of('E2EE-SES-003', 'short'))).toContain('no usable key bundle');
    expect(results.findings.filter((f) => f.verdict === 'pass').map((f) => `${f.checkId} ${f.cohort}`)).toEqual([
      'E2EE-KEY-001 ref',
      'E2EE-KEY-002 ref',
      'E2EE-KEY-003 ref',
      'E2EE-SES-003 ref',
    ]);
    expect(exitCode).toBe(1);
  });
});
