/**
 * The Ed25519 key that signs evidence bundles: either a PKCS#8 PEM file given with `--sign-key`,
 * or a per-user key created once under `$DMA_AUDIT_HOME` (default `~/.config/dma-audit/`), so that
 * successive runs by the same auditor carry the same key id.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.js';

/** A loaded signing key with the public half in the forms the attestation records. */
export interface SigningKey {
  privateKey: KeyObject;
  /** PEM-encoded SubjectPublicKeyInfo. */
  publicKeyPem: string;
  /** Hex sha256 of the DER SubjectPublicKeyInfo. */
  keyId: string;
  /** True when the per-user key was created by this call (the CLI then prints it once). */
  isNew: boolean;
}

/** The signing key file is missing, unreadable, or not an Ed25519 private key. */
export class SigningKeyError extends HarnessError {
  constructor(message: string, cause?: unknown) {
    super('E_SIGN_KEY', message, {
      cause,
      hint: 'pass a PKCS#8 PEM Ed25519 private key, e.g. from `openssl genpkey -algorithm ed25519`',
    });
  }
}

const KEY_FILE = 'signing-key.pem';

/** Folder of per-user state: `$DMA_AUDIT_HOME`, else `~/.config/dma-audit`. */
export function dmaAuditHome(env: Record<string, string | undefined> = process.env): string {
  const home = env['DMA_AUDIT_HOME'];
  return home !== undefined && home !== '' ? home : join(homedir(), '.config', 'dma-audit');
}

/** Hex sha256 of a public key's DER SPKI: the stable key id used in attestations. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Parses a PEM public key (SPKI) and checks it is Ed25519; throws SigningKeyError otherwise. */
export function parsePublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error: unknown) {
    throw new SigningKeyError(`not a PEM public key: ${describe(error)}`, error);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`public key is ${key.asymmetricKeyType ?? 'unknown'}, not ed25519`);
  return key;
}

/** Loads `file` (PKCS#8 PEM Ed25519), or the per-user key, creating it with mode 0600 on first use. */
export async function loadSigningKey(
  file?: string,
  env: Record<string, string | undefined> = process.env,
): Promise<SigningKey> {
  if (file !== undefined) return fromPem(await readKeyFile(file), file, false);
  const dir = dmaAuditHome(env);
  const path = join(dir, KEY_FILE);
  const existing = await readIfExists(path);
  if (existing !== undefined) return fromPem(existing, path, false);
  return createUserKey(dir, path);
}

async function createUserKey(dir: string, path: string): Promise<SigningKey> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // `wx` so two runs starting at once cannot overwrite each other's key.
    await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (error: unknown) {
    if (isCode(error, 'EEXIST')) return fromPem(await readKeyFile(path), path, false);
    throw new SigningKeyError(`cannot create signing key ${path}: ${describe(error)}`, error);
  }
  return fromPem(pem, path, true);
}

function fromPem(pem: string, source: string, isNew: boolean): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error: unknown) {
    throw new SigningKeyError(`signing key ${source} is not a PEM private key: ${describe(error)}`, error);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`signing key ${source} is ${privateKey.asymmetricKeyType ?? 'unknown'}, not ed25519`);
  }
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, keyId: keyIdOf(publicKey), isNew };
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new SigningKeyError(`cannot read signing key ${path}: ${describe(error)}`, error);
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw new SigningKeyError(`cannot read signing key ${path}: ${describe(error)}`, error);
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
