/** The harness's Signal Protocol client: keys, bundles, sessions and safety numbers (libsignal-backed). */
export { fromBase64, toBase64 } from './base64.js';
export { parseKeyBundle, verifyBundleSignatures } from './bundle.js';
export type {
  DecodedPreKey,
  DecodedSignedPreKey,
  DeviceBundle,
  KeyBundle,
  ParseKeyBundleResult,
  SignatureVerdict,
} from './bundle.js';
export { checkEcho, echoPayload, sha256Hex } from './echo.js';
export type { EchoCheck } from './echo.js';
export { ClientIdentity, createClientIdentity } from './keys.js';
export type { ClientIdentityOptions, LocalDevice } from './keys.js';
export { fingerprint, formatSafetyNumber, safetyNumber } from './safety-number.js';
export type { SafetyNumberResult } from './safety-number.js';
export { decryptFrom, encryptFor, establishSession, sendBody } from './session.js';
export type {
  DecryptFailure,
  DecryptResult,
  EncryptResult,
  EstablishResult,
  IncomingMessage,
  OutgoingMessage,
  RemoteAddress,
  SessionFailure,
} from './session.js';
export { parseKeysUpload } from './upload.js';
export type { KeysUpload, ParseKeysUploadResult } from './upload.js';
export type { KeysUploadBody, WireDeviceBundle, WireKeyBundle, WirePreKey, WireSignedPreKey } from './wire.js';
