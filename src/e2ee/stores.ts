/**
 * In-memory implementations of libsignal's protocol stores, one set per local device.
 * The harness and the sim's recipient device keep state only for the length of a run.
 */
import {
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyStore,
  PreKeyStore,
  SessionStore,
  SignedPreKeyStore,
} from '@signalapp/libsignal-client';
import type {
  Direction,
  IdentityKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SessionRecord,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';

/**
 * `tofu`: trust on first use, a changed identity for a known address is refused (the harness, so a
 * key swapped between fetches is noticed). `always`: any identity is accepted and replaces the old
 * one (the sim's recipient, which must answer every fresh harness client of a cohort).
 */
export type TrustPolicy = 'tofu' | 'always';

/** Identity store with a trust policy. */
export class MemoryIdentityKeyStore extends IdentityKeyStore {
  readonly #identities = new Map<string, PublicKey>();

  constructor(
    private readonly identity: IdentityKeyPair,
    private readonly registrationId: number,
    private readonly policy: TrustPolicy = 'tofu',
  ) {
    super();
  }

  override async getIdentityKey(): Promise<PrivateKey> {
    return this.identity.privateKey;
  }

  override async getIdentityKeyPair(): Promise<IdentityKeyPair> {
    return this.identity;
  }

  override async getLocalRegistrationId(): Promise<number> {
    return this.registrationId;
  }

  override async saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<IdentityChange> {
    const known = this.#identities.get(name.toString());
    this.#identities.set(name.toString(), key);
    return known !== undefined && !known.equals(key) ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }

  override async isTrustedIdentity(name: ProtocolAddress, key: PublicKey, _direction: Direction): Promise<boolean> {
    const known = this.#identities.get(name.toString());
    return this.policy === 'always' || known === undefined || known.equals(key);
  }

  override async getIdentity(name: ProtocolAddress): Promise<PublicKey | null> {
    return this.#identities.get(name.toString()) ?? null;
  }
}

/** Sessions keyed by address ("name.deviceId"). */
export class MemorySessionStore extends SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();

  override async saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.#sessions.set(name.toString(), record);
  }

  override async getSession(name: ProtocolAddress): Promise<SessionRecord | null> {
    return this.#sessions.get(name.toString()) ?? null;
  }

  override async getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return addresses.map((address) => {
      const record = this.#sessions.get(address.toString());
      if (record === undefined) throw new Error(`no session for ${address.toString()}`);
      return record;
    });
  }
}

/** One-time EC prekeys; removed once a PreKey message has used them. */
export class MemoryPreKeyStore extends PreKeyStore {
  readonly #records = new Map<number, PreKeyRecord>();

  override async savePreKey(id: number, record: PreKeyRecord): Promise<void> {
    this.#records.set(id, record);
  }

  /** Stores a freshly minted prekey under its own id. */
  add(record: PreKeyRecord): void {
    this.#records.set(record.id(), record);
  }

  override async getPreKey(id: number): Promise<PreKeyRecord> {
    const record = this.#records.get(id);
    if (record === undefined) throw new Error(`no prekey ${id}`);
    return record;
  }

  override async removePreKey(id: number): Promise<void> {
    this.#records.delete(id);
  }

  /** How many one-time prekeys are still unused. */
  get size(): number {
    return this.#records.size;
  }
}

/** Signed prekeys by id. */
export class MemorySignedPreKeyStore extends SignedPreKeyStore {
  readonly #records = new Map<number, SignedPreKeyRecord>();

  override async saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void> {
    this.#records.set(id, record);
  }

  /** Stores a freshly minted signed prekey under its own id. */
  add(record: SignedPreKeyRecord): void {
    this.#records.set(record.id(), record);
  }

  override async getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
    const record = this.#records.get(id);
    if (record === undefined) throw new Error(`no signed prekey ${id}`);
    return record;
  }
}

/** Kyber prekeys; one-time ones are dropped when used, last-resort ones are kept. */
export class MemoryKyberPreKeyStore extends KyberPreKeyStore {
  readonly #records = new Map<number, KyberPreKeyRecord>();
  readonly #lastResort = new Set<number>();

  override async saveKyberPreKey(id: number, record: KyberPreKeyRecord): Promise<void> {
    this.#records.set(id, record);
  }

  /** Stores a freshly minted Kyber prekey; a last-resort one survives use. */
  add(record: KyberPreKeyRecord, isLastResort = false): void {
    this.#records.set(record.id(), record);
    if (isLastResort) this.#lastResort.add(record.id());
  }

  override async getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
    const record = this.#records.get(id);
    if (record === undefined) throw new Error(`no kyber prekey ${id}`);
    return record;
  }

  override async markKyberPreKeyUsed(id: number, _signedPreKeyId: number, _baseKey: PublicKey): Promise<void> {
    if (!this.#lastResort.has(id)) this.#records.delete(id);
  }
}

/** Every store one local device needs, created together. */
export class ProtocolStores {
  readonly identity: MemoryIdentityKeyStore;
  readonly sessions = new MemorySessionStore();
  readonly preKeys = new MemoryPreKeyStore();
  readonly signedPreKeys = new MemorySignedPreKeyStore();
  readonly kyberPreKeys = new MemoryKyberPreKeyStore();

  constructor(identity: IdentityKeyPair, registrationId: number, policy: TrustPolicy = 'tofu') {
    this.identity = new MemoryIdentityKeyStore(identity, registrationId, policy);
  }
}
