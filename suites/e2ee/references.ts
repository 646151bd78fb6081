/** Legal and protocol bases of the E2EE checks: DMA Art. 7 and the Signal specifications the Reference Offer relies on. */
import type { Reference } from '../../src/core/types.js';
import { DMA_7, DMA_7_3, EC_INTERIM, WA_REFERENCE_OFFER } from '../shared/references.js';

export const PQXDH_KEYS: Reference = {
  source: 'Signal PQXDH specification',
  clause: 'Publishing keys',
  url: 'https://signal.org/docs/specifications/pqxdh/',
};
export const X3DH_ONE_TIME: Reference = {
  source: 'Signal X3DH specification',
  clause: 'Publishing keys (one-time prekeys)',
  url: 'https://signal.org/docs/specifications/x3dh/',
};
export const X3DH_AUTH: Reference = {
  source: 'Signal X3DH specification',
  clause: 'Authentication (comparing identity keys)',
  url: 'https://signal.org/docs/specifications/x3dh/',
};
export const RATCHET: Reference = {
  source: 'Signal Double Ratchet specification',
  clause: 'Encrypting messages (authenticated encryption)',
  url: 'https://signal.org/docs/specifications/doubleratchet/',
};

/** What every E2EE check rests on: interoperability only while end-to-end encryption is kept. */
export const E2EE_BASIS: Reference[] = [DMA_7, DMA_7_3, WA_REFERENCE_OFFER];
/** For comparisons between cohorts: equal treatment of third parties. */
export const PARITY_BASIS: Reference[] = [...E2EE_BASIS, EC_INTERIM];
