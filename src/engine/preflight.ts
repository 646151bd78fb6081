/**
 * Checks made before any audited request (README, "Usage": bad input is one line, exit 2,
 * before any request): the output folder can be written, and at least one configured surface of the
 * target answers. A target nobody can reach is a harness error, never a set of violations.
 */
import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { dirname, join, resolve } from 'node:path';
import type { AuditConfig } from '../config/types.js';
import { OutputError, UnreachableError } from '../core/errors.js';

/** Filesystems whose folders are not storage: a bundle written there would be lost (or hang mkdir). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** Makes sure `dir` exists (creating missing parts one by one) and a file can be written in it. */
export async function ensureWritableDir(dir: string): Promise<void> {
  const full = resolve(dir);
  if (VIRTUAL_ROOTS.some((root) => full === root || full.startsWith(`${root}/`)))
    throw new OutputError(`--out ${dir}: ${full} is on a virtual filesystem, not storage`);
  await createMissing(full, dir);
  const probe = join(full, `.dma-audit-write-test-${process.pid}`);
  try {
    await access(full, constants.W_OK);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error: unknown) {
    throw new OutputError(`--out ${dir}: cannot write there (${errorCode(error)})`, error);
  }
}

async function createMissing(full: string, given: string): Promise<void> {
  const missing: string[] = [];
  for (let path = full; ; path = dirname(path)) {
    const kind = await kindOf(path);
    if (kind === 'dir') break;
    if (kind === 'other') throw new OutputError(`--out ${given}: ${path} exists and is not a folder`);
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) {
    try {
      await mkdir(path);
    } catch (error: unknown) {
      if (errorCode(error) !== 'EEXIST')
        throw new OutputError(`--out ${given}: cannot create ${path} (${errorCode(error)})`, error);
    }
  }
}

async function kindOf(path: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}

/** One configured surface and what its preflight request met. */
export interface SurfaceProbe {
  surface: 'businessApi' | 'interop' | 'userDriver';
  url: string;
  /** The HTTP status it answered with (any status counts as an answer), or null. */
  status: number | null;
  error?: string;
}

/** The surfaces a config names, with their base URLs. */
export function configuredSurfaces(config: AuditConfig): Array<{ surface: SurfaceProbe['surface']; url: string }> {
  const { businessApi, interop, userDriver } = config.target;
  return [
    ...(businessApi === undefined ? [] : [{ surface: 'businessApi' as const, url: businessApi.baseUrl }]),
    ...(interop === undefined ? [] : [{ surface: 'interop' as const, url: interop.baseUrl }]),
    ...(userDriver === undefined ? [] : [{ surface: 'userDriver' as const, url: userDriver.baseUrl }]),
  ];
}

/**
 * Sends one unauthenticated GET to each configured surface's base URL. Throws UnreachableError when
 * none answers; returns every probe otherwise (the caller logs the ones that did not answer).
 */
export async function preflight(config: AuditConfig, options: { timeoutMs?: number } = {}): Promise<SurfaceProbe[]> {
  const surfaces = configuredSurfaces(config);
  if (surfaces.length === 0) return [];
  const timeoutMs = Math.min(options.timeoutMs ?? config.limits.timeoutMs, 10_000);
  // One at a time, so the probes never burst past limits.maxRps; the caller counts them against maxRequests.
  const probes: SurfaceProbe[] = [];
  for (const s of surfaces) probes.push(await probe(s.surface, s.url, timeoutMs));
  if (probes.some((p) => p.status !== null)) return probes;
  const first = probes[0] as SurfaceProbe;
  const others = probes.length > 1 ? ` (and ${probes.length - 1} other surface(s) likewise)` : '';
  throw new UnreachableError(
    `target unreachable: ${first.surface} ${first.url} did not answer (${first.error ?? 'no answer'})${others}; nothing was audited`,
    'check the base URLs in the config and that the platform is up',
  );
}

function probe(surface: SurfaceProbe['surface'], url: string, timeoutMs: number): Promise<SurfaceProbe> {
  return new Promise((done) => {
    const finish = (status: number | null, error?: string): void =>
      done({ surface, url, status, ...(error === undefined ? {} : { error }) });
    let req: http.ClientRequest;
    try {
      const target = new URL(url);
      req = (target.protocol === 'https:' ? https : http).request(target, { method: 'GET', agent: false });
    } catch (error: unknown) {
      finish(null, error instanceof Error ? error.message : String(error));
      return;
    }
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      res.destroy();
      finish(res.statusCode ?? 0);
    });
    req.on('error', (error: Error) => {
      clearTimeout(timer);
      finish(null, (error as NodeJS.ErrnoException).code ?? error.message);
    });
    req.end();
  });
}
