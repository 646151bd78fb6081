/** Key generation for a Signal device (identity, signed prekey, one-time EC and Kyber prekeys). */
import { randomInt } from 'node:crypto';
import {
  IdentityKeyPair,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';
import { toBase64 } from './base64.js';
import { ProtocolStores } from './stores.js';
import { wireKyberPreKey, wirePreKey, wireSignedPreKey, type KeysUploadBody } from './wire.js';

/** A fresh registration id in Signal's 14-bit range (0 is reserved). */
export function newRegistrationId(): number {
  return randomInt(1, 16381);
}

/** A signed prekey whose signature is made with the identity key over the serialized public key. */
export function generateSignedPreKey(identity: IdentityKeyPair, keyId: number): SignedPreKeyRecord {
  const key = PrivateKey.generate();
  const signature = identity.privateKey.sign(key.getPublicKey().serialize());
  return SignedPreKeyRecord.new(keyId, Date.now(), key.getPublicKey(), key, signature);
}

/** A one-time EC prekey. */
export function generatePreKey(keyId: number): PreKeyRecord {
  const key = PrivateKey.generate();
  return PreKeyRecord.new(keyId, key.getPublicKey(), key);
}

/** A Kyber (ML-KEM/Kyber1024) prekey signed by the identity key, for PQXDH. */
export function generateKyberPreKey(identity: IdentityKeyPair, keyId: number): KyberPreKeyRecord {
  const pair = KEMKeyPair.generate();
  const signature = identity.privateKey.sign(pair.getPublicKey().serialize());
  return KyberPreKeyRecord.new(keyId, Date.now(), pair, signature);
}

/** A local Signal device: who it is and where its protocol state lives (the harness client or the sim's recipient). */
export interface LocalDevice {
  readonly name: string;
  readonly deviceId: number;
  readonly registrationId: number;
  readonly identity: IdentityKeyPair;
  readonly stores: ProtocolStores;
}

/** How a harness client names itself and how many prekeys it mints. */
export interface ClientIdentityOptions {
  /** The client's own address name (the cohort id on the interop API). */
  name?: string;
  deviceId?: number;
  preKeyCount?: number;
  kyberPreKeyCount?: number;
}

/** A third-party Signal client: its identity, its stores and the keys it publishes. */
export class ClientIdentity implements LocalDevice {
  readonly name: string;
  readonly deviceId: number;
  readonly registrationId: number;
  readonly identity: IdentityKeyPair;
  readonly stores: ProtocolStores;
  readonly signedPreKey: SignedPreKeyRecord;
  readonly preKeys: PreKeyRecord[];
  readonly kyberPreKeys: KyberPreKeyRecord[];
  readonly lastResortKyberPreKey: KyberPreKeyRecord;

  constructor(registrationId: number, options: ClientIdentityOptions) {
    const { name = 'dma-audit', deviceId = 1, preKeyCount = 10, kyberPreKeyCount = 5 } = options;
    this.name = name;
    this.deviceId = deviceId;
    this.registrationId = registrationId;
    this.identity = IdentityKeyPair.generate();
    this.stores = new ProtocolStores(this.identity, registrationId);
    this.signedPreKey = generateSignedPreKey(this.identity, 1);
    this.preKeys = range(preKeyCount).map((id) => generatePreKey(id));
    this.kyberPreKeys = range(kyberPreKeyCount).map((id) => generateKyberPreKey(this.identity, id));
    this.lastResortKyberPreKey = generateKyberPreKey(this.identity, kyberPreKeyCount + 1);
    this.#fillStores();
  }

  /** The serialized public identity key (33 bytes, type byte 0x05). */
  get identityKey(): Uint8Array {
    return this.identity.publicKey.serialize();
  }

  /** The exact JSON body of `PUT /v2/keys` publishing this client's keys. */
  uploadBody(): KeysUploadBody {
    return {
      identityKey: toBase64(this.identityKey),
      registrationId: this.registrationId,
      signedPreKey: wireSignedPreKey(this.signedPreKey),
      preKeys: this.preKeys.map(wirePreKey),
      pqPreKeys: this.kyberPreKeys.map(wireKyberPreKey),
      pqLastResortPreKey: wireKyberPreKey(this.lastResortKyberPreKey),
    };
  }

  #fillStores(): void {
    this.stores.signedPreKeys.add(this.signedPreKey);
    for (const record of this.preKeys) this.stores.preKeys.add(record);
    for (const record of this.kyberPreKeys) this.stores.kyberPreKeys.add(record);
    this.stores.kyberPreKeys.add(this.lastResortKyberPreKey, true);
  }
}

/** Creates a client with a fresh identity, signed prekey, one-time and Kyber prekeys. */
export function createClientIdentity(registrationId?: number, options: ClientIdentityOptions = {}): ClientIdentity {
  return new ClientIdentity(registrationId ?? newRegistrationId(), options);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}
