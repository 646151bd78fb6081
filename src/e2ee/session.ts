/**
 * Signal sessions from the harness's side: PQXDH session set-up from a fetched bundle, encryption
 * of outgoing messages and decryption of the recipient's replies.
 * Wire message types follow Signal-Server envelopes: 3 = PreKey message, 1 = Signal message,
 * 8 = plaintext content (a DecryptionErrorMessage: the recipient could not decrypt).
 */
import {
  CiphertextMessageType,
  DecryptionErrorMessage,
  KEMPublicKey,
  PlaintextContent,
  PreKeyBundle,
  PreKeySignalMessage,
  ProtocolAddress,
  PublicKey,
  SignalMessage,
  processPreKeyBundle,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import { fromBase64, toBase64 } from './base64.js';
import type { DeviceBundle, KeyBundle } from './bundle.js';
import type { LocalDevice } from './keys.js';
import { describeError, localAddress, messageVersion, protocolVersion } from './protocol.js';

/** A Signal address: a name (phone number, cohort id or service id) and a device id (1–127). */
export interface RemoteAddress {
  name: string;
  deviceId: number;
}

export type SessionFailure = 'no-device' | 'no-kyber-prekey' | 'invalid-signature' | 'untrusted-identity' | 'rejected';

export type EstablishResult =
  | {
      ok: true;
      protocol: 'pqxdh';
      sessionVersion: number;
      usedOneTimePreKey: boolean;
      kyberPreKeyId: number;
      registrationId: number;
    }
  | { ok: false; reason: SessionFailure; detail: string };

/**
 * Builds a session with `remoteAddress` from a decoded bundle (PQXDH: the Kyber prekey is mixed in).
 * libsignal no longer builds X3DH-only sessions, so a bundle without a Kyber prekey cannot be used.
 */
export async function establishSession(
  client: LocalDevice,
  remoteAddress: RemoteAddress,
  bundle: KeyBundle,
): Promise<EstablishResult> {
  const device = bundle.devices.find((candidate) => candidate.deviceId === remoteAddress.deviceId);
  if (device === undefined)
    return { ok: false, reason: 'no-device', detail: `the bundle has no device ${remoteAddress.deviceId}` };
  if (device.pqPreKey === null) {
    return {
      ok: false,
      reason: 'no-kyber-prekey',
      detail: 'no Kyber prekey offered: PQXDH is impossible and X3DH-only sessions are refused',
    };
  }
  const address = toProtocolAddress(remoteAddress);
  try {
    await processPreKeyBundle(
      toPreKeyBundle(bundle.identityKey, device, device.pqPreKey),
      address,
      localAddress(client),
      client.stores.sessions,
      client.stores.identity,
    );
  } catch (error: unknown) {
    return { ok: false, ...classify(error) };
  }
  const sessionVersion = await protocolVersion(client, address);
  const kyberPreKeyId = device.pqPreKey.keyId;
  return {
    ok: true,
    protocol: 'pqxdh',
    sessionVersion,
    usedOneTimePreKey: device.preKey !== null,
    kyberPreKeyId,
    registrationId: device.registrationId,
  };
}

function toPreKeyBundle(
  identityKey: Uint8Array<ArrayBuffer>,
  device: DeviceBundle,
  pq: NonNullable<DeviceBundle['pqPreKey']>,
): PreKeyBundle {
  const { preKey, signedPreKey } = device;
  return PreKeyBundle.new(
    device.registrationId,
    device.deviceId,
    preKey?.keyId ?? null,
    preKey === null ? null : PublicKey.deserialize(preKey.publicKey),
    signedPreKey.keyId,
    PublicKey.deserialize(signedPreKey.publicKey),
    signedPreKey.signature,
    PublicKey.deserialize(identityKey),
    pq.keyId,
    KEMPublicKey.deserialize(pq.publicKey),
    pq.signature,
  );
}

function classify(error: unknown): { reason: SessionFailure; detail: string } {
  const detail = describeError(error);
  if (/signature/i.test(detail)) return { reason: 'invalid-signature', detail };
  if (/untrusted identity/i.test(detail)) return { reason: 'untrusted-identity', detail };
  return { reason: 'rejected', detail };
}

/** One encrypted message in Signal-Server form. */
export interface OutgoingMessage {
  type: 1 | 3;
  content: string;
}

export type EncryptResult =
  | ({ ok: true; messageVersion: number } & OutgoingMessage)
  | { ok: false; reason: 'no-session' | 'rejected'; detail: string };

/** Encrypts a plaintext on the session with `remoteAddress` (a PreKey message until the peer answers). */
export async function encryptFor(
  client: LocalDevice,
  remoteAddress: RemoteAddress,
  plaintext: Uint8Array | string,
): Promise<EncryptResult> {
  const address = toProtocolAddress(remoteAddress);
  if ((await client.stores.sessions.getSession(address)) === null) {
    return { ok: false, reason: 'no-session', detail: `no session with ${address.toString()}` };
  }
  try {
    const message = await signalEncrypt(
      toBytes(plaintext),
      address,
      localAddress(client),
      client.stores.sessions,
      client.stores.identity,
    );
    const serialized = message.serialize();
    const type = message.type() === CiphertextMessageType.PreKey ? 3 : 1;
    return {
      ok: true,
      type,
      content: toBase64(serialized),
      messageVersion: messageVersion(message.type(), serialized),
    };
  } catch (error: unknown) {
    return { ok: false, reason: 'rejected', detail: describeError(error) };
  }
}

/** The `PUT /v1/messages/{destination}` body for one encrypted message to one device. */
export function sendBody(
  message: OutgoingMessage,
  device: { deviceId: number; registrationId: number },
  timestamp = Date.now(),
): unknown {
  return {
    messages: [
      {
        type: message.type,
        destinationDeviceId: device.deviceId,
        destinationRegistrationId: device.registrationId,
        content: message.content,
      },
    ],
    timestamp,
  };
}

/** An incoming envelope as `GET /v1/messages` lists it (only the fields decryption needs). */
export interface IncomingMessage {
  type: number;
  content: string;
}

export type DecryptFailure = 'bad-content' | 'unsupported-type' | 'decryption-failed' | 'recipient-decryption-error';

export type DecryptResult =
  { ok: true; plaintext: Uint8Array; text: string } | { ok: false; reason: DecryptFailure; detail: string };

/** Decrypts a message from `remoteAddress`; a type-8 envelope reports that the remote could not decrypt ours. */
export async function decryptFrom(
  client: LocalDevice,
  remoteAddress: RemoteAddress,
  message: IncomingMessage,
): Promise<DecryptResult> {
  const bytes = fromBase64(message.content);
  if (bytes === null) return { ok: false, reason: 'bad-content', detail: 'content is not base64' };
  try {
    const plaintext = await decryptBytes(client, toProtocolAddress(remoteAddress), message.type, bytes);
    if (typeof plaintext === 'string')
      return {
        ok: false,
        reason: message.type === 8 ? 'recipient-decryption-error' : 'unsupported-type',
        detail: plaintext,
      };
    return { ok: true, plaintext, text: Buffer.from(plaintext).toString('utf8') };
  } catch (error: unknown) {
    return { ok: false, reason: 'decryption-failed', detail: describeError(error) };
  }
}

/** The plaintext, or a string saying why there is none. */
async function decryptBytes(
  client: LocalDevice,
  address: ProtocolAddress,
  type: number,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array | string> {
  const { stores } = client;
  const local = localAddress(client);
  if (type === 1)
    return signalDecrypt(SignalMessage.deserialize(bytes), address, local, stores.sessions, stores.identity);
  if (type === 3) {
    const message = PreKeySignalMessage.deserialize(bytes);
    return signalDecryptPreKey(
      message,
      address,
      local,
      stores.sessions,
      stores.identity,
      stores.preKeys,
      stores.signedPreKeys,
      stores.kyberPreKeys,
    );
  }
  if (type === 8) {
    const error = DecryptionErrorMessage.extractFromSerializedBody(PlaintextContent.deserialize(bytes).body());
    return `the recipient could not decrypt the message sent at ${error.timestamp()}`;
  }
  return `envelope type ${type} is not a Signal message`;
}

/** A libsignal address from a plain one. */
export function toProtocolAddress(address: RemoteAddress): ProtocolAddress {
  return ProtocolAddress.new(address.name, address.deviceId);
}

function toBytes(plaintext: Uint8Array | string): Uint8Array<ArrayBuffer> {
  const source = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const bytes = new Uint8Array(new ArrayBuffer(source.byteLength));
  bytes.set(source);
  return bytes;
}
