/** Compiles the JSON Schemas in schemas/ once and turns ajv errors into `json.path: message` lines. */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { packagePath } from './paths.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function createAjv(useDefaults: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults });
  addFormats(ajv);
  return ajv;
}

const withDefaults = createAjv(true);
const plain = createAjv(false);
const cache = new Map<string, ValidateFunction>();

/** The compiled validator for `schemas/<name>`; `useDefaults` fills defaults into the data it checks. */
export function schemaValidator(name: string, options: { useDefaults?: boolean } = {}): ValidateFunction {
  const isDefaulting = options.useDefaults === true;
  const key = `${isDefaulting ? 'd' : 'p'}:${name}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const schema = JSON.parse(readFileSync(packagePath('schemas', name), 'utf8')) as { $id?: string };
  const ajv = isDefaulting ? withDefaults : plain;
  const validate = (schema.$id !== undefined ? ajv.getSchema(schema.$id) : undefined) ?? ajv.compile(schema);
  cache.set(key, validate);
  return validate;
}

/** Validates `data` against `schemas/<name>`, returning every problem by JSON path (empty when valid). */
export function validateAgainst(name: string, data: unknown, options: { useDefaults?: boolean } = {}): string[] {
  const validate = schemaValidator(name, options);
  return validate(data) ? [] : formatAjvErrors(validate.errors ?? []);
}

/** `/cohorts/1/role` → `cohorts[1].role`; the root is `(root)`. */
export function jsonPath(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/** One readable line per ajv error, deduplicating the noise that `oneOf` produces. */
export function formatAjvErrors(errors: ErrorObject[]): string[] {
  const lines = errors.filter((error) => error.keyword !== 'if').map(formatOne);
  return [...new Set(lines)];
}

function formatOne(error: ErrorObject): string {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path}: unknown key "${String(params.additionalProperty)}"`;
    case 'required':
      return `${path}: missing required key "${String(params.missingProperty)}"`;
    case 'enum':
      return `${path}: must be ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'const':
      return `${path}: must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${path}: ${error.message ?? 'is invalid'}`;
  }
}

/** Validates `data` against one definition inside `schemas/<name>` (e.g. `#/definitions/entry`), one HAR entry at a time. */
export function validateFragment(name: string, fragment: string, data: unknown): string[] {
  const whole = schemaValidator(name);
  const id = (whole.schema as { $id?: string }).$id ?? name;
  const validate = plain.getSchema(`${id}${fragment}`);
  if (validate === undefined) throw new Error(`schemas/${name} has no ${fragment}`);
  return validate(data) ? [] : formatAjvErrors(validate.errors ?? []);
}
