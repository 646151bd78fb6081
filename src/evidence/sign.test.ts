import { verify } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  attestBundle,
  checkAttestation,
  pae,
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  serialiseEnvelope,
  signStatement,
  STATEMENT_TYPE,
  type DsseEnvelope,
  type Statement,
} from './sign.js';
import { testKey, writeSignedBundle } from './verify-fixture.test-helpers.js';
import { sha256Hex, type BundleManifest } from './verify-manifest.js';

async function readEnvelope(dir: string): Promise<DsseEnvelope> {
  return JSON.parse(await readFile(join(dir, 'attestation.json'), 'utf8')) as DsseEnvelope;
}

function statementOf(envelope: DsseEnvelope): Statement {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
}

async function writeEnvelope(dir: string, envelope: DsseEnvelope): Promise<void> {
  await writeFile(join(dir, 'attestation.json'), serialiseEnvelope(envelope));
}

describe('pae', () => {
  it('matches the DSSE protocol example', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters', () => {
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });
});

describe('attestBundle', () => {
  it('writes an Ed25519-signed DSSE envelope over an in-toto statement of manifest.json and its files', async () => {
    const { dir, key } = await writeSignedBundle();
    const envelope = await readEnvelope(dir);
    const statement = statementOf(envelope);
    const manifestBytes = await readFile(join(dir, 'manifest.json'));
    const manifest = JSON.parse(manifestBytes.toString()) as BundleManifest;
    expect(envelope.payloadType).toBe(PAYLOAD_TYPE);
    expect(statement._type).toBe(STATEMENT_TYPE);
    expect(statement.predicateType).toBe(PREDICATE_TYPE);
    expect(statement.subject).toEqual([
      ...manifest.files.map((f) => ({ name: f.path, digest: { sha256: f.sha256 } })),
      { name: 'manifest.json', digest: { sha256: sha256Hex(manifestBytes) } },
    ]);
    expect(statement.predicate).toEqual({
      runId: 'run-fixture-1',
      tool: manifest.tool,
      manifestSha256: sha256Hex(manifestBytes),
      publicKey: key.publicKeyPem,
      keyId: key.keyId,
    });
    expect(envelope.signatures).toHaveLength(1);
    expect(envelope.signatures[0]?.keyid).toBe(key.keyId);
    const message = pae(PAYLOAD_TYPE, Buffer.from(envelope.payload, 'base64'));
    expect(verify(null, message, key.publicKeyPem, Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'))).toBe(
      true,
    );
  });

  it('refuses to attest a folder without a manifest', async () => {
    const { dir } = await writeSignedBundle();
    await rm(join(dir, 'manifest.json'));
    await expect(attestBundle(dir, testKey())).rejects.toMatchObject({ code: 'E_BUNDLE' });
  });
});

describe('checkAttestation', () => {
  it('accepts an untouched bundle and reports the signing key id', async () => {
    const { dir, key } = await writeSignedBundle();
    expect(await checkAttestation(dir)).toEqual({
      ok: true,
      keyId: key.keyId,
      publicKeyPem: key.publicKeyPem,
      problems: [],
    });
  });

  it('reports a missing attestation as unsigned', async () => {
    const { dir } = await writeSignedBundle();
    await rm(join(dir, 'attestation.json'));
    const check = await checkAttestation(dir);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual(['attestation.json is missing: the bundle is unsigned']);
  });

  it('rejects a signature that does not match the payload', async () => {
    const { dir } = await writeSignedBundle();
    const envelope = await readEnvelope(dir);
    const sig = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
    sig[0] = (sig[0] ?? 0) ^ 1;
    await writeEnvelope(dir, {
      ...envelope,
      signatures: [{ keyid: envelope.signatures[0]?.keyid ?? '', sig: sig.toString('base64') }],
    });
    const check = await checkAttestation(dir);
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/no signature verifies under the public key/);
  });

  it('rejects a statement whose public key was swapped without re-signing', async () => {
    const { dir } = await writeSignedBundle();
    const envelope = await readEnvelope(dir);
    const statement = statementOf(envelope);
    const other = testKey();
    const swapped = {
      ...statement,
      predicate: { ...statement.predicate, publicKey: other.publicKeyPem, keyId: other.keyId },
    };
    await writeEnvelope(dir, { ...envelope, payload: Buffer.from(JSON.stringify(swapped)).toString('base64') });
    const check = await checkAttestation(dir);
    expect(check.ok).toBe(false);
    expect(check.keyId).toBe(other.keyId);
    expect(check.problems).toEqual([`attestation.json: no signature verifies under the public key ${other.keyId}`]);
  });

  it('names subjects that are missing, extra or different', async () => {
    const { dir, key } = await writeSignedBundle();
    const statement = statementOf(await readEnvelope(dir));
    const subject = statement.subject
      .filter((s) => s.name !== 'junit.xml')
      .map((s) => (s.name === 'results.json' ? { ...s, digest: { sha256: '0'.repeat(64) } } : s));
    subject.push({ name: 'extra.txt', digest: { sha256: '1'.repeat(64) } });
    await writeEnvelope(dir, signStatement({ ...statement, subject }, key.privateKey, key.keyId));
    const problems = (await checkAttestation(dir)).problems.join('\n');
    expect(problems).toMatch(/junit\.xml: in manifest\.json but not attested/);
    expect(problems).toMatch(/results\.json: manifest\.json lists sha256 [0-9a-f]{64}, the attestation says 0{64}/);
    expect(problems).toMatch(/extra\.txt: attested but not in manifest\.json/);
  });

  it('notices a manifest changed after signing', async () => {
    const { dir } = await writeSignedBundle();
    const path = join(dir, 'manifest.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('run-fixture-1', 'run-fixture-2'));
    const problems = (await checkAttestation(dir)).problems.join('\n');
    expect(problems).toMatch(/manifest\.json: its sha256 is [0-9a-f]{64}, the attestation says/);
    expect(problems).toMatch(/attests run run-fixture-1, manifest is for run run-fixture-2/);
  });

  it('rejects a re-formatted envelope and non-canonical base64', async () => {
    const { dir } = await writeSignedBundle();
    const envelope = await readEnvelope(dir);
    await writeFile(join(dir, 'attestation.json'), JSON.stringify(envelope));
    expect((await checkAttestation(dir)).problems).toEqual([
      'attestation.json: bytes differ from the canonical serialisation of its envelope',
    ]);
    const sig = envelope.signatures[0]?.sig ?? '';
    // Ed25519 signatures are 64 bytes: base64 ends in "==" and the char before carries 4 unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const loose = `${sig.slice(0, -3)}${alphabet[alphabet.indexOf(sig.at(-3) ?? 'A') ^ 1] ?? ''}==`;
    expect(Buffer.from(loose, 'base64')).toEqual(Buffer.from(sig, 'base64'));
    await writeEnvelope(dir, { ...envelope, signatures: [{ keyid: envelope.signatures[0]?.keyid ?? '', sig: loose }] });
    expect((await checkAttestation(dir)).problems).toEqual([
      'attestation.json: payload or signature is not canonical base64',
    ]);
  });

  it('rejects an envelope that is not DSSE', async () => {
    const { dir } = await writeSignedBundle();
    await writeFile(
      join(dir, 'attestation.json'),
      JSON.stringify({ payloadType: 'text/plain', payload: 'eA==', signatures: [] }),
    );
    const problems = (await checkAttestation(dir)).problems;
    expect(problems).toContain('attestation.json: payloadType: must be "application/vnd.in-toto+json"');
    expect(problems).toContain('attestation.json: signatures: must NOT have fewer than 1 items');
  });
});
