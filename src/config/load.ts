/** Loads a config: JSON → schema (ajv, defaults) → semantic rules → `env:NAME` secrets resolved. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { checkAddresses } from './addresses.js';
import { ConfigError } from '../core/errors.js';
import { validateAgainst } from '../core/schemas.js';
import type { AuditConfig, LoadedConfig } from './types.js';

const SECRET_FIELDS = ['token', 'interopToken', 'appSecret', 'verifyToken'] as const;

type Env = Record<string, string | undefined>;

/** Config files larger than this are refused unread (a config is a few KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Objects and arrays may nest at most this deep (the schema needs 5; deep nesting crashes structuredClone). */
export const MAX_CONFIG_DEPTH = 32;
/** Shorter secrets cannot be redacted without mangling ordinary text, so they are refused. */
export const MIN_SECRET_LENGTH = 8;

/** Reads and validates a config file; throws ConfigError listing every problem by JSON path. */
export async function loadConfigFile(file: string, env: Env = process.env): Promise<LoadedConfig> {
  return loadConfig(parseConfigText(file, await readConfigText(file)), env);
}

/** Reads a regular file of bounded size (a FIFO or device would block or never end). */
async function readConfigText(file: string): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error: unknown) {
    throw new ConfigError(`cannot read config file ${file}: ${codeOf(error)}`, [], { cause: error });
  }
  if (!info.isFile()) throw new ConfigError(`config file ${file} is not a regular file`);
  if (info.size > MAX_CONFIG_BYTES)
    throw new ConfigError(`config file ${file} is larger than ${MAX_CONFIG_BYTES} bytes`);
  try {
    return await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigError(`cannot read config file ${file}: ${codeOf(error)}`, [], { cause: error });
  }
}

/** JSON text (a UTF-8 byte order mark is accepted) → value, with the nesting depth bounded. */
export function parseConfigText(file: string, text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const depth = maxDepth(body);
  if (depth > MAX_CONFIG_DEPTH)
    throw new ConfigError(`config file ${file} nests deeper than ${MAX_CONFIG_DEPTH} levels (${depth})`);
  try {
    return JSON.parse(body) as unknown;
  } catch (error: unknown) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** Bracket nesting depth of JSON text, skipping strings; linear in the text. */
function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let isInString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (isInString) {
      if (c === '\\') i += 1;
      else if (c === '"') isInString = false;
    } else if (c === '"') isInString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth -= 1;
  }
  return max;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}

/** Validates an in-memory config object (the library entry point behind loadConfigFile). */
export function loadConfig(raw: unknown, env: Env = process.env): LoadedConfig {
  if (valueDepth(raw, 0) > MAX_CONFIG_DEPTH) throw invalid([`(root): nests deeper than ${MAX_CONFIG_DEPTH} levels`]);
  const data = structuredClone(raw);
  const schemaProblems = validateAgainst('config.schema.json', data, { useDefaults: true });
  // Rules and secrets are checked even when the schema fails, so one run lists every problem.
  const config = wellFormedEnough(data);
  const ruleProblems = config === undefined ? [] : [...checkRules(config), ...checkAddresses(config)];
  const digest = config === undefined ? '' : digestOf(config);
  const { secrets, warnings, secretProblems } =
    config === undefined ? { secrets: [], warnings: [], secretProblems: [] } : resolveSecrets(config, env);
  const all = [...new Set([...schemaProblems, ...ruleProblems, ...secretProblems])];
  if (all.length > 0 || config === undefined) throw invalid(all);
  return { config, secrets, warnings, digest };
}

/** The config, if its cohorts are objects in an array (enough structure for the semantic rules). */
function wellFormedEnough(data: unknown): AuditConfig | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const { cohorts, target } = data as { cohorts?: unknown; target?: unknown };
  const isObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!Array.isArray(cohorts) || !cohorts.every(isObject) || !isObject(target)) return undefined;
  return data as AuditConfig;
}

function invalid(problems: string[]): ConfigError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new ConfigError(`invalid config (${count})`, problems, {
    hint: 'schemas/config.schema.json describes every key',
  });
}

/** Depth of nested objects/arrays in an in-memory value, stopping as soon as it passes the limit. */
function valueDepth(value: unknown, depth: number): number {
  if (depth > MAX_CONFIG_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth + 1;
  for (const child of Object.values(value as Record<string, unknown>)) {
    max = Math.max(max, valueDepth(child, depth + 1));
    if (max > MAX_CONFIG_DEPTH) break;
  }
  return max;
}

function checkRules(config: AuditConfig): string[] {
  const problems: string[] = [];
  const references = config.cohorts.filter((cohort) => cohort.role === 'reference');
  if (references.length !== 1) {
    problems.push(`cohorts: exactly one cohort must have role "reference" (found ${references.length})`);
  }
  const seen = new Set<string>();
  config.cohorts.forEach((cohort, index) => {
    if (typeof cohort.id !== 'string') return;
    if (seen.has(cohort.id)) problems.push(`cohorts[${index}].id: duplicate id "${cohort.id}"`);
    seen.add(cohort.id);
    cohort.label ??= cohort.id;
    if (config.target.businessApi !== undefined && cohort.token === undefined) {
      problems.push(`cohorts[${index}].token: required when target.businessApi is set`);
    }
    if (config.target.businessApi !== undefined && cohort.phoneNumberId === undefined) {
      problems.push(`cohorts[${index}].phoneNumberId: required when target.businessApi is set`);
    }
    if (config.target.interop !== undefined && cohort.interopToken === undefined) {
      problems.push(`cohorts[${index}].interopToken: required when target.interop is set`);
    }
  });
  return problems;
}

interface SecretResolution {
  secrets: string[];
  warnings: string[];
  secretProblems: string[];
}

function resolveSecrets(config: AuditConfig, env: Env): SecretResolution {
  const result: SecretResolution = { secrets: [], warnings: [], secretProblems: [] };
  const holders: Array<[string, Record<string, unknown>]> = config.cohorts.map((cohort, i) => [
    `cohorts[${i}]`,
    cohort as unknown as Record<string, unknown>,
  ]);
  if (config.webhook !== undefined) holders.push(['webhook', config.webhook as unknown as Record<string, unknown>]);
  for (const [path, holder] of holders) {
    for (const field of SECRET_FIELDS) {
      const value = holder[field];
      if (typeof value !== 'string' || value === '') continue;
      const resolved = resolveOne(`${path}.${field}`, value, env, result);
      if (resolved !== undefined) {
        holder[field] = resolved;
        result.secrets.push(resolved);
      }
    }
  }
  return result;
}

function resolveOne(path: string, value: string, env: Env, result: SecretResolution): string | undefined {
  if (!value.startsWith('env:')) {
    if (value.length < MIN_SECRET_LENGTH) {
      result.secretProblems.push(
        `${path}: a secret must be at least ${MIN_SECRET_LENGTH} characters (it could not be redacted reliably)`,
      );
      return undefined;
    }
    result.warnings.push(`${path}: a literal secret is in the config file; prefer env:NAME`);
    return value;
  }
  const name = value.slice(4);
  const resolved = env[name];
  if (resolved === undefined || resolved === '') {
    result.secretProblems.push(`${path}: environment variable ${name} is not set`);
    return undefined;
  }
  if (resolved.length < MIN_SECRET_LENGTH) {
    result.secretProblems.push(
      `${path}: the secret in ${name} has ${resolved.length} characters; at least ${MIN_SECRET_LENGTH} are needed (it could not be redacted reliably)`,
    );
    return undefined;
  }
  return resolved;
}

/** Digest of the config as written (secrets still as references or masked), for the manifest. */
function digestOf(config: AuditConfig): string {
  const masked = JSON.stringify(config, (key, value: unknown) =>
    (SECRET_FIELDS as readonly string[]).includes(key) && typeof value === 'string' && !value.startsWith('env:')
      ? '[literal]'
      : value,
  );
  return `sha256:${createHash('sha256')
    .update(canonical(JSON.parse(masked)))
    .digest('hex')}`;
}

/** JSON with sorted keys, so the digest does not depend on key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
