/**
 * The recipient's real device: it decrypts what senders relay to it and answers each decrypted
 * message with an encrypted echo, `{"echo":"<hex sha256 of the plaintext>"}` (docs/architecture.md, "Target surfaces").
 * When it cannot decrypt, it answers with a Signal DecryptionErrorMessage (envelope type 8).
 */
import { CiphertextMessageType, DecryptionErrorMessage, PlaintextContent } from '@signalapp/libsignal-client';
import { fromBase64, toBase64 } from '../../e2ee/base64.js';
import { echoPayload, sha256Hex } from '../../e2ee/echo.js';
import { decryptFrom, encryptFor, type IncomingMessage, type RemoteAddress } from '../../e2ee/session.js';
import { KeyHolder } from './key-holder.js';

/** A reply queued for the sender, in Signal-Server envelope form (type 1 echo, or type 8 decryption error). */
export interface DeviceReply {
  type: 1 | 8;
  content: string;
}

export type ReceiveResult =
  { ok: true; digest: string; reply: DeviceReply } | { ok: false; detail: string; reply: DeviceReply | null };

export class RecipientDevice extends KeyHolder {
  /** Decrypts one relayed message from `sender` and builds the reply the sender will fetch. */
  async receive(sender: RemoteAddress, message: IncomingMessage, timestamp: number): Promise<ReceiveResult> {
    const decrypted = await decryptFrom(this, sender, message);
    if (!decrypted.ok)
      return { ok: false, detail: decrypted.detail, reply: decryptionError(message, timestamp, sender.deviceId) };
    const encrypted = await encryptFor(this, sender, echoPayload(decrypted.plaintext));
    if (!encrypted.ok) return { ok: false, detail: encrypted.detail, reply: null };
    return { ok: true, digest: sha256Hex(decrypted.plaintext), reply: { type: 1, content: encrypted.content } };
  }
}

/** Signal's retry request for a message that could not be decrypted; null when the original is unparseable. */
function decryptionError(message: IncomingMessage, timestamp: number, senderDeviceId: number): DeviceReply | null {
  const bytes = fromBase64(message.content);
  if (bytes === null) return null;
  const type = message.type === 3 ? CiphertextMessageType.PreKey : CiphertextMessageType.Whisper;
  try {
    const error = DecryptionErrorMessage.forOriginal(bytes, type, timestamp, senderDeviceId);
    return { type: 8, content: toBase64(PlaintextContent.from(error).serialize()) };
  } catch {
    return null;
  }
}
