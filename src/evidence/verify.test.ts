import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/types.js';
import { attestBundle } from './sign.js';
import {
  echoRecompute,
  fixtureHar,
  fixtureResults,
  testKey,
  writeSignedBundle,
} from './verify-fixture.test-helpers.js';
import type { VerifyReport } from './verify-types.js';
import { verifyBundle } from './verify.js';

function failing(report: VerifyReport): Record<string, string[]> {
  return Object.fromEntries(report.checks.filter((check) => !check.ok).map((check) => [check.name, check.details]));
}

describe('verifyBundle on an untouched bundle', () => {
  it('passes every check', async () => {
    const { dir, key } = await writeSignedBundle();
    const report = await verifyBundle(dir, { recompute: echoRecompute, publicKeyPem: key.publicKeyPem });
    expect(failing(report)).toEqual({});
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual([
      'manifest',
      'paths',
      'digests',
      'signature',
      'public-key',
      'results',
      'har',
      'secrets',
      'recompute',
    ]);
  });
});

describe('verifyBundle detects tampering', () => {
  it('fails and names the file when any byte of any file changes', async () => {
    const { dir } = await writeSignedBundle();
    const names = (await readdir(dir)).sort();
    expect(names).toEqual([
      'attestation.json',
      'exchanges.har.gz',
      'junit.xml',
      'manifest.json',
      'report.html',
      'report.md',
      'results.json',
      'samples.ndjson',
    ]);
    for (const name of names) {
      const original = await readFile(join(dir, name));
      const positions = [0, Math.floor(original.length / 3), Math.floor(original.length / 2), original.length - 1];
      for (const position of positions) {
        const changed = Buffer.from(original);
        changed[position] = (changed[position] ?? 0) ^ 0x01;
        await writeFile(join(dir, name), changed);
        const report = await verifyBundle(dir, { recompute: echoRecompute });
        const where = `${name}@${position}`;
        expect(report.ok, where).toBe(false);
        expect(Object.values(failing(report)).flat().join('\n'), where).toContain(name);
      }
      await writeFile(join(dir, name), original);
    }
    expect((await verifyBundle(dir, { recompute: echoRecompute })).ok).toBe(true);
  });

  it('refuses a file the manifest does not list', async () => {
    const { dir } = await writeSignedBundle();
    await writeFile(join(dir, 'notes.txt'), 'added later\n');
    expect(failing(await verifyBundle(dir, { recompute: echoRecompute }))).toEqual({
      paths: ['notes.txt: in the folder but not listed in manifest.json'],
    });
  });

  it('refuses ../ and absolute paths in the manifest', async () => {
    const { dir, key } = await writeSignedBundle();
    const path = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(path, 'utf8')) as {
      files: Array<{ path: string; sha256: string; bytes: number }>;
    };
    manifest.files.push(
      { path: '../outside.json', sha256: '0'.repeat(64), bytes: 1 },
      { path: '/etc/passwd', sha256: '0'.repeat(64), bytes: 1 },
    );
    await writeFile(path, JSON.stringify(manifest));
    await attestBundle(dir, key);
    expect(failing(await verifyBundle(dir, { recompute: echoRecompute }))).toEqual({
      paths: [
        '"../outside.json": manifest path climbs out of the bundle ("..")',
        '"/etc/passwd": manifest path is absolute',
      ],
    });
  });

  it('rejects a wrong signature', async () => {
    const { dir } = await writeSignedBundle();
    const path = join(dir, 'attestation.json');
    const envelope = JSON.parse(await readFile(path, 'utf8')) as { signatures: Array<{ sig: string }> };
    const other = JSON.parse(
      await readFile(join((await writeSignedBundle()).dir, 'attestation.json'), 'utf8'),
    ) as typeof envelope;
    envelope.signatures = other.signatures;
    await writeFile(path, `${JSON.stringify(envelope, null, 2)}\n`);
    const problems = failing(await verifyBundle(dir, { recompute: echoRecompute }));
    expect(Object.keys(problems)).toEqual(['signature']);
    expect(problems['signature']?.join('\n')).toMatch(
      /attestation\.json: no signature verifies under the public key [0-9a-f]{64}/,
    );
  });

  it('rejects a bundle re-signed with another key when the key is pinned', async () => {
    const { dir, key } = await writeSignedBundle();
    const intruder = testKey();
    await attestBundle(dir, intruder);
    expect((await verifyBundle(dir, { recompute: echoRecompute })).ok).toBe(true);
    expect(failing(await verifyBundle(dir, { recompute: echoRecompute, publicKeyPem: key.publicKeyPem }))).toEqual({
      'public-key': [`signed by key ${intruder.keyId}, not the pinned key ${key.keyId}`],
    });
  });

  it('reports a planted Authorization: Bearer canary in the HAR without repeating it', async () => {
    const canary = 'CANARY-0123456789abcdef';
    const har = fixtureHar() as {
      log: { entries: Array<{ request: { headers: Array<{ name: string; value: string }> } }> };
    };
    const headers = har.log.entries[1]?.request.headers ?? [];
    headers[0] = { name: 'Authorization', value: `Bearer ${canary}` };
    const { dir } = await writeSignedBundle({ har });
    const report = await verifyBundle(dir, { recompute: echoRecompute });
    const text = gunzipSync(await readFile(join(dir, 'exchanges.har.gz'))).toString('utf8');
    const line = text.split('\n').findIndex((row) => row.includes(canary)) + 1;
    expect(line).toBe(3);
    expect(failing(report)).toEqual({
      secrets: [
        `exchanges.har.gz:${line}: Bearer token (23 chars) not redacted`,
        'exchanges.har.gz: log.entries[1].request header authorization is not "[REDACTED]" (30 chars)',
      ],
    });
    expect(JSON.stringify(report)).not.toContain(canary);
  });

  it('reports every finding whose recomputed verdict differs', async () => {
    const { dir } = await writeSignedBundle();
    const flip = (results: Parameters<typeof echoRecompute>[0]): Finding[] =>
      echoRecompute(results).map((finding) =>
        finding.checkId === 'PAR-LAT-001' ? ({ ...finding, verdict: 'pass' } as Finding) : finding,
      );
    expect(failing(await verifyBundle(dir, { recompute: flip }))).toEqual({
      recompute: ['PAR-LAT-001 assistant text: verdict recorded fail, recomputed pass'],
    });
  });

  it('names a summary that does not count the findings, even in a re-signed bundle', async () => {
    const recorded = fixtureResults();
    const findings = recorded.findings.map((f) => (f.verdict === 'fail' ? ({ ...f, verdict: 'pass' } as Finding) : f));
    const { dir } = await writeSignedBundle({ results: { ...recorded, findings } });
    expect(failing(await verifyBundle(dir, { recompute: echoRecompute }))).toEqual({
      results: [
        'results.json: summary.byVerdict.pass is 0, findings have 1',
        'results.json: summary.byVerdict.fail is 1, findings have 0',
      ],
    });
  });

  it('fails, rather than throws, when the manifest is missing or invalid', async () => {
    const { dir } = await writeSignedBundle();
    await writeFile(join(dir, 'manifest.json'), '{"schemaVersion": 2}');
    const problems = failing(await verifyBundle(dir, { recompute: echoRecompute }));
    expect(problems['manifest']).toContain('manifest.json: schemaVersion: must be 1');
    expect(problems['digests']).toEqual(['manifest.json unreadable, digests not checked']);
  });

  it('names files listed in the manifest but missing', async () => {
    const { dir } = await writeSignedBundle();
    await rm(join(dir, 'junit.xml'));
    expect(failing(await verifyBundle(dir, { recompute: echoRecompute }))).toEqual({
      digests: ['junit.xml: listed in manifest.json but missing'],
    });
  });
});

describe('verifyBundle on an unreadable bundle', () => {
  it('throws a BundleReadError (E_BUNDLE) for a folder that does not exist', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'dma-audit-')), 'nope');
    await expect(verifyBundle(missing, { recompute: echoRecompute })).rejects.toMatchObject({ code: 'E_BUNDLE' });
  });
});
