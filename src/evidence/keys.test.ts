import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dmaAuditHome, keyIdOf, loadSigningKey, parsePublicKey, SigningKeyError } from './keys.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dma-audit-keys-'));
}

describe('loadSigningKey', () => {
  it('creates a per-user key with mode 0600 once, then reuses it', async () => {
    const home = join(await tempDir(), 'home');
    const env = { DMA_AUDIT_HOME: home };
    const first = await loadSigningKey(undefined, env);
    const second = await loadSigningKey(undefined, env);
    expect(first.isNew).toBe(true);
    expect(second.isNew).toBe(false);
    expect(second.keyId).toBe(first.keyId);
    expect((await stat(join(home, 'signing-key.pem'))).mode & 0o777).toBe(0o600);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('reads a PKCS#8 Ed25519 file and derives the key id from the DER SPKI', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = join(await tempDir(), 'key.pem');
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const key = await loadSigningKey(file, {});
    expect(key.keyId).toBe(keyIdOf(publicKey));
    expect(key.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(key.isNew).toBe(false);
  });

  it('rejects a missing file, garbage and a non-Ed25519 key with E_SIGN_KEY', async () => {
    const dir = await tempDir();
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'not a key');
    const rsa = join(dir, 'rsa.pem');
    await writeFile(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    for (const file of [join(dir, 'absent.pem'), garbage, rsa]) {
      const error = await loadSigningKey(file, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningKeyError);
      expect((error as SigningKeyError).code).toBe('E_SIGN_KEY');
    }
    await expect(loadSigningKey(rsa, {})).rejects.toThrow(/rsa, not ed25519/);
  });

  it('does not overwrite a key file it did not create', async () => {
    const home = await tempDir();
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(join(home, 'signing-key.pem'), pem);
    const key = await loadSigningKey(undefined, { DMA_AUDIT_HOME: home });
    expect(key.isNew).toBe(false);
    expect(await readFile(join(home, 'signing-key.pem'), 'utf8')).toBe(pem);
  });
});

describe('dmaAuditHome and parsePublicKey', () => {
  it('defaults to ~/.config/dma-audit and honours DMA_AUDIT_HOME', () => {
    expect(dmaAuditHome({})).toMatch(/[/\\]\.config[/\\]dma-audit$/);
    expect(dmaAuditHome({ DMA_AUDIT_HOME: '/x/y' })).toBe('/x/y');
  });

  it('accepts an Ed25519 SPKI PEM and refuses others', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(keyIdOf(parsePublicKey(pem))).toBe(keyIdOf(publicKey));
    expect(() => parsePublicKey('junk')).toThrow(SigningKeyError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => parsePublicKey(ec)).toThrow(/ec, not ed25519/);
  });
});
