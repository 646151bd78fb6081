/** The reference platform's Signal-Server-shaped interop API and its libsignal recipient device. */
export { createInteropRoute } from './route.js';
export type { InteropRoute, InteropRouteOptions } from './route.js';
export { RecipientDevice } from './recipient-device.js';
export type { DeviceReply, ReceiveResult } from './recipient-device.js';
export type { Envelope, InteropStats } from './state.js';
