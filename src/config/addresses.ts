/**
 * The config's network addresses, checked fully before any request: base URLs are http(s) with a
 * host, a port in 1–65535 and no user:password (credentials in a URL would reach the HAR), and the
 * webhook's listen address has a host and a port in 0–65535.
 */
import type { AuditConfig } from './types.js';

/** The pattern of schemas/config.schema.json's httpUrl. */
const SCHEMA_URL = /^https?:\/\/[^\s]+$/;

/** Problems with every URL and listen address, each named by its JSON path. */
export function checkAddresses(config: AuditConfig): string[] {
  const { businessApi, interop, userDriver } = config.target;
  const urls: Array<[string, unknown]> = [
    ['target.businessApi.baseUrl', businessApi?.baseUrl],
    ['target.interop.baseUrl', interop?.baseUrl],
    ['target.userDriver.baseUrl', userDriver?.baseUrl],
    ['webhook.publicUrl', config.webhook?.publicUrl],
  ];
  // A value the schema's pattern already refuses is reported once, by the schema.
  const problems = urls.flatMap(([path, value]) =>
    typeof value === 'string' && SCHEMA_URL.test(value) ? urlProblems(path, value) : [],
  );
  const listen = config.webhook?.listen;
  if (typeof listen === 'string') problems.push(...listenProblems('webhook.listen', listen));
  return problems;
}

/** What is wrong with one base URL (empty when nothing). */
export function urlProblems(path: string, value: string): string[] {
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*)(?::([^/?#]*))?/i.exec(value)?.[1];
  if (port !== undefined && port !== '' && !isPort(port, 1)) return [`${path}: port must be 1–65535, got "${port}"`];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${path}: not a valid URL`];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [`${path}: scheme must be http or https`];
  if (url.hostname === '') return [`${path}: has no host`];
  if (url.username !== '' || url.password !== '')
    return [`${path}: must not carry user:password (credentials in a URL would be recorded); use the token fields`];
  return [];
}

/** What is wrong with a `host:port` listen address. */
export function listenProblems(path: string, value: string): string[] {
  const split = value.lastIndexOf(':');
  const host = value.slice(0, split);
  const port = value.slice(split + 1);
  // The schema's pattern already names a value that is not host:port; only the range is left to check.
  if (split <= 0 || host === '' || !/^\d+$/.test(port)) return [];
  if (!isPort(port, 0)) return [`${path}: port must be 0–65535, got "${port}"`];
  return [];
}

function isPort(text: string, min: number): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const port = Number(text);
  return port >= min && port <= 65535;
}
