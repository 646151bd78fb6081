/**
 * A holder of Signal keys that mints one-time prekeys on demand: the recipient's real device, or
 * the gateway's own identity when it substitutes keys. Private halves stay in the holder's stores.
 */
import { IdentityKeyPair } from '@signalapp/libsignal-client';
import type { KyberPreKeyRecord, SignedPreKeyRecord } from '@signalapp/libsignal-client';
import { generateKyberPreKey, generatePreKey, generateSignedPreKey, type LocalDevice } from '../../e2ee/keys.js';
import { ProtocolStores } from '../../e2ee/stores.js';
import {
  wireKyberPreKey,
  wirePreKey,
  wireSignedPreKey,
  type WireDeviceBundle,
  type WirePreKey,
  type WireSignedPreKey,
} from '../../e2ee/wire.js';

/** What one key fetch is served, after the role's treatment is applied. */
export interface ServeOptions {
  hasPreKey: boolean;
  hasKyberPreKey: boolean;
  hasBadSignature: boolean;
}

export class KeyHolder implements LocalDevice {
  readonly identity = IdentityKeyPair.generate();
  readonly stores: ProtocolStores;
  readonly signedPreKey: SignedPreKeyRecord;
  readonly lastResortKyberPreKey: KyberPreKeyRecord;
  #nextPreKeyId = 1;
  #nextKyberPreKeyId = 1;

  constructor(
    readonly name: string,
    readonly deviceId: number,
    readonly registrationId: number,
    /** One-time Kyber prekeys on offer before the last-resort one is served. */
    private readonly kyberPoolSize: number,
  ) {
    this.stores = new ProtocolStores(this.identity, registrationId, 'always');
    this.signedPreKey = generateSignedPreKey(this.identity, 1);
    this.stores.signedPreKeys.add(this.signedPreKey);
    this.lastResortKyberPreKey = generateKyberPreKey(this.identity, kyberPoolSize + 1);
    this.stores.kyberPreKeys.add(this.lastResortKyberPreKey, true);
  }

  /** The serialized public identity key. */
  get identityKey(): Uint8Array {
    return this.identity.publicKey.serialize();
  }

  /** One device entry of a `GET /v2/keys` answer; a one-time prekey served here is used up. */
  serveDevice(options: ServeOptions): WireDeviceBundle {
    const signedPreKey = wireSignedPreKey(this.signedPreKey);
    return {
      deviceId: this.deviceId,
      registrationId: this.registrationId,
      signedPreKey: options.hasBadSignature ? withBrokenSignature(signedPreKey) : signedPreKey,
      preKey: options.hasPreKey ? this.#takePreKey() : null,
      pqPreKey: options.hasKyberPreKey ? this.#takeKyberPreKey() : null,
    };
  }

  #takePreKey(): WirePreKey {
    const record = generatePreKey(this.#nextPreKeyId++);
    this.stores.preKeys.add(record);
    return wirePreKey(record);
  }

  #takeKyberPreKey(): WireSignedPreKey {
    if (this.#nextKyberPreKeyId > this.kyberPoolSize) return wireKyberPreKey(this.lastResortKyberPreKey);
    const record = generateKyberPreKey(this.identity, this.#nextKyberPreKeyId++);
    this.stores.kyberPreKeys.add(record);
    return wireKyberPreKey(record);
  }
}

/** The same signed prekey with one signature bit flipped: well-formed, but it does not verify. */
function withBrokenSignature(key: WireSignedPreKey): WireSignedPreKey {
  const signature = Buffer.from(key.signature, 'base64');
  signature[0] = (signature[0] ?? 0) ^ 0x01;
  return { ...key, signature: signature.toString('base64') };
}
