/** The interop platform's state: who is who, published keys, message queues and counters. */
import type { KeysUpload } from '../../e2ee/upload.js';
import type { SimCohort, SimRole, Treatment } from '../types.js';
import type { KeyHolder } from './key-holder.js';
import type { RecipientDevice } from './recipient-device.js';

/** An envelope as `GET /v1/messages` lists it. */
export interface Envelope {
  guid: string;
  type: number;
  source: string;
  sourceDevice: number;
  content: string;
  timestamp: number;
}

/** A cohort's published keys and which one-time keys have been handed out. */
export interface PublishedKeys {
  upload: KeysUpload;
  preKeysServed: number;
  pqPreKeysServed: number;
}

/** Counts per key (cohort id or role), serialisable as a plain object. */
export class Counter {
  readonly #counts = new Map<string, number>();

  /** Adds `by` to `key`. */
  add(key: string, by = 1): void {
    this.#counts.set(key, this.get(key) + by);
  }

  /** The count for `key` (0 when never counted). */
  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  /** A snapshot as a plain object. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }
}

/** What happened on the interop surface, for tests and the sim's own report. */
export interface InteropStats {
  keyUploads: Record<string, number>;
  keyFetches: Record<string, number>;
  /** One-time EC prekeys handed out, per role (each role has its own allowance). */
  oneTimePreKeysServed: Record<string, number>;
  kyberPreKeysServed: Record<string, number>;
  messagesReceived: Record<string, number>;
  decrypted: Record<string, number>;
  decryptFailures: Record<string, number>;
  repliesTampered: Record<string, number>;
}

export class InteropState {
  readonly published = new Map<string, PublishedKeys>();
  readonly queues = new Map<string, Envelope[]>();
  readonly counters = {
    keyUploads: new Counter(),
    keyFetches: new Counter(),
    oneTimePreKeysServed: new Counter(),
    kyberPreKeysServed: new Counter(),
    messagesReceived: new Counter(),
    decrypted: new Counter(),
    decryptFailures: new Counter(),
    repliesTampered: new Counter(),
  };

  constructor(
    readonly cohorts: SimCohort[],
    readonly treatmentFor: (cohort: SimCohort) => Treatment,
    readonly device: RecipientDevice,
    /** The gateway's own identity, served instead of the device's under `substituteIdentityKey`. */
    readonly gateway: KeyHolder,
    readonly keyFetchLimit: number,
  ) {}

  /** The cohort whose interop token is presented, if any. */
  cohortByToken(token: string): SimCohort | undefined {
    return this.cohorts.find((cohort) => cohort.interopToken === token);
  }

  /** Queues an envelope for `cohortId`. */
  enqueue(cohortId: string, envelope: Envelope): void {
    const queue = this.queues.get(cohortId) ?? [];
    queue.push(envelope);
    this.queues.set(cohortId, queue);
  }

  /** How many one-time prekeys `role` has drawn so far. */
  preKeysDrawn(role: SimRole): number {
    return this.counters.oneTimePreKeysServed.get(role);
  }

  /** A snapshot of every counter. */
  stats(): InteropStats {
    const entries = Object.entries(this.counters).map(([name, counter]) => [name, counter.toJSON()]);
    return Object.fromEntries(entries) as unknown as InteropStats;
  }
}
