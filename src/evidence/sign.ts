/**
 * attestation.json: an in-toto Statement v1 over manifest.json and every file it lists, in a DSSE
 * envelope signed with Ed25519.
 *   in-toto Statement v1: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
 *   DSSE envelope and PAE: https://github.com/secure-systems-lab/dsse/blob/master/envelope.md
 *                          https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleReadError, OutputError } from '../core/errors.js';
import { validateAgainst } from '../core/schemas.js';
import { keyIdOf, parsePublicKey, type SigningKey } from './keys.js';
import { ATTESTATION_FILE, MANIFEST_FILE, parseManifest, sha256Hex, type BundleManifest } from './verify-manifest.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://dma-audit.dev/attestation/run/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** One attested file. */
export interface Subject {
  name: string;
  digest: { sha256: string };
}

/** What the signer asserts about a run. */
export interface RunPredicate {
  runId: string;
  tool: { name: string; version: string };
  manifestSha256: string;
  /** PEM SPKI of the signing key, so a bundle can be checked without a key server. */
  publicKey: string;
  /** Hex sha256 of the DER SPKI. */
  keyId: string;
}

/** The signed payload. */
export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: RunPredicate;
}

/** The file on disk (schemas/attestation.schema.json). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid?: string; sig: string }>;
}

/** DSSE pre-authentication encoding: binds the payload type into what is signed. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** The statement for a manifest: every listed file plus manifest.json itself. */
export function buildStatement(
  manifest: BundleManifest,
  manifestSha256: string,
  key: Pick<SigningKey, 'publicKeyPem' | 'keyId'>,
): Statement {
  const subject = manifest.files.map((file) => ({ name: file.path, digest: { sha256: file.sha256 } }));
  subject.push({ name: MANIFEST_FILE, digest: { sha256: manifestSha256 } });
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: {
      runId: manifest.runId,
      tool: manifest.tool,
      manifestSha256,
      publicKey: key.publicKeyPem,
      keyId: key.keyId,
    },
  };
}

/** Serialises and signs a statement into a DSSE envelope. */
export function signStatement(statement: Statement, privateKey: KeyObject, keyId: string): DsseEnvelope {
  const body = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = sign(null, pae(PAYLOAD_TYPE, body), privateKey);
  return {
    payloadType: PAYLOAD_TYPE,
    payload: body.toString('base64'),
    signatures: [{ keyid: keyId, sig: sig.toString('base64') }],
  };
}

/** Signs the bundle in `dir` (whose manifest.json is already written) and writes attestation.json. */
export async function attestBundle(dir: string, key: SigningKey): Promise<void> {
  const manifestBytes = await readBundleFile(dir, MANIFEST_FILE);
  const { manifest, problems } = parseManifest(manifestBytes);
  if (manifest === null) throw new BundleReadError(`cannot attest ${dir}: ${problems.join('; ')}`);
  const statement = buildStatement(manifest, sha256Hex(manifestBytes), key);
  const envelope = signStatement(statement, key.privateKey, key.keyId);
  try {
    await writeFile(join(dir, ATTESTATION_FILE), serialiseEnvelope(envelope));
  } catch (error: unknown) {
    throw new OutputError(`cannot write ${join(dir, ATTESTATION_FILE)}`, error);
  }
}

/** Outcome of checking attestation.json against the bundle. */
export interface AttestationCheck {
  ok: boolean;
  /** Id of the key the envelope is signed with (computed from its public key), when readable. */
  keyId: string | null;
  /** PEM of that key, for comparison with a pinned key. */
  publicKeyPem: string | null;
  problems: string[];
}

/** Checks the DSSE signature and that the statement's subjects are exactly manifest.json and its files. */
export async function checkAttestation(dir: string): Promise<AttestationCheck> {
  const opened = await openEnvelope(dir);
  if ('problems' in opened) return { ok: false, keyId: null, publicKeyPem: null, problems: opened.problems };
  const { statement, publicKey, keyId } = opened;
  const problems = [
    ...signatureProblems(opened.envelope, statement, publicKey, keyId),
    ...(await subjectProblems(dir, statement)),
  ];
  return { ok: problems.length === 0, keyId, publicKeyPem: statement.predicate.publicKey, problems };
}

interface OpenedEnvelope {
  envelope: DsseEnvelope;
  statement: Statement;
  publicKey: KeyObject;
  keyId: string;
}

async function openEnvelope(dir: string): Promise<OpenedEnvelope | { problems: string[] }> {
  const bytes = await readOptional(join(dir, ATTESTATION_FILE));
  if (bytes === null) return { problems: [`${ATTESTATION_FILE} is missing: the bundle is unsigned`] };
  const envelope = parseJson(bytes);
  if (envelope === undefined) return { problems: [`${ATTESTATION_FILE} is not valid JSON`] };
  const shape = validateAgainst('attestation.schema.json', envelope).map((line) => `${ATTESTATION_FILE}: ${line}`);
  if (shape.length > 0) return { problems: shape };
  const typed = envelope as DsseEnvelope;
  const layout = layoutProblems(bytes, typed);
  if (layout.length > 0) return { problems: layout };
  const statement = parseJson(Buffer.from(typed.payload, 'base64'));
  const statementProblems = checkStatementShape(statement);
  if (statementProblems.length > 0)
    return { problems: statementProblems.map((line) => `${ATTESTATION_FILE}: statement ${line}`) };
  const { predicate } = statement as Statement;
  let publicKey: KeyObject;
  try {
    publicKey = parsePublicKey(predicate.publicKey);
  } catch (error: unknown) {
    return {
      problems: [`${ATTESTATION_FILE}: predicate.publicKey: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  return { envelope: typed, statement: statement as Statement, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * attestation.json is not covered by any digest, so its bytes must be exactly what attestBundle
 * writes: otherwise whitespace or non-canonical base64 could change unnoticed.
 */
function layoutProblems(bytes: Buffer, envelope: DsseEnvelope): string[] {
  const isCanonical = (b64: string): boolean => Buffer.from(b64, 'base64').toString('base64') === b64;
  const problems: string[] = [];
  if (!isCanonical(envelope.payload) || envelope.signatures.some((s) => !isCanonical(s.sig)))
    problems.push(`${ATTESTATION_FILE}: payload or signature is not canonical base64`);
  else if (bytes.toString('utf8') !== serialiseEnvelope(envelope))
    problems.push(`${ATTESTATION_FILE}: bytes differ from the canonical serialisation of its envelope`);
  return problems;
}

/** The exact bytes attestBundle writes for an envelope. */
export function serialiseEnvelope(envelope: DsseEnvelope): string {
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

function signatureProblems(
  envelope: DsseEnvelope,
  statement: Statement,
  publicKey: KeyObject,
  keyId: string,
): string[] {
  const problems: string[] = [];
  const { predicate } = statement;
  if (predicate.keyId !== keyId)
    problems.push(
      `${ATTESTATION_FILE}: predicate.keyId ${predicate.keyId} is not the id of predicate.publicKey (${keyId})`,
    );
  const message = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  const valid = envelope.signatures.filter((signature) =>
    verify(null, message, publicKey, Buffer.from(signature.sig, 'base64')),
  );
  if (valid.length === 0) problems.push(`${ATTESTATION_FILE}: no signature verifies under the public key ${keyId}`);
  else if (valid.some((signature) => signature.keyid !== undefined && signature.keyid !== keyId)) {
    problems.push(`${ATTESTATION_FILE}: signature keyid does not match the signing key ${keyId}`);
  }
  return problems;
}

async function subjectProblems(dir: string, statement: Statement): Promise<string[]> {
  const manifestBytes = await readOptional(join(dir, MANIFEST_FILE));
  if (manifestBytes === null) return [`${MANIFEST_FILE} is missing, so the attested subjects cannot be matched`];
  const manifestSha = sha256Hex(manifestBytes);
  const problems: string[] = [];
  const attested = statement.subject.find((subject) => subject.name === MANIFEST_FILE)?.digest.sha256;
  if (attested !== statement.predicate.manifestSha256)
    problems.push(`${ATTESTATION_FILE}: predicate.manifestSha256 is not the attested digest of ${MANIFEST_FILE}`);
  const { manifest } = parseManifest(manifestBytes);
  const expected = new Map<string, string>([[MANIFEST_FILE, manifestSha]]);
  for (const file of manifest?.files ?? []) expected.set(file.path, file.sha256);
  if (manifest !== null && manifest.runId !== statement.predicate.runId)
    problems.push(
      `${ATTESTATION_FILE}: attests run ${statement.predicate.runId}, manifest is for run ${manifest.runId}`,
    );
  return [...problems, ...compareSubjects(statement.subject, expected, manifest !== null)];
}

/** Names every subject that is missing from, extra to, or different from the manifest. */
export function compareSubjects(
  subjects: Subject[],
  expected: Map<string, string>,
  isManifestReadable: boolean,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const subject of subjects) {
    if (seen.has(subject.name)) problems.push(`${subject.name}: attested more than once`);
    seen.add(subject.name);
    const sha = expected.get(subject.name);
    if (sha === undefined && isManifestReadable) problems.push(`${subject.name}: attested but not in ${MANIFEST_FILE}`);
    else if (sha !== undefined && sha !== subject.digest.sha256) {
      const source = subject.name === MANIFEST_FILE ? 'its sha256 is' : `${MANIFEST_FILE} lists sha256`;
      problems.push(`${subject.name}: ${source} ${sha}, the attestation says ${subject.digest.sha256}`);
    }
  }
  for (const name of expected.keys())
    if (!seen.has(name)) problems.push(`${name}: in ${MANIFEST_FILE} but not attested`);
  return problems;
}

function checkStatementShape(value: unknown): string[] {
  if (!isObject(value)) return ['is not a JSON object'];
  const problems: string[] = [];
  if (value['_type'] !== STATEMENT_TYPE) problems.push(`_type must be ${STATEMENT_TYPE}`);
  if (value['predicateType'] !== PREDICATE_TYPE) problems.push(`predicateType must be ${PREDICATE_TYPE}`);
  const subjects = value['subject'];
  const isSubject = (s: unknown): boolean =>
    isObject(s) && typeof s['name'] === 'string' && isObject(s['digest']) && typeof s['digest']['sha256'] === 'string';
  if (!Array.isArray(subjects) || !subjects.every(isSubject))
    problems.push('subject must be a list of {name, digest: {sha256}}');
  const predicate = value['predicate'];
  const fields = ['runId', 'manifestSha256', 'publicKey', 'keyId'];
  if (!isObject(predicate) || fields.some((field) => typeof predicate[field] !== 'string'))
    problems.push(`predicate must have string ${fields.join(', ')}`);
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error: unknown) {
    if (isObject(error) && error['code'] === 'ENOENT') return null;
    throw new BundleReadError(`cannot read ${path}`, error);
  }
}

async function readBundleFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${join(dir, name)}`, error);
  }
}
