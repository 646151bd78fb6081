/**
 * The reference platform's interop API: a Signal-Server-shaped key and message API in front of a
 * real (libsignal) recipient device, with each role's E2EE treatment applied (docs/architecture.md, "Target surfaces").
 */
import { newRegistrationId } from '../../e2ee/keys.js';
import type { SimCohort, SimRequest, SimResponse, SimRoute, Treatment } from '../types.js';
import { KeyHolder } from './key-holder.js';
import { getKeys, putKeys } from './keys-api.js';
import { deleteMessage, getMessages, putMessages } from './messages-api.js';
import { RecipientDevice } from './recipient-device.js';
import { InteropState, type InteropStats } from './state.js';

export interface InteropRouteOptions {
  cohorts: SimCohort[];
  /** How the platform treats a cohort (its role's treatment); read on every request. */
  treatmentFor(cohort: SimCohort): Treatment;
  /** The recipient's identifier (a phone number such as '15550001234'). */
  recipient: string;
  /** The recipient's device id; 1 unless told otherwise. */
  deviceId?: number;
  /** Where the interop API is mounted on the sim's server ('' = at the root). */
  basePath?: string;
  /** Key fetches allowed per cohort before `429` with `Retry-After`; unlimited by default. */
  keyFetchLimit?: number;
  /** One-time Kyber prekeys on offer before the last-resort one is served. */
  kyberPoolSize?: number;
}

export interface InteropRoute {
  route: SimRoute;
  device: RecipientDevice;
  /** Counters of uploads, fetches, prekeys served per role, decryptions and tampering. */
  stats(): InteropStats;
}

/** Creates the interop surface; `route` answers its own paths and returns undefined for the rest. */
export function createInteropRoute(options: InteropRouteOptions): InteropRoute {
  const {
    recipient,
    deviceId = 1,
    basePath = '',
    keyFetchLimit = Number.POSITIVE_INFINITY,
    kyberPoolSize = 100,
  } = options;
  const registrationId = newRegistrationId();
  const device = new RecipientDevice(recipient, deviceId, registrationId, kyberPoolSize);
  const gateway = new KeyHolder(recipient, deviceId, registrationId, kyberPoolSize);
  const state = new InteropState(options.cohorts, options.treatmentFor, device, gateway, keyFetchLimit);
  const route: SimRoute = (request) => {
    const path = stripBase(request.path, basePath);
    const handler = path === null ? undefined : match(request.method.toUpperCase(), path);
    if (handler === undefined) return undefined;
    const cohort = authenticate(state, request);
    if (cohort === undefined) return { status: 401, json: { code: 401, message: 'Unauthorized' } };
    return handler(state, cohort, request);
  };
  return { route, device, stats: () => state.stats() };
}

type Handler = (state: InteropState, cohort: SimCohort, request: SimRequest) => SimResponse | Promise<SimResponse>;

/** The handler for a method and path, or undefined when the path is not part of the interop API. */
function match(method: string, path: string): Handler | undefined {
  const parts = path
    .split('/')
    .filter((part) => part !== '')
    .map(decodeSegment);
  const [version, resource, first, second] = parts;
  if (version === 'v2' && resource === 'keys') {
    if (method === 'PUT' && parts.length === 2) return (state, cohort, request) => putKeys(state, cohort, request.json);
    if (method === 'GET' && parts.length === 4) return (state, cohort) => getKeys(state, cohort, first!, second!);
  }
  if (version === 'v1' && resource === 'messages') {
    if (method === 'PUT' && parts.length === 3)
      return (state, cohort, request) => putMessages(state, cohort, first!, request.json);
    if (method === 'GET' && parts.length === 2) return (state, cohort) => getMessages(state, cohort);
    if (method === 'DELETE' && parts.length === 4 && first === 'uuid')
      return (state, cohort) => deleteMessage(state, cohort, second!);
  }
  return undefined;
}

/** A path segment with %-escapes decoded; a malformed escape is kept as written (it then matches nothing). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function authenticate(state: InteropState, request: SimRequest): SimCohort | undefined {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : '';
  return token === '' ? undefined : state.cohortByToken(token);
}

function stripBase(path: string, basePath: string): string | null {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed === '') return path;
  return path === trimmed || path.startsWith(`${trimmed}/`) ? path.slice(trimmed.length) : null;
}
