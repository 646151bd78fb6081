/** Small helpers around libsignal: readable error text and the protocol version of a session. */
import {
  CiphertextMessageType,
  LibSignalErrorBase,
  PreKeySignalMessage,
  ProtocolAddress,
  SessionRecord,
  SignalMessage,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import type { LocalDevice } from './keys.js';
import { ProtocolStores } from './stores.js';

/** One line saying what libsignal (or anything else) rejected. */
export function describeError(error: unknown): string {
  if (error instanceof LibSignalErrorBase) return `${error.operation ?? 'libsignal'}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The message version a new session speaks (4 = PQXDH with the post-quantum ratchet).
 * libsignal exposes no session version, so a probe message is encrypted on a copy of the
 * session in scratch stores: the real session's chain is not advanced.
 */
export async function protocolVersion(local: LocalDevice, address: ProtocolAddress): Promise<number> {
  const record = await local.stores.sessions.getSession(address);
  const remoteIdentity = await local.stores.identity.getIdentity(address);
  if (record === null || remoteIdentity === null) return 0;
  const scratch = new ProtocolStores(local.identity, local.registrationId);
  await scratch.sessions.saveSession(address, SessionRecord.deserialize(record.serialize()));
  await scratch.identity.saveIdentity(address, remoteIdentity);
  const probe = await signalEncrypt(
    new Uint8Array(0),
    address,
    localAddress(local),
    scratch.sessions,
    scratch.identity,
  );
  return messageVersion(probe.type(), probe.serialize());
}

/** The version byte of a serialized PreKey or Signal message. */
export function messageVersion(type: CiphertextMessageType, serialized: Uint8Array<ArrayBuffer>): number {
  if (type === CiphertextMessageType.PreKey) return PreKeySignalMessage.deserialize(serialized).version();
  return SignalMessage.deserialize(serialized).messageVersion();
}

/** The libsignal address of a local device. */
export function localAddress(local: LocalDevice): ProtocolAddress {
  return ProtocolAddress.new(local.name, local.deviceId);
}
